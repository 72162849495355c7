package dev.toolhost.host.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/** Writes {@code dotted.key -> value} maps as the {@code key=value} strings that {@code -c} takes. */
final class TomlValues {
    private TomlValues() {}

    static List<String> overrides(Map<String, Object> config) {
        List<String> out = new ArrayList<>();
        if (config != null) {
            config.forEach((key, value) -> out.add(key + "=" + value(value)));
        }
        return out;
    }

    static String value(Object v) {
        if (v instanceof Boolean || v instanceof Integer || v instanceof Long) {
            return v.toString();
        }
        if (v instanceof Number n) {
            double d = n.doubleValue();
            return d == Math.rint(d) && !Double.isInfinite(d) ? Long.toString((long) d) : Double.toString(d);
        }
        if (v instanceof List<?> list) {
            StringJoiner j = new StringJoiner(", ", "[", "]");
            list.forEach(e -> j.add(value(e)));
            return j.toString();
        }
        if (v instanceof Map<?, ?> map) {
            StringJoiner j = new StringJoiner(", ", "{ ", " }");
            map.forEach((k, e) -> j.add(AgentJson.write(String.valueOf(k)) + " = " + value(e)));
            return j.toString();
        }
        // A JSON string literal is a valid TOML basic string.
        return AgentJson.write(String.valueOf(v));
    }
}
