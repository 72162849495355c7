package dev.toolhost.exec.client;

import dev.toolhost.exec.ExecProcess;
import dev.toolhost.exec.ExitStatus;
import dev.toolhost.exec.OutputChunk;
import dev.toolhost.exec.OutputListener;
import dev.toolhost.exec.local.SerialExecutor;
import dev.toolhost.exec.protocol.ExecProtocol.Methods;
import dev.toolhost.exec.protocol.ExecProtocol.ProcessOutputChunk;
import dev.toolhost.exec.protocol.ExecProtocol.ProcessReadParams;
import dev.toolhost.exec.protocol.ExecProtocol.ProcessReadResponse;
import dev.toolhost.exec.protocol.ExecProtocol.ProcessTerminateParams;
import dev.toolhost.exec.protocol.ExecProtocol.ProcessWriteParams;
import dev.toolhost.exec.protocol.ExecProtocol.WriteStatus;
import dev.toolhost.exec.protocol.RpcCodec;
import dev.toolhost.exec.protocol.RpcException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * A process on an exec-server. Pushed events are queued (bounded) and handed to its
 * {@link ProcessSequencer} on a per-process serial executor, which is also where the listener runs: a
 * slow listener makes this process lag and recover with one read, never stalls other processes.
 */
final class RemoteProcess implements ExecProcess, ProcessSequencer.Sink {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteProcess.class);

    private final String processId;
    private final RemoteSession session;
    private final RpcCodec codec;
    private final OutputListener listener;
    private final SerialExecutor serial;
    private final ScheduledExecutorService scheduler;
    private final ClientOptions options;
    private final AtomicLong readsIssued;
    private final ProcessSequencer sequencer;
    private final CompletableFuture<ExitStatus> completion = new CompletableFuture<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final ConcurrentLinkedQueue<ProcessSequencer.Dropped> dropped = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean dropFlushScheduled = new AtomicBoolean();

    RemoteProcess(
            String processId,
            RemoteSession session,
            RpcCodec codec,
            OutputListener listener,
            SerialExecutor serial,
            ScheduledExecutorService scheduler,
            ClientOptions options,
            AtomicLong readsIssued) {
        this.processId = processId;
        this.session = session;
        this.codec = codec;
        this.listener = listener;
        this.serial = serial;
        this.scheduler = scheduler;
        this.options = options;
        this.readsIssued = readsIssued;
        this.sequencer = new ProcessSequencer(this, options.finalRead(), options.bufferedEventsPerProcess());
    }

    /** A pushed event, from the connection's reader thread: never blocks. */
    void offer(RemoteProcessEvent event) {
        if (queued.incrementAndGet() > options.bufferedEventsPerProcess()) {
            queued.decrementAndGet();
            // Keep only what recovery needs (seq, kind, size), not the bytes.
            dropped.add(new ProcessSequencer.Dropped(event.seq(), event.kind(), event.size()));
            if (dropFlushScheduled.compareAndSet(false, true)) {
                serial.execute(this::flushDropped);
            }
            return;
        }
        serial.execute(() -> {
            queued.decrementAndGet();
            sequencer.onEvent(event);
        });
    }

    private void flushDropped() {
        dropFlushScheduled.set(false);
        ProcessSequencer.Dropped event;
        while ((event = dropped.poll()) != null) {
            sequencer.onDropped(event);
        }
    }

    void onDisconnected() {
        serial.execute(sequencer::onDisconnected);
    }

    void onResumed() {
        serial.execute(sequencer::onResumed);
    }

    void fail(String reason) {
        serial.execute(() -> sequencer.fail(reason));
    }

    // ---- ExecProcess ----

    @Override
    public String processId() {
        return processId;
    }

    @Override
    public CompletableFuture<ExitStatus> completion() {
        return completion;
    }

    @Override
    public CompletableFuture<Void> write(byte[] data) {
        ProcessWriteParams params = new ProcessWriteParams(
                processId, RpcCodec.base64(data), UUID.randomUUID().toString());
        return session.request(Methods.PROCESS_WRITE, params).thenApply(result -> {
            String status = result.path("status").asString("");
            if (!WriteStatus.ACCEPTED.equals(status)) {
                throw new CompletionException(new IllegalStateException(
                        "exec-server did not accept the write to process " + processId + ": " + status));
            }
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> terminate() {
        return session.request(Methods.PROCESS_TERMINATE, new ProcessTerminateParams(processId))
                .thenApply(r -> null);
    }

    // ---- ProcessSequencer.Sink (called on the serial executor) ----

    @Override
    public void deliver(OutputChunk chunk) {
        try {
            listener.onOutput(chunk);
        } catch (RuntimeException e) {
            LOG.warn("output listener of process {} failed", processId, e);
        }
    }

    @Override
    public void read(long afterSeq, ProcessSequencer.ReadReason reason) {
        readsIssued.incrementAndGet();
        session.request(Methods.PROCESS_READ, new ProcessReadParams(processId, afterSeq, null, null))
                .whenComplete((result, error) -> serial.execute(() -> {
                    if (error == null) {
                        ReadReply reply;
                        try {
                            reply = toReply(result);
                        } catch (RpcException e) {
                            sequencer.onReadFailed(e.getMessage(), false);
                            return;
                        }
                        sequencer.onReadReply(reply);
                    } else {
                        Throwable cause = error instanceof CompletionException && error.getCause() != null
                                ? error.getCause()
                                : error;
                        sequencer.onReadFailed(
                                String.valueOf(cause.getMessage()), cause instanceof ConnectionLostException);
                    }
                }));
    }

    @Override
    public void armGapTimer() {
        scheduler.schedule(
                () -> serial.execute(sequencer::onGapTimer), options.gapGrace().toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void complete(ExitStatus status) {
        completion.complete(status);
    }

    private ReadReply toReply(JsonNode result) throws RpcException {
        ProcessReadResponse response = codec.params(result, ProcessReadResponse.class);
        List<RemoteProcessEvent> chunks = new ArrayList<>();
        if (response.chunks() != null) {
            for (ProcessOutputChunk c : response.chunks()) {
                chunks.add(RemoteProcessEvent.output(c.seq(), c.stream(), RpcCodec.unbase64("chunk", c.chunk())));
            }
        }
        chunks.sort((a, b) -> Long.compare(a.seq(), b.seq()));
        // The record reads an absent sandboxDenied as false; keep "absent" visible for legacy servers.
        Boolean denied =
                result.has("sandboxDenied") ? result.get("sandboxDenied").asBoolean() : null;
        return new ReadReply(
                chunks,
                response.nextSeq(),
                response.exited(),
                response.exitCode(),
                response.closed(),
                response.failure(),
                denied);
    }
}
