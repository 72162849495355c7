package dev.toolhost.exec.client;

import dev.toolhost.exec.ExitStatus;
import dev.toolhost.exec.OutputChunk;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns one process's pushed events (possibly reordered, duplicated, missing) into an in-order output
 * stream and a completion, and decides when the client has to fall back to {@code process/read}.
 *
 * <p>Rules (docs/exec-protocol.md, "Retained output and recovery"):
 * <ul>
 * <li>A complete in-order stream (every seq, then exited, then closed) completes with zero reads.</li>
 * <li>An ahead-of-order event is held; if the hole is still open when the gap timer fires, one read
 *     from the last delivered seq fills it. Events dropped for lag (the owner's bounded buffer was
 *     full) trigger that read at once.</li>
 * <li>An {@code exited} without {@code sandboxDenied} (legacy server) triggers exactly one read.</li>
 * <li>A seq at or below the last delivered one is a duplicate and is dropped: no byte twice.</li>
 * <li>Seqs a read reply accounts for (below its {@code nextSeq}) but cannot return were evicted from the
 *     server's retained window: they become one {@link OutputChunk#lost(long, long)} marker per run.
 *     {@code lostChunks} counts the missing seqs. {@code lostBytes} is exact for chunks whose
 *     notification reached this client before being dropped (their size is known) and counts 1 byte for
 *     each chunk whose size was never seen (servers never send empty chunks), so it is a lower bound.
 *     A read reply does not say which seq the exit took; when the exit is among the holes it is taken
 *     to be the highest one (output before an exit is what gets evicted first).</li>
 * </ul>
 * Not thread-safe: the owner calls it from one thread at a time.
 */
final class ProcessSequencer {

    enum ReadReason {
        GAP,
        LAG,
        RESUME,
        LEGACY_EXIT,
        FINAL
    }

    /** Where the sequencer's decisions go. */
    interface Sink {
        void deliver(OutputChunk chunk);

        /** Issue {@code process/read} with {@code afterSeq}; answer with onReadReply or onReadFailed. */
        void read(long afterSeq, ReadReason reason);

        /** Call {@link #onGapTimer()} after the gap grace period. */
        void armGapTimer();

        void complete(ExitStatus status);
    }

    /** What is remembered of a pushed event that was dropped for lag: enough to report its loss exactly. */
    record Dropped(long seq, RemoteProcessEvent.Kind kind, int size) {}

    private final Sink sink;
    private final boolean finalRead;
    private final int pendingLimit;
    private final TreeMap<Long, RemoteProcessEvent> pending = new TreeMap<>();
    private final Map<Long, Dropped> dropped = new HashMap<>();
    private long lastSeq;
    private boolean lagged;
    private boolean readInFlight;
    private boolean awaitingResume;
    private boolean gapTimerArmed;
    private boolean exited;
    private int exitCode = -1;
    private Boolean sandboxDenied;
    private boolean closed;
    private boolean compatReadIssued;
    private boolean finalReadIssued;
    private String failure;
    private long lostBytes;
    private boolean completed;

    /**
     * @param finalRead    issue one {@code process/read} before completing even when the pushed stream
     *                     was complete (the pre-push behaviour, kept for A/B benchmarks)
     * @param pendingLimit how many ahead-of-order events to hold before treating more as lag
     */
    ProcessSequencer(Sink sink, boolean finalRead, int pendingLimit) {
        this.sink = sink;
        this.finalRead = finalRead;
        this.pendingLimit = pendingLimit;
    }

    void onEvent(RemoteProcessEvent event) {
        if (completed || event.seq() <= lastSeq || pending.containsKey(event.seq())) {
            return;
        }
        if (pending.size() >= pendingLimit) {
            onDropped(new Dropped(event.seq(), event.kind(), event.size()));
            return;
        }
        pending.put(event.seq(), event);
        advance();
    }

    /** A pushed event never reached {@link #onEvent} because the receiver lagged. */
    void onDropped(Dropped event) {
        if (completed || event.seq() <= lastSeq) {
            return;
        }
        dropped.put(event.seq(), event);
        lagged = true;
        advance();
    }

    void onGapTimer() {
        gapTimerArmed = false;
        if (completed || readInFlight || awaitingResume) {
            return;
        }
        if (!pending.isEmpty() && pending.firstKey() > lastSeq + 1) {
            issueRead(ReadReason.GAP);
        }
    }

    /** The connection dropped; events stop until {@link #onResumed()}. */
    void onDisconnected() {
        awaitingResume = true;
        readInFlight = false;
    }

    /** The session was resumed on a new connection: catch up from the last delivered seq. */
    void onResumed() {
        awaitingResume = false;
        readInFlight = false;
        if (!completed) {
            issueRead(ReadReason.RESUME);
        }
    }

    void onReadFailed(String why, boolean connectionLost) {
        readInFlight = false;
        if (connectionLost) {
            awaitingResume = true;
        } else {
            fail("process/read failed: " + why);
        }
    }

    /** The session is gone for good (reconnect gave up, stdio server exited, backend closed). */
    void fail(String why) {
        if (completed) {
            return;
        }
        completed = true;
        sink.complete(new ExitStatus(exitCode, Boolean.TRUE.equals(sandboxDenied), lostBytes, why));
    }

