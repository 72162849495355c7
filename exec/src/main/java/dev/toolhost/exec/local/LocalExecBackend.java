package dev.toolhost.exec.local;

import dev.toolhost.exec.ExecBackend;
import dev.toolhost.exec.ExecException;
import dev.toolhost.exec.ExecProcess;
import dev.toolhost.exec.ExecRequest;
import dev.toolhost.exec.ExitStatus;
import dev.toolhost.exec.OutputChunk;
import dev.toolhost.exec.OutputListener;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs processes in this JVM with the same {@link ManagedProcess} machinery the exec-server uses.
 * The listener is called directly from the reader threads, in seq order; nothing is ever lost.
 */
public final class LocalExecBackend implements ExecBackend {

    private final ProcessIo io;
    private final Map<String, ManagedProcess> running = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private volatile boolean closed;

    public LocalExecBackend() {
        this(new ProcessIo());
    }

    /** Shares {@code io} (its threads and sandbox) with others. */
    public LocalExecBackend(ProcessIo io) {
        this.io = io;
    }

    @Override
    public ExecProcess start(ExecRequest request, OutputListener listener) throws ExecException {
        if (closed) {
            throw new ExecException("the local exec backend is closed");
        }
        String id = "local-" + ids.incrementAndGet();
        CompletableFuture<ExitStatus> completion = new CompletableFuture<>();
        int[] exitCode = {-1};
        boolean[] denied = {false};
        ManagedProcess p = ManagedProcess.start(id, request, io, (proc, event) -> {
            if (event instanceof ProcessEvent.Output o) {
                listener.onOutput(new OutputChunk(o.stream(), o.data(), 0));
            } else if (event instanceof ProcessEvent.Exited x) {
                exitCode[0] = x.exitCode();
                denied[0] = x.sandboxDenied();
            } else if (event instanceof ProcessEvent.Closed) {
                running.remove(proc.processId());
                completion.complete(new ExitStatus(exitCode[0], denied[0], 0, null));
            }
        });
        running.put(id, p);
        return new LocalProcess(p, completion);
    }

    @Override
    public void close() {
        closed = true;
        running.values().forEach(ManagedProcess::terminate);
    }

    private record LocalProcess(ManagedProcess process, CompletableFuture<ExitStatus> completion)
            implements ExecProcess {

        @Override
        public String processId() {
            return process.processId();
        }

        @Override
        public CompletableFuture<Void> write(byte[] data) {
            return process.write(data, null).written();
        }

        @Override
        public CompletableFuture<Void> terminate() {
            process.terminate();
            return CompletableFuture.completedFuture(null);
        }
    }
}
