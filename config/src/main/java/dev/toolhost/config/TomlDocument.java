package dev.toolhost.config;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.toml.TomlMapper;

/** A config file's text parsed by Jackson, with the line index used for messages and origins. */
record TomlDocument(Path file, String text, ObjectNode tree, KeyLines lines) {

    static final TomlMapper MAPPER = new TomlMapper();

    static TomlDocument parse(Path file, String text) throws ConfigException {
        KeyLines lines = new KeyLines(text);
        try {
            JsonNode tree = MAPPER.readTree(text);
            return new TomlDocument(file, text, tree instanceof ObjectNode o ? o : MAPPER.createObjectNode(), lines);
        } catch (JacksonException e) {
            throw syntaxError(file, text, lines, e);
        }
    }

    /** "FILE:LINE" for a dotted key (the line of its nearest defined ancestor). */
    String where(String dotted) {
        int line = lines.lineOf(dotted);
        return line > 0 ? name(file) + ":" + line : name(file);
    }

    private static String name(Path file) {
        return file == null ? "config" : file.toString();
    }

    private static ConfigException syntaxError(Path file, String text, KeyLines lines, JacksonException e) {
        TokenStreamLocation loc = e.getLocation();
        int line = loc == null ? -1 : loc.getLineNr();
        int column = loc == null ? -1 : loc.getColumnNr();
        String problem = e.getOriginalMessage();
        if ("Duplicate key".equals(problem)) {
            // Jackson reports the position after the duplicate; the line index knows the line itself.
            int duplicate = duplicateLine(text);
            if (duplicate > 0) {
                line = duplicate;
                column = -1;
            }
        }
        StringBuilder msg = new StringBuilder();
        msg.append(name(file));
        if (line > 0) {
            msg.append(':').append(line);
        }
        msg.append(": invalid TOML");
        String lineText = line > 0 ? lineText(text, line) : null;
        String key = line > 0 ? lines.keyAt(line) : null;
        if (key != null) {
            msg.append(" in key '").append(key).append('\'');
        }
        if (column > 0) {
            msg.append(" at column ").append(column);
        }
        msg.append(": ").append(problem);
        if ("Duplicate key".equals(problem)) {
            msg.append(" (each key and table may be defined only once)");
        } else if (lineText != null && lineText.contains("=") && column > lineText.indexOf('=')) {
            msg.append(
                    " (expected a value: a \"quoted string\", a number, true/false, an [array] or an { inline = \"table\" })");
        }
        if (lineText != null && !lineText.isBlank()) {
            msg.append("\n    ").append(line).append(" | ").append(shown(lineText.stripTrailing(), key));
        }
        return new ConfigException(msg.toString());
    }

    /** A TOML string literal: basic ("..." with escapes) or literal ('...'). */
    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"?|'[^']*'?");

    /**
     * The line as an error may quote it: the strings of a key where secrets go ({@link Redact#secretValue}), or of a
     * line whose key is unknown, are masked; a URL's secrets are masked as {@link Redact#url} does.
     */
    static String shown(String lineText, String key) {
        boolean secret = key == null || Redact.secretValue(key);
        boolean url = key != null && (key.endsWith("url") || key.endsWith("_url"));
        if (!secret && !url) {
            return lineText;
        }
        Matcher m = STRING.matcher(lineText);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String literal = m.group();
            char quote = literal.charAt(0);
            boolean closed = literal.length() > 1 && literal.charAt(literal.length() - 1) == quote;
            String body = literal.substring(1, closed ? literal.length() - 1 : literal.length());
            String masked = secret ? Redact.MASK : Redact.url(body);
            m.appendReplacement(out, Matcher.quoteReplacement(quote + masked + (closed ? String.valueOf(quote) : "")));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static int duplicateLine(String text) {
        Set<List<String>> seen = new HashSet<>();
        for (TomlLines.Line l : TomlLines.scan(text)) {
            boolean arrayHeader = l.text().stripLeading().startsWith("[[");
            if (l.kind() != TomlLines.Kind.OTHER && !arrayHeader && !seen.add(l.path())) {
                return l.number();
            }
        }
        return -1;
    }

    private static String lineText(String text, int line) {
        String[] all = text.split("\n", -1);
        return line <= all.length ? all[line - 1] : null;
    }
}
