package dev.toolhost.mcp.client;

import io.modelcontextprotocol.spec.McpSchema;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import tools.jackson.core.JacksonException;

/**
 * Makes a server's tool, prompt and resource lists valid under the MCP schema before the SDK
 * converts them, so that whatever Toolhost serves from them is valid too. One bad item must not cost
 * the others: the SDK's conversion fails a whole {@code tools/list} over one tool without an
 * {@code inputSchema} (the server would not start), and a client such as the TypeScript SDK rejects a
 * whole list over one tool whose schema is not an object schema (it would lose every tool, built-in
 * ones included).
 *
 * <p>An item that can be repaired is: a missing input schema becomes {@code {"type": "object"}}, a
 * schema without a {@code type} gets {@code "object"}, a broken output schema (optional) is dropped.
 * One that cannot is left out with a warning naming the server and the item: no name (or {@code uri}),
 * an input schema whose type is not {@code "object"}, {@code properties} that is not an object,
 * {@code required} that is not an array of strings, or anything else the SDK cannot convert.
 */
final class PeerItems {
    private static final Map<Type, String> LISTS = Map.of(
            McpSchema.ListToolsResult.class, "tools",
            McpSchema.ListPromptsResult.class, "prompts",
            McpSchema.ListResourcesResult.class, "resources",
            McpSchema.ListResourceTemplatesResult.class, "resourceTemplates");
    private static final Map<String, Type> ITEM_TYPES = Map.of(
            "tools", McpSchema.Tool.class,
            "prompts", McpSchema.Prompt.class,
            "resources", McpSchema.Resource.class,
            "resourceTemplates", McpSchema.ResourceTemplate.class);

    private final String server;
    private final Consumer<String> warnings;
    /** Converts one item as the SDK will, to find what it would refuse. */
    private final BiFunction<Object, Type, Object> convert;

    PeerItems(String server, Consumer<String> warnings, BiFunction<Object, Type, Object> convert) {
        this.server = server;
        this.warnings = warnings;
        this.convert = convert;
    }

    /** The result unchanged unless it is one of the four list results, then with its items repaired or left out. */
    Object repair(Object result, Type type) {
        String key = LISTS.get(type);
        if (key == null || !(result instanceof Map<?, ?> map) || !(map.get(key) instanceof List<?> items)) {
            return result;
        }
        List<Object> kept = new ArrayList<>();
        for (Object item : items) {
            Object repaired = repairItem(key, item);
            if (repaired != null) {
                kept.add(repaired);
            }
        }
        Map<Object, Object> out = new LinkedHashMap<>(map);
        out.put(key, kept);
        return out;
    }

    private Object repairItem(String list, Object item) {
        String kind = switch (list) {
            case "tools" -> "tool";
            case "prompts" -> "prompt";
            case "resources" -> "resource";
            default -> "resource template";
        };
        if (!(item instanceof Map<?, ?> raw)) {
            leftOut("a " + kind + " that is not an object");
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        raw.forEach((k, v) -> m.put(String.valueOf(k), v));
        String id = switch (list) {
            case "resources" -> "uri";
            case "resourceTemplates" -> "uriTemplate";
            default -> "name";
        };
        if (!(m.get(id) instanceof String value) || value.isBlank()) {
            leftOut("a " + kind + " without a " + id);
            return null;
        }
        String label = kind + " '" + value + "'";
        if (list.equals("tools")) {
            Object input = m.get("inputSchema");
            Map<String, Object> schema =
                    input == null ? new LinkedHashMap<>(Map.of("type", "object")) : objectSchema(input);
            String problem = schema == null ? "is not an object" : schemaProblem(schema);
            if (problem != null) {
                leftOut(label + ": its inputSchema " + problem);
                return null;
            }
            m.put("inputSchema", schema);
            Object output = m.get("outputSchema");
            if (output != null) {
                Map<String, Object> out = objectSchema(output);
                String outProblem = out == null ? "is not an object" : schemaProblem(out);
                if (outProblem != null) {
                    warnings.accept("warning: MCP server '" + server + "': " + label + ": its outputSchema "
                            + outProblem + "; served without an outputSchema");
                    m.remove("outputSchema");
                } else {
                    m.put("outputSchema", out);
                }
            }
        }
        try {
            convert.apply(m, ITEM_TYPES.get(list));
        } catch (RuntimeException e) {
            leftOut(label + ": " + firstLine(reason(e)));
            return null;
        }
        return m;
    }

    /** The schema as a map, with {@code type: "object"} added when it has no type at all; null when no object. */
    private static Map<String, Object> objectSchema(Object schema) {
        if (!(schema instanceof Map<?, ?> raw)) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        if (!raw.containsKey("type")) {
            m.put("type", "object");
        }
        raw.forEach((k, v) -> m.put(String.valueOf(k), v));
        return m;
    }

    /** Why this is not an object schema as MCP requires, or null when it is one. */
    private static String schemaProblem(Map<String, Object> schema) {
        Object type = schema.get("type");
        if (!"object".equals(type)) {
            return "has type " + (type instanceof String s ? "\"" + s + "\"" : String.valueOf(type))
                    + " (MCP requires \"object\")";
        }
        Object properties = schema.get("properties");
        if (properties != null && !(properties instanceof Map)) {
            return "has \"properties\" that is not an object";
        }
        Object required = schema.get("required");
        if (required != null
                && !(required instanceof List<?> names && names.stream().allMatch(n -> n instanceof String))) {
            return "has \"required\" that is not an array of strings";
        }
        return null;
    }

    private void leftOut(String item) {
        warnings.accept("warning: MCP server '" + server + "': " + item + "; left out (it is not valid MCP)");
    }

    /** The converter's own words, without class names or source locations. */
    private static String reason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof JacksonException j && j.getOriginalMessage() != null) {
                return j.getOriginalMessage();
            }
        }
        return ServerConnection.describe(e);
    }

    private static String firstLine(String s) {
        int nl = s == null ? -1 : s.indexOf('\n');
        return nl < 0 ? String.valueOf(s) : s.substring(0, nl);
    }
}
