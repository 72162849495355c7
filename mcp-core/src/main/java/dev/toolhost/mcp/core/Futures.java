package dev.toolhost.mcp.core;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** Future stages that keep cancellation: cancelling the derived future cancels its source. */
public final class Futures {
    private Futures() {}

    /**
     * Like {@code source.thenApply(fn)}, but cancelling the result cancels {@code source} (a plain
     * {@code thenApply} would leave the call it stands for running). Completes on the source's thread.
     */
    public static <T, R> CompletableFuture<R> map(CompletableFuture<T> source, Function<? super T, ? extends R> fn) {
        CompletableFuture<R> derived = source.thenApply(fn);
        derived.whenComplete((r, e) -> {
            if (derived.isCancelled()) {
                source.cancel(true);
            }
        });
        return derived;
    }
}
