package dev.toolhost.host.agent;

import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/** The one JSON mapper of the agent package. */
final class AgentJson {
    static final JsonMapper MAPPER = JsonMapper.builder().build();

    private AgentJson() {}

    /** Any SDK value as plain maps, lists and scalars. */
    static Object toValue(Object value) {
        return value == null ? null : MAPPER.convertValue(value, Object.class);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> toMap(Object value) {
        return MAPPER.convertValue(value, Map.class);
    }

    static String write(Object value) {
        return MAPPER.writeValueAsString(value);
    }
}
