package dev.toolhost.mcp.client;

import io.modelcontextprotocol.spec.McpSchema;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;

/**
 * The server side of {@code notifications/cancelled}, which the SDK's server session (1.1.5) does
 * not handle: a transport runs each client request's handling through here, and a cancellation
 * from the client disposes it, which interrupts a tool handler still running. Drop this when the
 * SDK handles the notification itself.
 */
public final class RunningRequests {
    public static final String CANCELLED = "notifications/cancelled";

    private final Map<Object, Disposable> running = new ConcurrentHashMap<>();

    /** Subscribes to one request's handling (the session's {@code handle(request)}), cancellable by its id. */
    public void run(Object id, Mono<Void> handling, Runnable onEnd) {
        Disposable.Swap handle = Disposables.swap();
        if (id != null) {
            running.put(id, handle);
        }
        handle.update(handling.doFinally(signal -> {
                    if (id != null) {
                        running.remove(id, handle);
                    }
                    onEnd.run();
                })
                .subscribe(null, e -> {}));
    }

    /** Cancels the request a {@code notifications/cancelled} names; false for any other message. */
    public boolean cancel(McpSchema.JSONRPCMessage message) {
        if (!isCancellation(message)) {
            return false;
        }
        Object id = cancelledRequestId(message);
        Disposable handling = id == null ? null : running.remove(id);
        if (handling != null) {
            handling.dispose();
        }
        return true;
    }

    /** Whether this is a {@code notifications/cancelled}. */
    public static boolean isCancellation(McpSchema.JSONRPCMessage message) {
        return message instanceof McpSchema.JSONRPCNotification n && CANCELLED.equals(n.method());
    }

    /** The request a {@code notifications/cancelled} names, or null (also for any other message). */
    public static Object cancelledRequestId(McpSchema.JSONRPCMessage message) {
        return isCancellation(message) && ((McpSchema.JSONRPCNotification) message).params() instanceof Map<?, ?> params
                ? params.get("requestId")
                : null;
    }
}
