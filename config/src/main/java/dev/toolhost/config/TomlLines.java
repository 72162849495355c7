package dev.toolhost.config;

import java.util.ArrayList;
import java.util.List;

/**
 * A line-level view of TOML text: which lines are table headers and which start a {@code key =}
 * pair. Jackson's TOML parser does not report token lines, so this gives error messages, origins and
 * the {@code mcp add/remove} editor their positions. It never decides what a value is (Jackson does).
 */
final class TomlLines {

    enum Kind {
        HEADER,
        KEY,
        OTHER
    }

    /**
     * One physical line.
     *
     * @param number 1-based line number
     * @param text   the line including its end-of-line characters
     * @param path   for HEADER the table path, for KEY the full dotted path (table + key), else empty
     */
    record Line(int number, String text, Kind kind, List<String> path) {
        boolean isBlank() {
            return text.isBlank();
        }

        boolean isComment() {
            return text.stripLeading().startsWith("#");
        }
    }

    private TomlLines() {}

    static List<Line> scan(String text) {
        List<Line> out = new ArrayList<>();
        List<String> table = List.of();
        String openMultiline = null;
        int start = 0;
        int number = 1;
        while (start < text.length()) {
            int nl = text.indexOf('\n', start);
            int end = nl < 0 ? text.length() : nl + 1;
            String line = text.substring(start, end);
            Kind kind = Kind.OTHER;
            List<String> path = List.of();
            if (openMultiline == null) {
                String body = line.strip();
                if (body.startsWith("[")) {
                    List<String> header = parseHeader(body);
                    if (header != null) {
                        table = header;
                        kind = Kind.HEADER;
                        path = header;
                    }
                } else {
                    List<String> key = parseKeyBeforeEquals(body);
                    if (key != null) {
                        List<String> full = new ArrayList<>(table);
                        full.addAll(key);
                        kind = Kind.KEY;
                        path = List.copyOf(full);
                    }
                }
            }
            openMultiline = trackMultiline(line, openMultiline);
            out.add(new Line(number, line, kind, path));
            number++;
            start = end;
        }
        return out;
    }

    /** Returns the multi-line string delimiter still open after this line, or null. */
    private static String trackMultiline(String line, String open) {
        int i = 0;
        while (i < line.length()) {
            if (open == null) {
                char c = line.charAt(i);
                if (c == '#') {
                    return null;
                }
                if (line.startsWith("\"\"\"", i) || line.startsWith("'''", i)) {
                    open = line.substring(i, i + 3);
                    i += 3;
                    continue;
                }
                if (c == '"' || c == '\'') {
                    int close = findClose(line, i + 1, c);
                    i = close < 0 ? line.length() : close + 1;
                    continue;
                }
                i++;
            } else {
                if (open.charAt(0) == '"' && line.charAt(i) == '\\') {
                    i += 2;
                    continue;
                }
                if (line.startsWith(open, i)) {
                    open = null;
                    i += 3;
                    continue;
                }
                i++;
            }
        }
        return open;
    }

    private static int findClose(String s, int from, char quote) {
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote == '"' && c == '\\') {
                i++;
            } else if (c == quote) {
                return i;
            }
        }
        return -1;
    }

    private static List<String> parseHeader(String body) {
        boolean array = body.startsWith("[[");
        int[] pos = {array ? 2 : 1};
        List<String> path = parsePath(body, pos);
        if (path == null) {
            return null;
        }
        skipSpaces(body, pos);
        String close = array ? "]]" : "]";
        return body.startsWith(close, pos[0]) ? path : null;
    }

    private static List<String> parseKeyBeforeEquals(String body) {
        if (body.isEmpty() || body.startsWith("#")) {
            return null;
        }
        int[] pos = {0};
        List<String> path = parsePath(body, pos);
        if (path == null) {
            return null;
        }
        skipSpaces(body, pos);
        return pos[0] < body.length() && body.charAt(pos[0]) == '=' ? path : null;
    }

    /** Parses a dotted key (bare, "basic" or 'literal' segments) starting at pos[0]; null if there is none. */
    static List<String> parsePath(String s, int[] pos) {
        List<String> segments = new ArrayList<>();
        while (true) {
            skipSpaces(s, pos);
            int i = pos[0];
            if (i >= s.length()) {
                return null;
            }
            char c = s.charAt(i);
            if (c == '"' || c == '\'') {
                int close = findClose(s, i + 1, c);
                if (close < 0) {
                    return null;
                }
                String raw = s.substring(i + 1, close);
                segments.add(c == '"' ? unescapeBasic(raw) : raw);
                pos[0] = close + 1;
            } else {
                int j = i;
                while (j < s.length() && isBare(s.charAt(j))) {
                    j++;
                }
                if (j == i) {
                    return null;
                }
                segments.add(s.substring(i, j));
                pos[0] = j;
            }
            skipSpaces(s, pos);
            if (pos[0] < s.length() && s.charAt(pos[0]) == '.') {
                pos[0]++;
                continue;
            }
            return segments;
        }
    }

    static boolean isBare(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    }

    private static String unescapeBasic(String raw) {
        // Only simple escapes matter for key names; anything exotic is kept as written.
        return raw.replace("\\\"", "\"").replace("\\\\", "\\");
    }

    private static void skipSpaces(String s, int[] pos) {
        while (pos[0] < s.length() && (s.charAt(pos[0]) == ' ' || s.charAt(pos[0]) == '\t')) {
            pos[0]++;
        }
    }
}
