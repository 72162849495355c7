package dev.toolhost.mcp.client.modern;

import java.util.Map;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The one Jackson mapper of this package, with the JSON shapes it reads. */
final class Json {
    static final JsonMapper MAPPER = JsonMapper.builder().build();
    static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private Json() {}

    static Map<String, Object> parseObject(byte[] bytes) {
        return MAPPER.readValue(bytes, MAP);
    }

    static Map<String, Object> parseObject(String text) {
        return MAPPER.readValue(text, MAP);
    }

    static byte[] write(Object value) {
        return MAPPER.writeValueAsBytes(value);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
    }
}
