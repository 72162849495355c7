package dev.toolhost.mcp.client;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Every stdio server process the hub started, so that none outlives Toolhost: a server is ended (with
 * its children) when the hub gives up on it, and a JVM shutdown hook ends whatever is still running
 * when Toolhost exits by any path (normal end, {@code System.exit}, SIGINT/SIGTERM). Only SIGKILL of
 * Toolhost itself escapes this; Java has no parent-death signal.
 */
final class ChildProcesses {
    /** How long a process gets to exit after SIGTERM before SIGKILL. */
    static final Duration GRACE = Duration.ofSeconds(1);

    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        try {
            Runtime.getRuntime().addShutdownHook(new Thread(ChildProcesses::endAll, "toolhost-end-mcp-servers"));
        } catch (IllegalStateException shuttingDown) {
            // first used while the JVM is already exiting: the hub's own close ends what it starts
        }
    }

    private ChildProcesses() {}

    /** Tracks a started process until it exits. */
    static void track(Process p) {
        LIVE.add(p);
        p.onExit().thenRun(() -> LIVE.remove(p));
    }

    /** The number of tracked processes still running (for tests). */
    static int live() {
        return (int) LIVE.stream().filter(Process::isAlive).count();
    }

    /**
     * Ends a process and its descendants now: SIGTERM, then SIGKILL for whatever is left after
     * {@link #GRACE}. The descendants are collected first, since they are re-parented (and no longer
     * found) once the process is gone. Returns when everything has exited or been killed.
     */
    static void end(Process p) {
        List<ProcessHandle> tree =
                Stream.concat(p.descendants(), Stream.of(p.toHandle())).toList();
        tree.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + GRACE.toNanos();
        for (ProcessHandle h : tree) {
            long left = deadline - System.nanoTime();
            try {
                if (left > 0) {
                    h.onExit().get(left, TimeUnit.NANOSECONDS);
                }
            } catch (Exception timedOutOrInterrupted) {
                // killed below
            }
        }
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    /** {@link #end} without waiting for it. */
    static CompletableFuture<Void> endLater(Process p) {
        return CompletableFuture.runAsync(() -> end(p));
    }

    private static void endAll() {
        List<CompletableFuture<Void>> ending = LIVE.stream()
                .filter(Process::isAlive)
                .map(p -> CompletableFuture.runAsync(() -> end(p), r -> {
                    Thread t = new Thread(r, "toolhost-end-mcp-server");
                    t.setDaemon(true);
                    t.start();
                }))
                .toList();
        CompletableFuture.allOf(ending.toArray(CompletableFuture[]::new)).join();
    }
}
