package dev.toolhost.config;

import java.util.Map;
import tools.jackson.databind.JsonNode;

/** Writes TOML keys and values (reading TOML is Jackson's job). */
public final class TomlText {
    private TomlText() {}

    /** A key, bare when it can be, else quoted. */
    public static String key(String key) {
        if (!key.isEmpty() && key.chars().allMatch(c -> TomlLines.isBare((char) c))) {
            return key;
        }
        return string(key);
    }

    /** A TOML basic string. */
    public static String string(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        b.append(String.format("\\u%04X", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /** A value as inline TOML: strings, numbers, booleans, arrays, inline tables. */
    public static String value(JsonNode v) {
        if (v == null || v.isNull()) {
            return "\"\"";
        }
        if (v.isString()) {
            return string(v.asString());
        }
        if (v.isArray()) {
            StringBuilder b = new StringBuilder("[");
            for (int i = 0; i < v.size(); i++) {
                b.append(i == 0 ? "" : ", ").append(value(v.get(i)));
            }
            return b.append(']').toString();
        }
        if (v.isObject()) {
            if (v.isEmpty()) {
                return "{}";
            }
            StringBuilder b = new StringBuilder("{ ");
            boolean first = true;
            for (Map.Entry<String, JsonNode> e : v.properties()) {
                b.append(first ? "" : ", ")
                        .append(key(e.getKey()))
                        .append(" = ")
                        .append(value(e.getValue()));
                first = false;
            }
            return b.append(" }").toString();
        }
        return v.toString();
    }
}
