package dev.toolhost.mcp.server;

import dev.toolhost.mcp.client.ServerRequestHandler;
import io.modelcontextprotocol.server.McpAsyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.Map;

/**
 * Answers a downstream server's elicitation and sampling requests by asking the MCP client that
 * made the call, when that client declared the capability; otherwise declines and says why.
 */
final class CallerRequestHandler implements ServerRequestHandler {
    /** Where a decline explains itself ({@code _meta} of the ElicitResult). */
    static final String REASON_KEY = "dev.toolhost/reason";

    private final McpAsyncServerExchange caller;

    CallerRequestHandler(McpAsyncServerExchange caller) {
        this.caller = caller;
    }

    @Override
    public McpSchema.ElicitResult elicit(String server, McpSchema.ElicitRequest request) {
        McpSchema.ClientCapabilities caps = caller.getClientCapabilities();
        if (caps == null || caps.elicitation() == null) {
            return new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.DECLINE, null,
                    Map.of(REASON_KEY, "declined: the MCP client connected to Toolhost ("
                            + clientName() + ") did not declare the elicitation capability, so nobody can approve"
                            + " requests from '" + server + "'"));
        }
        // A blocking wait is what the hub's synchronous contract asks for; toFuture() avoids
        // Reactor's block() check when the hub calls from one of its own threads.
        return caller.createElicitation(request).toFuture().join();
    }

    @Override
    public McpSchema.CreateMessageResult sample(String server, McpSchema.CreateMessageRequest request) {
        McpSchema.ClientCapabilities caps = caller.getClientCapabilities();
        if (caps == null || caps.sampling() == null) {
            throw new UnsupportedOperationException("sampling requested by MCP server '" + server
                    + "' was declined: the MCP client connected to Toolhost (" + clientName()
                    + ") did not declare the sampling capability");
        }
        return caller.createMessage(request).toFuture().join();
    }

    private String clientName() {
        McpSchema.Implementation info = caller.getClientInfo();
        return info == null ? "unnamed client" : info.name();
    }
}
