package dev.toolhost.mcp.server;

import dev.toolhost.mcp.core.CancellableRequests;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
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
     * The handler's result for {@code call}, which a {@code notifications/cancelled} for this request cancels until it
     * completes. A call cancelled so completes empty: the SDK then ends the request's SSE stream without a response
     * (spec {@code basic/utilities/cancellation}: a cancelled request is not answered), where a failure would be sent
     * as -32603. Requests not tagged by the HTTP transport are only converted.
     */
    <T> Mono<T> cancellable(String sessionId, McpSchema.CallToolRequest request, CompletableFuture<T> call) {
        AtomicBoolean cancelled = new AtomicBoolean();
        Runnable unregister = running.register(sessionId, requestId(request), () -> {
            cancelled.set(true);
            call.cancel(true);
        });
        call.whenComplete((r, e) -> unregister.run());
        return Mono.fromFuture(call)
                .onErrorResume(CancellationException.class, e -> cancelled.get() ? Mono.empty() : Mono.error(e));
    }

    private static Object requestId(McpSchema.CallToolRequest request) {
        return request.meta() == null ? null : request.meta().get(REQUEST_ID_META);
    }

    /** Legacy session {@code sessionId} ended: its calls still in flight are stopped (nobody can get their answers). */
    void sessionEnded(String sessionId) {
        running.cancelAll(sessionId);
    }

    /** A {@code notifications/cancelled} for {@code requestId} arrived on the current POST's session. */
    void cancel(Object requestId) {
        running.cancel(postingSession.get(), requestId);
    }
}
