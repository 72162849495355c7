package dev.toolhost.mcp.client;

import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Map;

/**
 * Answers requests a connected MCP server sends to us. The host wires the real one (a terminal
 * prompt, or forwarding to the MCP client that is calling Toolhost); the default declines, and gives no roots.
 */
public interface ServerRequestHandler {

    McpSchema.ElicitResult elicit(String server, McpSchema.ElicitRequest request);

    McpSchema.CreateMessageResult sample(String server, McpSchema.CreateMessageRequest request);

    /**
     * {@code roots/list} from a server with {@code forward_roots}: the roots of the caller this handler answers for,
     * asked of that caller only when it declared the {@code roots} capability. The default is an empty list: a
     * handler with no caller of its own (Toolhost itself, a request no call can be matched to) never gives anyone's
     * roots, nor the working directory.
     */
    default McpSchema.ListRootsResult listRoots(String server) {
        return NO_ROOTS;
    }

    /** An empty {@code roots/list} result. */
    McpSchema.ListRootsResult NO_ROOTS = new McpSchema.ListRootsResult(List.of());

    /** The key of the caller this handler answers for ({@code Caller.key}), or null when it does not say. */
    default String callerKey() {
        return null;
    }

    /** Whether it is waiting for its caller's answer to an earlier request right now. */
    default boolean awaitingAnswer() {
        return false;
    }

    /**
     * Whether the requests it has are still being gathered into one round for its caller (so a request its server
     * sends now may belong with them); implies {@link #awaitingAnswer}.
     */
    default boolean gathering() {
        return false;
    }

    /** Declines every elicitation and refuses sampling, giving {@code reason} (which says why nobody was asked). */
    static ServerRequestHandler refusing(String reason) {
        return new ServerRequestHandler() {
            @Override
            public McpSchema.ElicitResult elicit(String server, McpSchema.ElicitRequest request) {
                return new McpSchema.ElicitResult(
                        McpSchema.ElicitResult.Action.DECLINE, null, Map.of("reason", reason));
            }

            @Override
            public McpSchema.CreateMessageResult sample(String server, McpSchema.CreateMessageRequest request) {
                throw new UnsupportedOperationException(reason);
            }
        };
    }

    /** Declines every elicitation and refuses sampling with a clear reason. */
    static ServerRequestHandler declining() {
        return new ServerRequestHandler() {
            @Override
            public McpSchema.ElicitResult elicit(String server, McpSchema.ElicitRequest request) {
                return new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.DECLINE, null);
            }

            @Override
            public McpSchema.CreateMessageResult sample(String server, McpSchema.CreateMessageRequest request) {
                throw new UnsupportedOperationException("sampling requested by MCP server '" + server
                        + "' was declined: no sampling handler is configured in this Toolhost");
            }
        };
    }
}
