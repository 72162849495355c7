package dev.toolhost.mcp.client.modern;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * HTTP header values of 2026-07-28 ({@code basic/transports/streamable-http}, "Standard MCP request headers"
 * and "Custom headers"): {@code Mcp-Name} and the {@code Mcp-Param-*} headers a tool's parameters declare
 * with {@code x-mcp-header}.
 */
public final class HeaderValues {
    static final String PREFIX = "Mcp-Param-";
    private static final long MAX_SAFE_INTEGER = (1L << 53) - 1;
    private static final String TOKEN_CHARS = "!#$%&'*+-.^_`|~";

    private HeaderValues() {}

    /**
     * A string as a header value: as-is when it is plain visible ASCII (inner spaces allowed), else
     * {@code =?base64?<base64 of UTF-8>?=} (non-ASCII, control characters, leading or trailing whitespace,
     * the empty string, or a value that looks like that form itself).
     */
    public static String encode(String value) {
        boolean safe = !value.isEmpty()
                && value.charAt(0) != ' '
                && value.charAt(value.length() - 1) != ' '
                && !(value.startsWith("=?") && value.endsWith("?="));
        for (int i = 0; safe && i < value.length(); i++) {
            char c = value.charAt(i);
            safe = c >= 0x20 && c < 0x7f;
        }
        return safe
                ? value
                : "=?base64?" + Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)) + "?=";
    }

    /**
     * Where a tool's {@code x-mcp-header} annotations point: header name (without the prefix) to the
     * property path in the arguments.
     *
     * @throws IllegalArgumentException naming the first invalid annotation: not a non-empty RFC 9110 token,
     *                                  a duplicate (case-insensitive), or on a type other than string, integer
     *                                  or boolean
     */
    public static Map<String, List<String>> annotations(Map<String, Object> inputSchema) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        collect(inputSchema, new ArrayList<>(), out, new HashSet<>());
        return out;
    }

    private static void collect(
            Map<String, Object> schema, List<String> path, Map<String, List<String>> out, Set<String> seen) {
        Map<String, Object> properties = schema == null ? null : Json.object(schema.get("properties"));
        if (properties == null) {
            return;
        }
        for (Map.Entry<String, Object> e : properties.entrySet()) {
            Map<String, Object> property = Json.object(e.getValue());
            if (property == null) {
                continue;
            }
            List<String> here = new ArrayList<>(path);
            here.add(e.getKey());
            if (property.containsKey("x-mcp-header")) {
                String where = "property '" + String.join(".", here) + "'";
                if (!(property.get("x-mcp-header") instanceof String header) || !isToken(header)) {
                    throw new IllegalArgumentException(where + ": x-mcp-header " + quoted(property.get("x-mcp-header"))
                            + " is not a header name (a non-empty token of letters, digits and !#$%&'*+-.^_`|~)");
                }
                Object type = property.get("type");
                if (!"string".equals(type) && !"integer".equals(type) && !"boolean".equals(type)) {
                    throw new IllegalArgumentException(where + ": x-mcp-header '" + header
                            + "' is on a property of type " + quoted(type)
                            + "; only string, integer and boolean properties can be headers");
                }
                if (!seen.add(header.toLowerCase(Locale.ROOT))) {
                    throw new IllegalArgumentException(where + ": x-mcp-header '" + header
                            + "' is declared twice (header names are case-insensitive)");
                }
                out.put(header, List.copyOf(here));
            }
            collect(property, here, out, seen);
        }
    }

    /** The {@code Mcp-Param-*} headers for these arguments; absent and null values get none. */
    public static Map<String, String> params(Map<String, List<String>> annotations, Map<String, Object> arguments) {
        Map<String, String> headers = new LinkedHashMap<>();
        annotations.forEach((header, path) -> {
            Object v = arguments;
            for (String key : path) {
                v = v instanceof Map<?, ?> m ? m.get(key) : null;
            }
            String value = value(v);
            if (value != null) {
                headers.put(PREFIX + header, value);
            }
        });
        return headers;
    }

    private static String value(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof Boolean b) {
            return b ? "true" : "false";
        }
        if (v instanceof Number n) {
            double d = n.doubleValue();
            if (d == Math.rint(d) && Math.abs(d) <= MAX_SAFE_INTEGER) {
                return Long.toString(n.longValue());
            }
            return n.toString();
        }
        if (v instanceof String s) {
            return encode(s);
        }
        return null; // objects and arrays are never headers
    }

    private static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = c < 0x7f && (Character.isLetterOrDigit(c) || TOKEN_CHARS.indexOf(c) >= 0);
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static String quoted(Object v) {
        return v instanceof String s ? "'" + s + "'" : String.valueOf(v);
    }
}
