package dev.toolhost.mcp.core;

import java.util.List;

/** The MCP protocol revisions Toolhost speaks, on both sides (spec {@code basic/versioning}). */
public final class McpVersions {
    /**
     * Revisions with the {@code initialize} handshake and sessions, oldest first (the SDK answers with the
     * client's version when it is listed, else the last one).
     */
    public static final List<String> LEGACY = List.of("2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25");

    /** The stateless revision: version, client info and capabilities in every request's {@code _meta}. */
    public static final String MODERN_LATEST = "2026-07-28";

    /** Stateless revisions, newest first. */
    public static final List<String> MODERN = List.of(MODERN_LATEST);

    private McpVersions() {}
}
