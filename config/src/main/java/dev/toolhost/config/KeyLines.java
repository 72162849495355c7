package dev.toolhost.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Dotted key to the line that defines it (or its nearest enclosing table), from the raw TOML text. */
final class KeyLines {
    private final Map<String, Integer> lines = new HashMap<>();
    private final Map<Integer, String> keyByLine = new HashMap<>();

    KeyLines(String text) {
        for (TomlLines.Line line : TomlLines.scan(text)) {
            if (line.kind() != TomlLines.Kind.OTHER) {
                String key = String.join(".", line.path());
                lines.putIfAbsent(key, line.number());
                keyByLine.put(line.number(), key);
            }
        }
    }

    static KeyLines empty() {
        return new KeyLines("");
    }

    /** The line of the key, else of its nearest ancestor; 0 when unknown. */
    int lineOf(String dotted) {
        String p = dotted;
        while (true) {
            Integer line = lines.get(p);
            if (line != null) {
                return line;
            }
            int dot = p.lastIndexOf('.');
            if (dot < 0) {
                return 0;
            }
            p = p.substring(0, dot);
        }
    }

    /** The key or table defined on that line, or null. */
    String keyAt(int line) {
        return keyByLine.get(line);
    }

    static String join(List<String> path) {
        return String.join(".", path);
    }
}
