package dev.toolhost.exec.server;

import dev.toolhost.exec.local.ManagedProcess;
import dev.toolhost.exec.local.ProcessEvent;
import dev.toolhost.exec.local.ProcessEvents;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The processes one client started. A session outlives a dropped WebSocket for {@link #DETACHED_TTL_MS}
 * (events produced meanwhile are not pushed) and is then terminated; a closed process stays
 * readable for {@link #CLOSED_TTL_MS}.
 */
final class Session implements ProcessEvents {

    static final long DETACHED_TTL_MS = 30_000;
    static final long CLOSED_TTL_MS = 30_000;

    private final String id;
    private final ScheduledExecutorService timers;
    private final long detachedTtlMs;
    private final Map<String, ManagedProcess> processes = new ConcurrentHashMap<>();
    private final Set<String> starting = new HashSet<>();
    private Connection attached;
    private ScheduledFuture<?> expiry;
    private boolean ended;

    Session(String id, ScheduledExecutorService timers, long detachedTtlMs) {
        this.id = id;
        this.timers = timers;
        this.detachedTtlMs = detachedTtlMs;
    }

    String id() {
        return id;
    }

    ManagedProcess process(String processId) {
        return processes.get(processId);
    }

    synchronized boolean isStarting(String processId) {
        return starting.contains(processId);
    }

    /** Reserves {@code processId} while it starts; false when it is in use (or still readable after closing). */
    synchronized boolean reserve(String processId) {
        if (processes.containsKey(processId) || starting.contains(processId)) {
            return false;
        }
        starting.add(processId);
        return true;
    }

    synchronized void started(ManagedProcess process) {
        starting.remove(process.processId());
        processes.put(process.processId(), process);
    }

    synchronized void unreserve(String processId) {
        starting.remove(processId);
    }

    /** Routes a process event to the attached connection, if any. */
    @Override
    public void onEvent(ManagedProcess process, ProcessEvent event) {
        Connection c;
        synchronized (this) {
            c = attached;
        }
        if (c != null) {
            c.outbound().wake(process);
        }
        if (event instanceof ProcessEvent.Closed) {
            timers.schedule(
                    () -> {
                        // Forgotten before the id is freed: a new process reusing the id is never forgotten by this.
                        Connection now = current();
                        if (now != null) {
                            now.outbound().forget(process.processId());
                        }
                        processes.remove(process.processId(), process);
                    },
                    CLOSED_TTL_MS,
                    TimeUnit.MILLISECONDS);
        }
    }

    /** Flow control: what the attached connection has pushed of {@code process}, or -1 when detached. */
    @Override
    public boolean wantsBase64() {
        return true;
    }

    @Override
    public long deliveredSeq(ManagedProcess process) {
        Connection c = current();
        return c == null ? -1 : c.outbound().sentSeq(process.processId());
    }

    synchronized Connection current() {
        return attached;
    }

    synchronized boolean ended() {
        return ended;
    }

    /**
     * Attaches {@code connection} and pushes to it only events newer than now; false when another live
     * connection holds the session. Never holds this lock while taking a process's lock (a process
     * holds its own lock when it reports events here).
     */
    boolean attach(Connection connection) {
        synchronized (this) {
            if (attached != null && attached != connection) {
                return false;
            }
        }
        List<ManagedProcess> live = List.copyOf(processes.values());
        for (ManagedProcess p : live) {
            connection.outbound().skipTo(p.processId(), p.lastSeq());
        }
        synchronized (this) {
            if (attached != null && attached != connection) {
                return false;
            }
            attached = connection;
            if (expiry != null) {
                expiry.cancel(false);
                expiry = null;
            }
        }
        live.forEach(p -> connection.outbound().wake(p)); // events between skipTo and attaching
        return true;
    }

    /** The connection dropped: keep everything for a resume, or end now when {@code resumable} is false. */
    void detach(Connection connection, boolean resumable, Runnable onEnd) {
        synchronized (this) {
            if (attached != connection) {
                return;
            }
            attached = null;
            if (resumable) {
                expiry = timers.schedule(() -> end(onEnd), detachedTtlMs, TimeUnit.MILLISECONDS);
                return;
            }
        }
        end(onEnd);
    }

    private void end(Runnable onEnd) {
        synchronized (this) {
            if (attached != null || ended) {
                return;
            }
            ended = true;
        }
        terminateAll();
        onEnd.run();
    }

    void terminateAll() {
        List.copyOf(processes.values()).forEach(ManagedProcess::terminate);
    }
}
