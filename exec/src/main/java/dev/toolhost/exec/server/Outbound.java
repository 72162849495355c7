package dev.toolhost.exec.server;

import dev.toolhost.exec.local.ManagedProcess;
import dev.toolhost.exec.local.ProcessEvent;
import dev.toolhost.exec.protocol.ExecProtocol.Methods;
import dev.toolhost.exec.protocol.ExecProtocol.ProcessClosedNotification;
import dev.toolhost.exec.protocol.ExecProtocol.ProcessExitedNotification;
import dev.toolhost.exec.protocol.RpcCodec;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A connection's outbound side. Responses are queued and always sent; process events are pulled
 * from each process's retained window when the socket can take more, so process readers never wait
 * for a slow socket and a slow connection only ever delays itself. Output evicted from the window
 * before it could be pushed is skipped (the client sees the seq gap and asks {@code process/read}).
 *
 * <p>Delivery rules, whatever the interleaving of start replies, live events and catch-up: a process's
 * events go out only after its {@code process/start} reply was sent (the reply itself releases them),
 * and only events newer than the last seq sent for it, so each seq is sent at most once and in order.
 * All sending happens in {@link #drain}, which the transport never runs concurrently.
 */
final class Outbound {

    /** Output pushed per process before giving the others (and responses) a turn. */
    private static final long SLICE_BYTES = 256 * 1024;
    /** Bytes sent per sending task before yielding the event loop to other connections. */
    private static final long TASK_BYTES = 4 * 1024 * 1024;

    private final Transport transport;
    private final RpcCodec codec;
    private final ConcurrentLinkedQueue<Response> responses = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Object lock = new Object();
    private final Set<ManagedProcess> dirty = new LinkedHashSet<>();
    private final Set<String> held = new HashSet<>();
    private final Map<String, Long> sentSeq = new HashMap<>();
    private volatile boolean closed;
    private final CompletableFuture<Void> finished = new CompletableFuture<>();
    private volatile boolean finishing;

    Outbound(Transport transport, RpcCodec codec) {
        this.transport = transport;
        this.codec = codec;
    }

    /** A queued response; {@code started} is the process whose events it releases once sent, or null. */
    private record Response(byte[] bytes, ManagedProcess started) {}

    void sendResponse(String json) {
        responses.add(new Response(json.getBytes(StandardCharsets.UTF_8), null));
        schedule();
    }

    /** The reply to {@code process/start}: {@code process}'s events (held since {@link #hold}) follow it. */
    void sendStartResponse(String json, ManagedProcess process) {
        responses.add(new Response(json.getBytes(StandardCharsets.UTF_8), process));
        schedule();
    }

    /** {@code process} has new events. */
    void wake(ManagedProcess process) {
        synchronized (lock) {
            dirty.add(process);
        }
        schedule();
    }

    /** Hold back a starting process's events until its {@code process/start} response was sent. */
    void hold(String processId) {
        synchronized (lock) {
            held.add(processId);
            sentSeq.put(processId, 0L);
        }
    }

    /** Push only events newer than {@code lastSeq} (used on resume: earlier ones come from process/read). */
    void skipTo(String processId, long lastSeq) {
        synchronized (lock) {
            sentSeq.put(processId, lastSeq);
        }
    }

    /** The last seq pushed for {@code processId}, or -1 when this connection does not follow it. */
    long sentSeq(String processId) {
        synchronized (lock) {
            Long seq = sentSeq.get(processId);
            return seq == null || closed ? -1 : seq;
        }
    }

    /** Stops following {@code processId}: none of its events are sent from now on. */
    void forget(String processId) {
        synchronized (lock) {
            sentSeq.remove(processId);
            held.remove(processId);
        }
    }

    /** Stops sending at once (the socket is gone). */
    void close() {
        closed = true;
        finished.complete(null);
    }

    /** Sends what is queued, then stops; completes when done. */
    CompletableFuture<Void> finish() {
        finishing = true;
        schedule();
        return finished;
    }

    private void schedule() {
        if (!closed && scheduled.compareAndSet(false, true)) {
            transport.execute(this::drain);
        }
    }

    private void drain() {
        scheduled.set(false);
        long sent = 0;
        while (!closed) {
            if (transport.writeQueueFull()) {
                transport.flush();
                transport.whenWritable(this::schedule);
                return;
            }
            if (sent >= TASK_BYTES) {
                transport.flush();
                schedule();
                return;
            }
            Response response = responses.poll();
            if (response != null) {
                transport.send(response.bytes());
                sent += response.bytes().length;
                if (response.started() != null) {
                    synchronized (lock) {
                        held.remove(response.started().processId());
                        dirty.add(response.started());
                    }
                }
                continue;
            }
            ManagedProcess p = nextDirty();
            if (p == null) {
                if (finishing && responses.isEmpty()) {
                    transport.flush();
                    close();
                    return;
                }
                break;
            }
            sent += push(p);
        }
        transport.flush();
    }

    private ManagedProcess nextDirty() {
        synchronized (lock) {
            var it = dirty.iterator();
            while (it.hasNext()) {
                ManagedProcess p = it.next();
                it.remove();
                if (!held.contains(p.processId())) {
                    return p;
                }
            }
            return null;
        }
    }

    private long push(ManagedProcess p) {
        long after;
        synchronized (lock) {
            Long last = sentSeq.get(p.processId());
            if (last == null) {
                return 0; // not followed by this connection (forgotten, or a start that failed)
            }
            after = last;
        }
        List<ProcessEvent> events = p.eventsAfter(after, SLICE_BYTES);
        long bytes = 0;
        boolean closed = false;
        for (ProcessEvent e : events) {
            if (e.seq() <= after) {
                continue; // already sent: a seq goes out once, in increasing order
            }
            byte[][] msg = encode(p.processId(), e);
            transport.send(msg);
            for (byte[] part : msg) {
                bytes += part.length;
            }
            after = e.seq();
            closed = e instanceof ProcessEvent.Closed;
        }
        boolean more = bytes > 0 && !closed && p.lastSeq() > after;
        synchronized (lock) {
            if (sentSeq.containsKey(p.processId())) {
                sentSeq.put(p.processId(), after);
            }
            if (more) {
                dirty.add(p);
            }
        }
        if (bytes > 0) {
            p.consumed();
        }
        return bytes;
    }

    private byte[][] encode(String processId, ProcessEvent e) {
        if (e instanceof ProcessEvent.Output o) {
            return o.base64() != null
                    ? codec.encodeOutputParts(processId, o.seq(), o.stream(), o.base64())
                    : codec.encodeOutputParts(processId, o.seq(), o.stream(), o.data(), 0, o.data().length);
        }
        Object params = e instanceof ProcessEvent.Exited x
                ? new ProcessExitedNotification(processId, x.seq(), x.exitCode(), x.sandboxDenied())
                : new ProcessClosedNotification(processId, e.seq());
        String method = e instanceof ProcessEvent.Exited ? Methods.PROCESS_EXITED : Methods.PROCESS_CLOSED;
        return new byte[][] {codec.encode(codec.notification(method, params)).getBytes(StandardCharsets.UTF_8)};
    }
}