    void onReadReply(ReadReply reply) {
        readInFlight = false;
        if (completed) {
            return;
        }
        long top = reply.nextSeq() - 1;
        for (RemoteProcessEvent chunk : reply.chunks()) {
            if (chunk.seq() > lastSeq) {
                pending.putIfAbsent(chunk.seq(), chunk);
            }
        }
        List<Long> holes = new ArrayList<>();
        for (long seq = lastSeq + 1; seq <= top; seq++) {
            if (!pending.containsKey(seq)) {
                holes.add(seq);
            }
        }
        if (reply.closed() && !holes.isEmpty() && holes.get(holes.size() - 1) == top) {
            holes.remove(holes.size() - 1);
            pending.put(top, RemoteProcessEvent.closed(top));
        }
        int exitCodeFromReply = reply.exitCode() == null ? -1 : reply.exitCode();
        if (reply.exited()
                && !exited
                && pending.values().stream().noneMatch(e -> e.kind() == RemoteProcessEvent.Kind.EXITED)) {
            Long exitSeq = holes.stream()
                    .filter(s -> kindDropped(s) == RemoteProcessEvent.Kind.EXITED)
                    .findFirst()
                    .orElse(holes.isEmpty() ? null : holes.get(holes.size() - 1));
            if (exitSeq != null) {
                holes.remove(exitSeq);
                pending.put(exitSeq, RemoteProcessEvent.exited(exitSeq, exitCodeFromReply, reply.sandboxDenied()));
            } else {
                exited = true;
                exitCode = exitCodeFromReply;
            }
        }
        if (reply.failure() != null) {
            failure = reply.failure();
        }
        long runChunks = 0;
        long runBytes = 0;
        for (long seq = lastSeq + 1; seq <= top; seq++) {
            RemoteProcessEvent event = pending.remove(seq);
            if (event == null) {
                Dropped d = dropped.get(seq);
                runChunks++;
                runBytes += d != null && d.size() > 0 ? d.size() : 1;
                continue;
            }
            if (runChunks > 0) {
                reportLost(runChunks, runBytes);
                runChunks = 0;
                runBytes = 0;
            }
            apply(event);
        }
        if (runChunks > 0) {
            reportLost(runChunks, runBytes);
        }
        lastSeq = Math.max(lastSeq, top);
        dropped.keySet().removeIf(seq -> seq <= lastSeq);
        lagged = !dropped.isEmpty();
        drainContiguous();
        if (reply.exited() && exited && sandboxDenied == null) {
            // The one read a legacy exit is allowed has happened: what it says (or "not denied") is final.
            sandboxDenied = reply.sandboxDenied() != null && reply.sandboxDenied();
            compatReadIssued = true;
        }
        if (reply.closed() && !closed && exited && pending.isEmpty()) {
            closed = true; // the server is done even if this reply could not place the closed seq
        }
        advance();
    }

    long lastSeq() {
        return lastSeq;
    }

    boolean completed() {
        return completed;
    }

    private RemoteProcessEvent.Kind kindDropped(long seq) {
        Dropped d = dropped.get(seq);
        return d == null ? null : d.kind();
    }

    private void advance() {
        drainContiguous();
        if (completed || readInFlight || awaitingResume) {
            return;
        }
        if (lagged) {
            lagged = false;
            issueRead(ReadReason.LAG);
            return;
        }
        if (exited && sandboxDenied == null && !compatReadIssued) {
            compatReadIssued = true;
            issueRead(ReadReason.LEGACY_EXIT);
            return;
        }
        if (!pending.isEmpty()) {
            if (!gapTimerArmed) {
                gapTimerArmed = true;
                sink.armGapTimer();
            }
            return;
        }
        if (closed) {
            if (finalRead && !finalReadIssued && !compatReadIssued) {
                finalReadIssued = true;
                issueRead(ReadReason.FINAL);
                return;
            }
            completed = true;
            String why = failure;
            if (!exited && why == null) {
                why = "the process closed without reporting an exit status";
            }
            sink.complete(new ExitStatus(exitCode, Boolean.TRUE.equals(sandboxDenied), lostBytes, why));
        }
    }

    private void drainContiguous() {
        while (!pending.isEmpty() && pending.firstKey() <= lastSeq + 1) {
            RemoteProcessEvent event = pending.pollFirstEntry().getValue();
            if (event.seq() == lastSeq + 1) {
                apply(event);
                lastSeq = event.seq();
            }
        }
    }

    private void apply(RemoteProcessEvent event) {
        switch (event.kind()) {
            case OUTPUT -> {
                if (event.size() > 0) {
                    sink.deliver(new OutputChunk(event.stream(), event.data(), 0));
                }
            }
            case EXITED -> {
                exited = true;
                exitCode = event.exitCode();
                if (event.sandboxDenied() != null) {
                    sandboxDenied = event.sandboxDenied();
                }
            }
            case CLOSED -> closed = true;
        }
    }

    private void reportLost(long chunks, long bytes) {
        lostBytes += bytes;
        sink.deliver(OutputChunk.lost(bytes, chunks));
    }

    private void issueRead(ReadReason reason) {
        readInFlight = true;
        sink.read(lastSeq, reason);
    }
}
