package dev.toolhost.config;

import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * One {@code -c dotted.key=value}: the value is parsed as TOML and taken as a plain string when it is
 * not valid TOML (so {@code -c sandbox_mode=read-only} works without quotes). The raw text is not kept: an override
 * may carry a secret ({@code -c mcp_servers.s.env.TOKEN=...}), so it is only ever named by its key ({@link #origin}).
 */
record ConfigOverride(List<String> key, JsonNode value) {

    /** How every origin of an override begins; the key follows, never the value. */
    static final String ORIGIN_PREFIX = "override -c ";

    static ConfigOverride parse(String raw) throws ConfigException {
        int eq = raw.indexOf('=');
        if (eq <= 0) {
            // Shown only when it is a key Toolhost knows: a token pasted by mistake must not be printed back.
            String shown =
                    eq < 0 && KnownKeys.isKnown(raw.strip()) ? " " + raw.strip() : " (an argument without a key)";
            throw new ConfigException("-c" + shown + ": expected key=value, e.g. -c sandbox_mode=\"read-only\"");
        }
        String keyText = raw.substring(0, eq).strip();
        int[] pos = {0};
        List<String> key = TomlLines.parsePath(keyText, pos);
        if (key == null || pos[0] != keyText.length()) {
            throw new ConfigException("-c " + keyText + ": not a valid dotted key "
                    + "(expected names of letters, digits, _ and -, joined by dots)");
        }
        return new ConfigOverride(key, parseValue(raw.substring(eq + 1).strip()));
    }

    private static JsonNode parseValue(String text) {
        try {
            JsonNode doc = TomlDocument.MAPPER.readTree("v = " + text);
            if (doc != null && doc.size() == 1 && doc.has("v")) {
                return doc.get("v");
            }
        } catch (JacksonException notToml) {
            // fall through: a bare word is meant as a string
        }
        return JsonNodeFactory.instance.stringNode(text);
    }

    String dottedKey() {
        return String.join(".", key);
    }

    /** The override as a one-key layer, e.g. {@code {mcp_servers: {fs: {command: "x"}}}}. */
    ObjectNode layer() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ObjectNode t = root;
        for (int i = 0; i < key.size() - 1; i++) {
            t = t.putObject(key.get(i));
        }
        t.set(key.get(key.size() - 1), value);
        return root;
    }

    /** Where the override's keys came from, as shown in messages and {@code config show}: the key, not the value. */
    String origin() {
        return ORIGIN_PREFIX + dottedKey();
    }

    /** Whether {@code origin} (from {@link LayeredTree#originOf}) is an override's, whose value must not be shown. */
    static boolean isOrigin(String origin) {
        return origin.startsWith(ORIGIN_PREFIX);
    }
}
