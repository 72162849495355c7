package dev.toolhost.host;

import dev.toolhost.config.TomlText;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Prints a config tree as TOML with each value's origin as a trailing comment, so a person can see
 * both the effective value and where it came from (default, file:line, profile, -c, flag).
 */
final class OriginTomlPrinter {
    /** Tables of user-chosen names and string values: shown inline, like config.toml usually has them. */
    private static final Set<String> INLINE = Set.of("env", "http_headers", "env_http_headers", "set");

    private static final int MAX_PAD = 56;

    private final Map<String, String> origins;
    private final PrintWriter out;

    OriginTomlPrinter(Map<String, String> origins, PrintWriter out) {
        this.origins = origins;
        this.out = out;
    }

    /**
     * Prints {@code node}'s keys; {@code path} is the dotted path of {@code node} ("" for the root).
     * Returns whether anything was printed (empty tables are left out).
     */
    boolean print(ObjectNode node, String path, boolean header) {
        List<String[]> rows = new ArrayList<>();
        List<Map.Entry<String, JsonNode>> tables = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            JsonNode v = e.getValue();
            if (v.isNull()) {
                continue;
            }
            if (v.isObject() && !INLINE.contains(e.getKey())) {
                tables.add(e);
            } else {
                rows.add(new String[] {
                    TomlText.key(e.getKey()) + " = " + TomlText.value(v), origin(join(path, e.getKey()))
                });
            }
        }
        if (header && !rows.isEmpty()) {
            out.println("[" + path + "]");
        }
        int width = 0;
        for (String[] r : rows) {
            width = Math.max(width, Math.min(r[0].length(), MAX_PAD));
        }
        for (String[] r : rows) {
            out.println(r[0] + " ".repeat(Math.max(1, width - r[0].length() + 2)) + "# " + r[1]);
        }
        boolean printed = !rows.isEmpty();
        for (Map.Entry<String, JsonNode> t : tables) {
            if (hasValues(t.getValue())) {
                if (printed) {
                    out.println();
                }
                printed |= print((ObjectNode) t.getValue(), join(path, TomlText.key(t.getKey())), true);
            }
        }
        return printed;
    }

    private static boolean hasValues(JsonNode table) {
        for (Map.Entry<String, JsonNode> e : table.properties()) {
            if (!e.getValue().isNull() && (!e.getValue().isObject() || hasValues(e.getValue()))) {
                return true;
            }
        }
        return false;
    }

    private String origin(String path) {
        return origins.getOrDefault(path, "default");
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }
}
