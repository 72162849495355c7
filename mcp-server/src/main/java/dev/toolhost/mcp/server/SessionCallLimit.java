package dev.toolhost.mcp.server;

import io.modelcontextprotocol.server.McpAsyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import reactor.core.publisher.Mono;

/**
 * At most {@code max} tool calls running at once per client session; a call beyond that is refused
 * at once with a tool error that says so (the client may retry when one finishes).
 */
public final class SessionCallLimit {
    private final int max;
    private final ConcurrentHashMap<String, Integer> running = new ConcurrentHashMap<>();

    public SessionCallLimit(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("the per-session call limit must be at least 1, got " + max);
        }
        this.max = max;
    }

    public int max() {
        return max;
    }

    /** Wraps a tool handler so that it runs under this limit. */
    public BiFunction<McpAsyncServerExchange, McpSchema.CallToolRequest, Mono<McpSchema.CallToolResult>> wrap(
            BiFunction<McpAsyncServerExchange, McpSchema.CallToolRequest, Mono<McpSchema.CallToolResult>> handler) {
        return (exchange, request) -> Mono.defer(() -> {
            String session = exchange.sessionId() == null ? "" : exchange.sessionId();
            if (running.merge(session, 1, Integer::sum) > max) {
                release(session);
                return Mono.just(McpSchema.CallToolResult.builder()
                        .isError(true)
                        .addTextContent("too many concurrent tool calls on this MCP session: the limit is " + max
                                + " at a time; wait for a call to finish and retry")
                        .build());
            }
            return handler.apply(exchange, request).doFinally(signal -> release(session));
        });
    }

    private void release(String session) {
        running.computeIfPresent(session, (k, n) -> n == 1 ? null : n - 1);
    }
}
