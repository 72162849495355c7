package dev.toolhost.host.model;

import tools.jackson.databind.JsonNode;

/** Parses the JSON payload of one stream event, turning garbage into a clear error. */
final class StreamJson {
    private StreamJson() {}

    static JsonNode parse(String provider, String data) throws ModelException {
        try {
            JsonNode node = ModelHttp.json().readTree(data);
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException("not a JSON object");
            }
            return node;
        } catch (RuntimeException e) {
            String shown = data.length() > 200 ? data.substring(0, 200) + "..." : data;
            throw new ModelException("malformed stream from model provider '" + provider
                    + "': an event's data is not a JSON object: " + shown);
        }
    }
}
