package dev.toolhost.mcp.server.modern;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Checks a {@code tools/call}'s {@code Mcp-Param-{name}} headers against its arguments (2026-07-28 streamable
 * HTTP, "Custom Headers from Tool Parameters", "Server Validation"): every property of the tool's input schema
 * annotated with {@code x-mcp-header} and reachable from the root through {@code properties} alone mirrors its
 * argument value (a string, an integer or a boolean) into that header, Base64-encoded as {@code =?base64?...?=}
 * when needed. A value in the arguments with no header, or a header that differs, is a HeaderMismatch.
 */
final class ParamHeaders {
    private ParamHeaders() {}

    /** One annotated property: its path of property names from the root, and the header's name part. */
    record Annotation(List<String> path, String header) {}

    /** The annotations of {@code inputSchema}, found through {@code properties} chains only. */
    static List<Annotation> annotations(Map<?, ?> inputSchema) {
        List<Annotation> found = new ArrayList<>();
        collect(inputSchema, new ArrayList<>(), found);
        return found;
    }

    private static void collect(Map<?, ?> schema, List<String> path, List<Annotation> found) {
        if (!(schema.get("properties") instanceof Map<?, ?> properties)) {
            return;
        }
        for (Map.Entry<?, ?> e : properties.entrySet()) {
            if (!(e.getValue() instanceof Map<?, ?> property)) {
                continue;
            }
            List<String> at = new ArrayList<>(path);
            at.add(String.valueOf(e.getKey()));
            if (property.get("x-mcp-header") instanceof String header && !header.isEmpty()) {
                found.add(new Annotation(List.copyOf(at), header));
            }
            collect(property, at, found);
        }
    }

    /**
     * The first mismatch between the annotated arguments and the request's headers, or null.
     *
     * @param header a request header by name (case-insensitive), or null when absent
     */
    static String problem(Map<?, ?> inputSchema, Object arguments, Function<String, String> header) {
        for (Annotation a : annotations(inputSchema)) {
            Object value = valueAt(arguments, a.path());
            String name = "Mcp-Param-" + a.header();
            String given = header.apply(name);
            if (value == null) {
                continue; // no value: no header is expected
            }
            String where = "arguments." + String.join(".", a.path());
            if (given == null) {
                return "Header mismatch: the " + name + " header is missing (" + where + " is " + value + ")";
            }
            String decoded;
            try {
                decoded = ModernHttpFront.decodeHeaderValue(given.strip());
            } catch (IllegalArgumentException e) {
                return "Header mismatch: the " + name + " header is not valid =?base64?...?= (" + e.getMessage() + ")";
            }
            if (!matches(decoded, value)) {
                return "Header mismatch: " + name + " header value '" + decoded + "' does not match body value '"
                        + value + "' (" + where + ")";
            }
        }
        return null;
    }

    private static Object valueAt(Object arguments, List<String> path) {
        Object at = arguments;
        for (String key : path) {
            if (!(at instanceof Map<?, ?> map)) {
                return null;
            }
            at = map.get(key);
        }
        return at;
    }

    /** Strings as they are, booleans as {@code true}/{@code false}, numbers compared numerically. */
    private static boolean matches(String header, Object value) {
        if (value instanceof Number n) {
            try {
                return new BigDecimal(header).compareTo(new BigDecimal(n.toString())) == 0;
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return header.equals(String.valueOf(value));
    }
}
