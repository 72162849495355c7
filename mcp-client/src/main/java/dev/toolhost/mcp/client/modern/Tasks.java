package dev.toolhost.mcp.client.modern;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * One task a server answered {@code tools/call} with (the {@code io.modelcontextprotocol/tasks} extension,
 * {@code resultType: "task"}): polled with {@code tasks/get} at the server's {@code pollIntervalMs} until it is
 * {@code completed} (its {@code result}), {@code failed} (its {@code error}) or {@code cancelled}. Whoever waits
 * bounds the wait ({@code tool_timeout_sec}) and {@link #cancel}s on giving up ({@code tasks/cancel}). A task
 * that needs input ({@code input_required}) is cancelled with an error: Toolhost does not relay
 * {@code tasks/update} yet.
 */
final class Tasks {
    static final String EXTENSION = "io.modelcontextprotocol/tasks";
    static final String RESULT_TYPE = "task";
    private static final long DEFAULT_POLL_MS = 1_000;
    private static final long MIN_POLL_MS = 50;
    private static final long MAX_POLL_MS = 10_000;

    private final ModernClient client;
    private final String server;
    private final String taskId;
    private volatile long pollMs;
    private volatile boolean cancelled;
    private volatile CompletableFuture<Map<String, Object>> inFlight;

    Tasks(ModernClient client, String server, Map<String, Object> created) {
        this.client = client;
        this.server = server;
        this.taskId = created.get("taskId") instanceof String id ? id : null;
        this.pollMs = interval(created, DEFAULT_POLL_MS);
    }

    /** The task's final result (the {@code tools/call} result it stands for); fails with its error. */
    CompletableFuture<Map<String, Object>> poll() {
        CompletableFuture<Map<String, Object>> done = new CompletableFuture<>();
        if (taskId == null) {
            done.completeExceptionally(new ServerErrorException(
                    -32603, "MCP server '" + server + "' answered with a task" + " without a taskId", null, -1));
            return done;
        }
        schedule(done);
        return done;
    }

    private void schedule(CompletableFuture<Map<String, Object>> done) {
        CompletableFuture.delayedExecutor(pollMs, TimeUnit.MILLISECONDS).execute(() -> {
            if (cancelled || done.isDone()) {
                return;
            }
            CompletableFuture<Map<String, Object>> get = client.request("tasks/get", Map.of("taskId", taskId), null);
            inFlight = get;
            get.whenComplete((task, e) -> {
                if (e != null) {
                    done.completeExceptionally(
                            e instanceof CompletionException && e.getCause() != null ? e.getCause() : e);
                    return;
                }
                pollMs = interval(task, pollMs);
                String status = task.get("status") instanceof String s ? s : "working";
                switch (status) {
                    case "completed" -> {
                        Map<String, Object> result = Json.object(task.get("result"));
                        done.complete(result == null ? Map.of() : new LinkedHashMap<>(result));
                    }
                    case "failed" -> {
                        Map<String, Object> error = Json.object(task.get("error"));
                        done.completeExceptionally(
                                error != null
                                        ? HttpWire.rpcError(error, -1)
                                        : new ServerErrorException(-32603, "task " + taskId + " failed", null, -1));
                    }
                    case "cancelled" ->
                        done.completeExceptionally(new ServerErrorException(
                                -32603, "MCP server '" + server + "' cancelled task " + taskId, null, -1));
                    case "input_required" -> {
                        cancel();
                        done.completeExceptionally(new ServerErrorException(
                                -32603,
                                "task " + taskId + " of MCP server '" + server
                                        + "' needs input, which Toolhost does not relay for tasks; it was cancelled",
                                null,
                                -1));
                    }
                    default -> schedule(done);
                }
            });
        });
    }

    /** {@code tasks/cancel}: cooperative, fire and forget. */
    void cancel() {
        if (cancelled || taskId == null) {
            return;
        }
        cancelled = true;
        CompletableFuture<Map<String, Object>> f = inFlight;
        if (f != null) {
            f.cancel(true);
        }
        client.request("tasks/cancel", Map.of("taskId", taskId), null);
    }

    private static long interval(Map<String, Object> task, long fallback) {
        long ms = task.get("pollIntervalMs") instanceof Number n ? n.longValue() : fallback;
        return Math.max(MIN_POLL_MS, Math.min(MAX_POLL_MS, ms));
    }
}
