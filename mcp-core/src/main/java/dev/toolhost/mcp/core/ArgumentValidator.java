package dev.toolhost.mcp.core;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Checks tool arguments against the subset of JSON Schema tool input schemas use: {@code type}
 * (including type arrays), {@code required}, {@code properties} (with {@code additionalProperties: false}),
 * {@code enum} and {@code items}. Anything else in a schema is ignored (the server remains the final judge).
 * Each problem names the field by its path, e.g. {@code edits[1].oldText: required field is missing} or
 * {@code cwd: unknown field (allowed: [cmd, workdir])}. The one check of tool arguments: {@code toolhost call}
 * runs it before calling any tool, and the built-in tools run it on every call, whoever makes it.
 */
public final class ArgumentValidator {
    private ArgumentValidator() {}

    /**
     * The problems found in a tool's arguments, empty when they fit its {@code inputSchema} (none when the tool
     * has no schema). A null value of an argument the schema does not require counts as not given (MCP: such an
     * argument gets no {@code Mcp-Param} header either; Codex: an optional field).
     */
    public static List<String> validateArguments(Map<String, Object> inputSchema, Map<String, Object> arguments) {
        if (inputSchema == null) {
            return List.of();
        }
        Map<String, Object> given = arguments == null ? Map.of() : arguments;
        if (given.values().stream().anyMatch(Objects::isNull)) { // Map.of(...).containsValue(null) throws
            List<?> required = inputSchema.get("required") instanceof List<?> r ? r : List.of();
            Map<String, Object> present = new LinkedHashMap<>(given);
            present.entrySet().removeIf(e -> e.getValue() == null && !required.contains(e.getKey()));
            given = present;
        }
        return validate(inputSchema, given);
    }

    /** Any JSON value against a schema: the problems found, empty when it fits. */
    public static List<String> validate(Map<String, Object> schema, Object value) {
        List<String> problems = new ArrayList<>();
        check(schema, value, "", problems);
        return problems;
    }

    /** The one message for a tool call whose arguments do not fit: the tool, then each problem on its own line. */
    public static String describe(String tool, List<String> problems) {
        return "invalid arguments for " + tool + ":\n  " + String.join("\n  ", problems);
    }

    private static void check(Map<String, Object> schema, Object value, String path, List<String> problems) {
        if (schema == null) {
            return;
        }
        String where = path.isEmpty() ? "arguments" : path;
        Object type = schema.get("type");
        if (type != null && !matchesType(type, value)) {
            problems.add(where + ": expected " + describeType(type) + ", got " + jsonType(value));
            return;
        }
        if (schema.get("enum") instanceof List<?> choices && !choices.isEmpty() && !containsJson(choices, value)) {
            problems.add(where + ": must be one of " + choices + ", got " + render(value));
        }
        if (value instanceof Map<?, ?> object) {
            if (schema.get("required") instanceof List<?> required) {
                for (Object name : required) {
                    if (!object.containsKey(name)) {
                        problems.add(join(path, String.valueOf(name)) + ": required field is missing");
                    }
                }
            }
            if (schema.get("properties") instanceof Map<?, ?> properties) {
                for (Map.Entry<?, ?> e : object.entrySet()) {
                    if (properties.get(e.getKey()) instanceof Map<?, ?> sub) {
                        check(cast(sub), e.getValue(), join(path, String.valueOf(e.getKey())), problems);
                    } else if (!properties.containsKey(e.getKey())
                            && Boolean.FALSE.equals(schema.get("additionalProperties"))) {
                        problems.add(join(path, String.valueOf(e.getKey())) + ": unknown field (allowed: "
                                + properties.keySet() + ")");
                    }
                }
            }
        }
        if (value instanceof List<?> list && schema.get("items") instanceof Map<?, ?> items) {
            for (int i = 0; i < list.size(); i++) {
                check(cast(items), list.get(i), where + "[" + i + "]", problems);
            }
        }
    }

    private static boolean matchesType(Object type, Object value) {
        if (type instanceof List<?> types) {
            return types.stream().anyMatch(t -> matchesType(t, value));
        }
        return switch (String.valueOf(type)) {
            case "object" -> value instanceof Map;
            case "array" -> value instanceof List;
            case "string" -> value instanceof String;
            case "boolean" -> value instanceof Boolean;
            case "null" -> value == null;
            case "number" -> value instanceof Number;
            case "integer" -> isInteger(value);
            default -> true;
        };
    }

    private static boolean isInteger(Object value) {
        if (value instanceof Integer
                || value instanceof Long
                || value instanceof Short
                || value instanceof Byte
                || value instanceof BigInteger) {
            return true;
        }
        if (value instanceof Number n) {
            double d = n.doubleValue();
            return !Double.isInfinite(d) && d == Math.rint(d);
        }
        return false;
    }

    /** Enum membership with numbers compared by value (1 and 1.0 are the same JSON number). */
    private static boolean containsJson(List<?> choices, Object value) {
        for (Object c : choices) {
            if (c instanceof Number a && value instanceof Number b
                    ? a.doubleValue() == b.doubleValue()
                    : Objects.equals(c, value)) {
                return true;
            }
        }
        return false;
    }

    private static String describeType(Object type) {
        return type instanceof List<?> l
                ? "one of " + l
                : (String.valueOf(type).matches("^[aeiou].*") ? "an " : "a ") + type;
    }

    private static String jsonType(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Map) {
            return "an object";
        }
        if (value instanceof List) {
            return "an array";
        }
        if (value instanceof String s) {
            return "a string (" + render(s) + ")";
        }
        if (value instanceof Boolean) {
            return "a boolean";
        }
        if (value instanceof Number) {
            return "a number (" + value + ")";
        }
        return value.getClass().getSimpleName();
    }

    private static String render(Object value) {
        if (value instanceof String s) {
            return "\"" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "\"";
        }
        return String.valueOf(value);
    }

    private static String join(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }
}
