package dev.toolhost.mcp.server;

import dev.toolhost.mcp.core.CancellableRequests;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.concurrent.CompletableFuture;
import reactor.core.publisher.Mono;

/**
 * The legacy streamable-HTTP adapter of {@link CancellableRequests}: a {@code notifications/cancelled} arrives on its
 * own POST, decoded by the SDK's transport, so this tells the two apart by session. The HTTP transport's mapper
 * tags each {@code tools/call} with its JSON-RPC id ({@link #REQUEST_ID_META}); the tool handler registers its hub
 * future under (session, id); a cancellation decoded on the same session's POST cancels that future, and the hub
 * sends the cancel on downstream.
 */
public final class RequestCancellation {
    /** {@code _meta} key holding a tools/call's JSON-RPC id; never forwarded downstream. */
    static final String REQUEST_ID_META = "toolhost/requestId";

    // The servlet decodes a POST body on the request thread, so the session header is known there.
    private final ThreadLocal<String> postingSession = new ThreadLocal<>();
    private final CancellableRequests running = new CancellableRequests();

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
        return running.track(sessionId, requestId(request), call);
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
        running.cancel(postingSession.get(), requestId);
    }
}
