package dev.toolhost.mcp.client;

/**
 * An MCP server did not start. The message is complete and user-facing: it names the server, the
 * cause and, for stdio servers, the last lines of its stderr.
 */
public final class ServerStartException extends RuntimeException {
    private final String server;

    public ServerStartException(String server, String message, Throwable cause) {
        super(message, cause);
        this.server = server;
    }

    public String server() {
        return server;
    }
}
