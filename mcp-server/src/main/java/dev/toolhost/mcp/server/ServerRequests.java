package dev.toolhost.mcp.server;

import java.time.Duration;

/** Limits for requests Toolhost sends to its MCP clients (elicitation, sampling). */
final class ServerRequests {
    /**
     * How long a client may take to answer. The SDK's default (10 s) would turn every approval a
     * person takes longer to think about into a denial.
     */
    static final Duration TIMEOUT = Duration.ofMinutes(10);

    private ServerRequests() {
    }
}
