package dev.toolhost.mcp.client;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;

/**
 * Codex-compatible names for external tools and prompts: {@code mcp__<server>__<tool>}, limited to
 * {@code ^[a-zA-Z0-9_-]+$} and {@link #MAX_LENGTH} characters. Other characters become {@code _}; a
 * longer name is cut and ends with {@code _} plus a 12-hex-digit SHA-1 of the full raw name, so it
 * stays unique and stable across runs.
 */
public final class ToolNames {
    public static final int MAX_LENGTH = 64;
    public static final String PREFIX = "mcp__";
    public static final String DELIMITER = "__";
    private static final int HASH_LENGTH = 12;

    private ToolNames() {}

    /** The qualified name of {@code tool} on {@code server}, before any collision handling. */
    public static String qualify(String server, String tool) {
        String raw = PREFIX + server + DELIMITER + tool;
        String name = sanitize(raw);
        return name.length() <= MAX_LENGTH ? name : hashed(name, raw);
    }

    /**
     * The qualified name, made unique against {@code taken}: when the plain qualified name is taken
     * (two raw names sanitise alike), the hashed form of the raw name is used instead. Returns null
     * when even that is taken (the very same raw name twice), so the caller skips it.
     */
    public static String qualifyUnique(String server, String tool, Set<String> taken) {
        String name = qualify(server, tool);
        if (!taken.contains(name)) {
            return name;
        }
        String raw = PREFIX + server + DELIMITER + tool;
        String alt = hashed(sanitize(raw), raw);
        return taken.contains(alt) ? null : alt;
    }

    /** Replaces every character outside {@code [a-zA-Z0-9_-]} with {@code _}. */
    public static String sanitize(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok =
                    (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
            b.append(ok ? c : '_');
        }
        return b.toString();
    }

    private static String hashed(String sanitized, String raw) {
        String hash = sha1Hex(raw).substring(0, HASH_LENGTH);
        int keep = Math.min(sanitized.length(), MAX_LENGTH - HASH_LENGTH - 1);
        return sanitized.substring(0, keep) + "_" + hash;
    }

    private static String sha1Hex(String s) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is part of every Java runtime", e);
        }
    }
}
