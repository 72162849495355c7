package dev.toolhost.builtin;

import io.modelcontextprotocol.spec.McpSchema;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds the JSON schemas of tool inputs and outputs. */
public final class Schemas {
    private Schemas() {}

    public static Map<String, Object> prop(String type, String description) {
        return Map.of("type", type, "description", description);
    }

    /**
     * An integer property with its bounds, so that a call out of range is refused as the schema says (before the
     * tool runs) rather than by the tool; {@code max} {@link Long#MAX_VALUE} means no upper bound.
     */
    public static Map<String, Object> integer(String description, long min, long max) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("type", "integer");
        p.put("description", description);
        p.put("minimum", min);
        if (max != Long.MAX_VALUE) {
            p.put("maximum", max);
        }
        return p;
    }

    /** An input schema: an object with the given properties (in order) and required names. */
    public static McpSchema.JsonSchema input(Map<String, Object> properties, List<String> required) {
        return new McpSchema.JsonSchema("object", properties, required, false, null, null);
    }

    /**
     * An input schema whose required argument {@code name} may also be given as {@code alias} (Codex's name for it):
     * one of the two is required ({@code anyOf}), both are listed properties.
     */
    public static Map<String, Object> inputWithAlias(Map<String, Object> properties, String name, String alias) {
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("properties", properties);
        schema.put("anyOf", List.of(Map.of("required", List.of(name)), Map.of("required", List.of(alias))));
        schema.put("additionalProperties", false);
        return schema;
    }

    /** An output schema as the map {@code Tool.outputSchema} takes. */
    public static Map<String, Object> output(Map<String, Object> properties, List<String> required) {
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("properties", properties);
        schema.put("required", required);
        return schema;
    }

    /** Properties in declaration order: {@code props("a", prop(..), "b", prop(..))}. */
    public static Map<String, Object> props(Object... nameThenSchema) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < nameThenSchema.length; i += 2) {
            m.put((String) nameThenSchema[i], nameThenSchema[i + 1]);
        }
        return m;
    }
}
