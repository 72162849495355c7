package dev.toolhost.host;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** JSON output for {@code --json} modes. */
final class PrettyJson {
    private static final JsonMapper MAPPER =
            JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private PrettyJson() {}

    static String pretty(JsonNode node) {
        return MAPPER.writeValueAsString(node);
    }
}
