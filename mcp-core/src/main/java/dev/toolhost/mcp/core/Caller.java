package dev.toolhost.mcp.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Who is calling: the key of every piece of per-caller state a tool keeps (process sessions, approvals
 * for the session, the plan). Two callers with different keys never see each other's state.
 *
 * @param key      stable for one legacy MCP session, for one bearer token under 2026-07-28, or for the
 *                 host process itself
 * @param stateful false for a 2026-07-28 (stateless) caller: nothing is remembered between its requests
 *                 except process sessions, which are reached through their own unguessable handles
 */
public record Caller(String key, boolean stateful) {

    /** A legacy MCP session (stdio process or HTTP {@code Mcp-Session-Id}). */
    public static Caller legacySession(String sessionId) {
        return new Caller("session:" + (sessionId == null ? "stdio" : sessionId), true);
    }

    /**
     * A 2026-07-28 request. {@code bearerToken} (null when the server has none) binds the caller's handles
     * to the token; only a digest of it is kept.
     */
    public static Caller stateless(String bearerToken) {
        return new Caller("stateless:" + (bearerToken == null ? "anonymous" : digest(bearerToken)), false);
    }

    /** Toolhost itself (the CLI, the agent loop): one caller per process. */
    public static Caller local() {
        return new Caller("local", true);
    }

    private static String digest(String secret) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
