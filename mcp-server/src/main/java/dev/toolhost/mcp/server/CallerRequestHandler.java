package dev.toolhost.mcp.server;

import dev.toolhost.mcp.client.ServerRequestHandler;
import dev.toolhost.mcp.core.Caller;
import dev.toolhost.mcp.core.InputRequest;
import dev.toolhost.mcp.core.RequestMeta;
import io.modelcontextprotocol.server.McpAsyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Answers a downstream server's elicitation and sampling requests by asking the MCP client that
 * made the call, when that client declared the capability; otherwise refuses with an error that
 * says why (what an MCP client without the capability would answer too). {@code roots/list} (from a server with
 * {@code forward_roots}) gets that client's roots, or none when it declared no roots.
 */
final class CallerRequestHandler implements ServerRequestHandler {
    private final McpAsyncServerExchange caller;
    /** Requests of this call being put to the client right now. */
    private final AtomicInteger asking = new AtomicInteger();

    /** One per call: {@link #awaitingAnswer} is this call's. */
    CallerRequestHandler(McpAsyncServerExchange caller) {
        this.caller = caller;
    }

    @Override
    public String callerKey() {
        return Caller.legacySession(caller.sessionId()).key();
    }

    @Override
    public boolean awaitingAnswer() {
        return asking.get() > 0;
    }

    @Override
    public McpSchema.ElicitResult elicit(String server, McpSchema.ElicitRequest request) {
        String mode = request instanceof McpSchema.ElicitUrlRequest ? "url" : "form";
        RequestMeta caps = new RequestMeta(null, null, caller.getClientCapabilities(), null, Map.of(), null, null);
        if (caps.missingCapability(new InputRequest(InputRequest.ELICITATION, Map.of("mode", mode))) != null) {
            // An error (not a bare "decline") so that the asking server can tell its user why.
            throw new UnsupportedOperationException("the MCP client connected to Toolhost (" + clientName()
                    + ") did not declare the elicitation capability (" + mode + " mode), so nobody can answer"
                    + " requests from '" + server + "'");
        }
        // A blocking wait is what the hub's synchronous contract asks for; toFuture() avoids
        // Reactor's block() check when the hub calls from one of its own threads.
        asking.incrementAndGet();
        try {
            return caller.createElicitation(request).toFuture().join();
        } finally {
            asking.decrementAndGet();
        }
    }

    @Override
    public McpSchema.CreateMessageResult sample(String server, McpSchema.CreateMessageRequest request) {
        McpSchema.ClientCapabilities caps = caller.getClientCapabilities();
        if (caps == null || caps.sampling() == null) {
            throw new UnsupportedOperationException("sampling requested by MCP server '" + server
                    + "' was declined: the MCP client connected to Toolhost (" + clientName()
                    + ") did not declare the sampling capability");
        }
        asking.incrementAndGet();
        try {
            return caller.createMessage(request).toFuture().join();
        } finally {
            asking.decrementAndGet();
        }
    }

    /** The caller's own roots when it declared the capability, else none (never anyone else's). */
    @Override
    public McpSchema.ListRootsResult listRoots(String server) {
        McpSchema.ClientCapabilities caps = caller.getClientCapabilities();
        if (caps == null || caps.roots() == null) {
            return NO_ROOTS;
        }
        asking.incrementAndGet();
        try {
            return caller.listRoots().toFuture().join();
        } finally {
            asking.decrementAndGet();
        }
    }

    private String clientName() {
        McpSchema.Implementation info = caller.getClientInfo();
        return info == null ? "unnamed client" : info.name();
    }
}
