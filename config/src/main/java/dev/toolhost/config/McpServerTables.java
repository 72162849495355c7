package dev.toolhost.config;

import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Adds, replaces and removes {@code [mcp_servers.NAME]} tables in config.toml text while keeping every
 * other byte (tables, keys, comments, blank lines) as it was. Works on lines; parsing stays with Jackson
 * (callers load the edited text before writing it).
 */
public final class McpServerTables {
    private McpServerTables() {}

    /** The text of a {@code [mcp_servers.NAME]} table holding {@code body}'s keys, in their order. */
    public static String render(String name, ObjectNode body) {
        StringBuilder b = new StringBuilder();
        b.append("[mcp_servers.").append(TomlText.key(name)).append("]\n");
        for (Map.Entry<String, JsonNode> e : body.properties()) {
            b.append(TomlText.key(e.getKey()))
                    .append(" = ")
                    .append(TomlText.value(e.getValue()))
                    .append('\n');
        }
        return b.toString();
    }

    /** True when the text has a {@code [mcp_servers.NAME]} header. */
    public static boolean hasTable(String text, String name) {
        return headerIndex(TomlLines.scan(text), name) >= 0;
    }

    /**
     * Appends {@code table} (from {@link #render}) at the end, after one blank line; or, when a table of
     * that name exists, puts it in the old table's place.
     */
    public static String put(String text, String name, String table) {
        String eol = text.contains("\r\n") ? "\r\n" : "\n";
        String rendered = table.replace("\n", eol);
        List<TomlLines.Line> lines = TomlLines.scan(text);
        int header = headerIndex(lines, name);
        if (header >= 0) {
            int end = contentEnd(lines, header, tableEnd(lines, header));
            return join(lines, 0, header) + rendered + join(lines, end, lines.size());
        }
        StringBuilder b = new StringBuilder(text);
        if (!text.isEmpty()) {
            if (!text.endsWith("\n")) {
                b.append(eol);
            }
            if (!lines.get(lines.size() - 1).isBlank()) {
                b.append(eol);
            }
        }
        return b.append(rendered).toString();
    }

    /**
     * Removes the {@code [mcp_servers.NAME]} table, its sub-tables and the blank lines after it; comment
     * lines directly above the next table stay with that table.
     *
     * @throws IllegalArgumentException when there is no such table header
     */
    public static String remove(String text, String name) {
        List<TomlLines.Line> lines = TomlLines.scan(text);
        int header = headerIndex(lines, name);
        if (header < 0) {
            throw new IllegalArgumentException("no [mcp_servers." + name + "] table");
        }
        int end = tableEnd(lines, header);
        int start = header;
        if (end == lines.size()) {
            // Last table in the file: also drop the blank lines that separated it from what came before.
            while (start > 0 && lines.get(start - 1).isBlank()) {
                start--;
            }
        }
        return join(lines, 0, start) + join(lines, end, lines.size());
    }

    private static int headerIndex(List<TomlLines.Line> lines, String name) {
        for (int i = 0; i < lines.size(); i++) {
            TomlLines.Line l = lines.get(i);
            if (l.kind() == TomlLines.Kind.HEADER && l.path().equals(List.of("mcp_servers", name))) {
                return i;
            }
        }
        return -1;
    }

    /** Index after the table that starts at {@code header} (sub-tables included, next table's comments not). */
    private static int tableEnd(List<TomlLines.Line> lines, int header) {
        List<String> own = lines.get(header).path();
        int next = lines.size();
        for (int i = header + 1; i < lines.size(); i++) {
            TomlLines.Line l = lines.get(i);
            if (l.kind() == TomlLines.Kind.HEADER
                    && !(l.path().size() > own.size()
                            && l.path().subList(0, own.size()).equals(own))) {
                next = i;
                break;
            }
        }
        int end = next;
        if (next < lines.size()) {
            while (end - 1 > header && lines.get(end - 1).isComment()) {
                end--;
            }
        }
        return end;
    }

    /** Index after the last non-blank line of the table region. */
    private static int contentEnd(List<TomlLines.Line> lines, int header, int end) {
        while (end - 1 > header && lines.get(end - 1).isBlank()) {
            end--;
        }
        return end;
    }

    private static String join(List<TomlLines.Line> lines, int from, int to) {
        StringBuilder b = new StringBuilder();
        for (int i = from; i < to; i++) {
            b.append(lines.get(i).text());
        }
        return b.toString();
    }
}
