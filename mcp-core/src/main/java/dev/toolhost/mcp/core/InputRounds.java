package dev.toolhost.mcp.core;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The legacy side of MRTR: turns input-required outcomes into requests to whoever can answer them (a
 * legacy client's session, a terminal, a decline) and retries with the answers, until the request
 * completes or {@link #MAX_ROUNDS} rounds have passed. The same loop as the TypeScript SDK's legacy shim.
 */
public final class InputRounds {
    /** Rounds before giving up: a server that keeps asking is broken or looping. */
    public static final int MAX_ROUNDS = 8;

    /**
     * How long an input request may wait for its answer, which a person may give (an approval): the
     * lifetime of a sealed {@code requestState}, and of a server-to-client request on a legacy session.
     */
    public static final Duration ANSWER_TIMEOUT = Duration.ofMinutes(10);

    private InputRounds() {}

    /**
     * @param call   runs one round of the request
     * @param answer answers one input request with its JSON result (fails when it cannot be answered)
     * @return the complete result; fails with {@link IllegalStateException} after {@link #MAX_ROUNDS}.
     *         Cancelling it cancels the round (or the answers) in flight.
     */
    public static <R> CompletableFuture<R> resolve(
            McpRequest request,
            Function<McpRequest, CompletableFuture<Outcome<R>>> call,
            Function<InputRequest, CompletableFuture<Object>> answer) {
        CompletableFuture<R> result = new CompletableFuture<>();
        AtomicReference<CompletableFuture<?>> inFlight = new AtomicReference<>();
        result.whenComplete((r, e) -> {
            CompletableFuture<?> f = inFlight.get();
            if (result.isCancelled() && f != null) {
                f.cancel(true);
            }
        });
        round(request, call, answer, 1, result, inFlight);
        return result;
    }

    private static <R> void round(
            McpRequest request,
            Function<McpRequest, CompletableFuture<Outcome<R>>> call,
            Function<InputRequest, CompletableFuture<Object>> answer,
            int n,
            CompletableFuture<R> result,
            AtomicReference<CompletableFuture<?>> inFlight) {
        if (result.isDone()) {
            return;
        }
        CompletableFuture<Outcome<R>> running = call.apply(request);
        inFlight.set(running);
        running.whenComplete((outcome, error) -> {
            if (error != null) {
                result.completeExceptionally(error);
            } else if (outcome instanceof Outcome.Complete<R> done) {
                result.complete(done.result());
            } else if (n >= MAX_ROUNDS) {
                result.completeExceptionally(new IllegalStateException(
                        "'" + request.name() + "' still needed input after " + MAX_ROUNDS + " rounds; giving up"));
            } else {
                Outcome.InputRequired<R> needed = (Outcome.InputRequired<R>) outcome;
                Map<String, CompletableFuture<Object>> pending = new LinkedHashMap<>();
                needed.inputRequests().forEach((key, r) -> pending.put(key, answer.apply(r)));
                CompletableFuture<Void> all =
                        CompletableFuture.allOf(pending.values().toArray(CompletableFuture[]::new));
                inFlight.set(all);
                all.whenComplete((v, e) -> {
                    if (e != null) {
                        result.completeExceptionally(e);
                        return;
                    }
                    Map<String, Object> answers = new LinkedHashMap<>();
                    pending.forEach((key, f) -> answers.put(key, f.join()));
                    round(request.retry(answers, needed.requestState()), call, answer, n + 1, result, inFlight);
                });
            }
        });
    }
}
