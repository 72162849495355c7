package dev.toolhost.mcp.server;

import io.modelcontextprotocol.spec.McpSchema;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.publisher.Mono;

/**
 * Carries {@code notifications/cancelled} to running {@code tools/call}s over streamable HTTP. SDK 1.1.5
 * registers no handler for that notification on its streamable server session ("No handler registered"),
 * so a cancelled call kept running downstream. The HTTP transport's mapper tags each {@code tools/call}
 * with its JSON-RPC id ({@link #REQUEST_ID_META}); the tool handler registers its hub future under
 * (session, id); a cancel decoded on the same session's POST cancels that future, and the hub sends the
 * cancel on downstream. The stdio transport does the same by disposing the request's subscription.
 */
public final class RequestCancellation {
    /** {@code _meta} key holding a tools/call's JSON-RPC id; never forwarded downstream. */
    static final String REQUEST_ID_META = "toolhost/requestId";

    // The servlet decodes a POST body on the request thread, so the session header is known there.
    private final ThreadLocal<String> postingSession = new ThreadLocal<>();
    private final Map<String, CompletableFuture<?>> running = new ConcurrentHashMap<>();

    void enterPost(String sessionId) {
        postingSession.set(sessionId);
    }

    void exitPost() {
        postingSession.remove();
    }

    /**
     * Lets a {@code notifications/cancelled} for this request cancel {@code call} until it completes.
     * Unchanged for requests not tagged by the HTTP transport.
     */
    <T> CompletableFuture<T> cancellable(
            String sessionId, McpSchema.CallToolRequest request, CompletableFuture<T> call) {
        Object requestId = requestId(request);
        if (requestId != null) {
            String key = key(sessionId, requestId);
            running.put(key, call);
            call.whenComplete((r, e) -> running.remove(key, call));
        }
        return call;
    }

    /** The same for a handler built as a Mono: the cancel disposes its subscription, interrupting a tool still running. */
    <T> Mono<T> cancellable(String sessionId, McpSchema.CallToolRequest request, Mono<T> call) {
        return requestId(request) == null
                ? call
                : Mono.defer(() -> Mono.fromFuture(cancellable(sessionId, request, call.toFuture())));
    }

    private static Object requestId(McpSchema.CallToolRequest request) {
        return request.meta() == null ? null : request.meta().get(REQUEST_ID_META);
    }

    /** A {@code notifications/cancelled} for {@code requestId} arrived on the current POST's session. */
    void cancel(Object requestId) {
        CompletableFuture<?> call = running.remove(key(postingSession.get(), requestId));
        if (call != null) {
            call.cancel(true);
        }
    }

    private static String key(String sessionId, Object requestId) {
        return sessionId + "\u0000" + requestId; // ids 7 and "7" are one request, as the client meant
    }
}
