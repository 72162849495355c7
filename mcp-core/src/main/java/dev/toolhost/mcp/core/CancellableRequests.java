package dev.toolhost.mcp.core;

import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The server side of {@code notifications/cancelled} (spec {@code basic/utilities/cancellation}), the one way every
 * transport of either era cancels a client's request: while a request is handled it is registered here under its
 * scope (the stdio connection, or the legacy HTTP session it came on) and its JSON-RPC id, with how to stop it; a
 * cancellation naming the same scope and id stops it. Stopping cancels the handler's future (or disposes its
 * subscription), and the hub carries that on to the downstream server. A request unregisters itself when it ends, so
 * a late or unknown cancellation is ignored, as the spec asks.
 *
 * <p>The MCP Java SDK 2.1.0 registers no handler for the notification on either server session, which is why
 * this exists; a 2026-07-28 HTTP request is stopped by closing its stream instead, which its front handles.
 */
public final class CancellableRequests {
    /** The notification's method name. */
    public static final String CANCELLED = "notifications/cancelled";

    private final Map<String, Runnable> running = new ConcurrentHashMap<>();

    /**
     * Registers a request being handled.
     *
     * @param scope  whose ids these are (one connection or session); null is a scope of its own
     * @param id     the request's JSON-RPC id; null (a notification) registers nothing
     * @param cancel stops the handling; run at most once, on the thread that reads the cancellation
     * @return unregisters the request (run it when the handling ends)
     */
    public Runnable register(String scope, Object id, Runnable cancel) {
        if (id == null) {
            return () -> {};
        }
        String key = key(scope, id);
        running.put(key, cancel);
        return () -> running.remove(key, cancel);
    }

    /** Registers {@code handling} until it completes; a cancellation cancels it. Returns {@code handling}. */
    public <T> CompletableFuture<T> track(String scope, Object id, CompletableFuture<T> handling) {
        Runnable unregister = register(scope, id, () -> handling.cancel(true));
        handling.whenComplete((r, e) -> unregister.run());
        return handling;
    }

    /**
     * Stops the request a {@code notifications/cancelled} named.
     *
     * @return whether a request with that id was still being handled in that scope
     */
    public boolean cancel(String scope, Object id) {
        Runnable cancel = id == null ? null : running.remove(key(scope, id));
        if (cancel == null) {
            return false;
        }
        cancel.run();
        return true;
    }

    /**
     * Stops every request still being handled in {@code scope}: its session ended, so none of them can be answered
     * (and what they would leave behind, such as a process started for a session nobody can reach, is not made).
     *
     * @return how many were stopped
     */
    public int cancelAll(String scope) {
        String prefix = key(scope, "");
        int stopped = 0;
        for (String key : List.copyOf(running.keySet())) {
            Runnable cancel = key.startsWith(prefix) ? running.remove(key) : null;
            if (cancel != null) {
                cancel.run();
                stopped++;
            }
        }
        return stopped;
    }

    /** Whether this is a {@code notifications/cancelled}. */
    public static boolean isCancellation(McpSchema.JSONRPCMessage message) {
        return message instanceof McpSchema.JSONRPCNotification n && CANCELLED.equals(n.method());
    }

    /** The {@code requestId} of a {@code notifications/cancelled}'s params, or null (also for any other message). */
    public static Object cancelledRequestId(McpSchema.JSONRPCMessage message) {
        return isCancellation(message) ? requestId(((McpSchema.JSONRPCNotification) message).params()) : null;
    }

    /** The {@code requestId} in a {@code notifications/cancelled}'s params, or null. */
    public static Object requestId(Object params) {
        return params instanceof Map<?, ?> p ? p.get("requestId") : null;
    }

    private static String key(String scope, Object id) {
        return scope + "\u0000" + id; // ids 7 and "7" are one request, as the client meant
    }
}
