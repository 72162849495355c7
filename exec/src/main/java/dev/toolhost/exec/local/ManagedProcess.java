package dev.toolhost.exec.local;

import dev.toolhost.exec.ExecException;
import dev.toolhost.exec.ExecRequest;
import dev.toolhost.exec.InvalidRequestException;
import dev.toolhost.exec.ProgramPath;
import dev.toolhost.exec.protocol.ExecProtocol.Streams;
import dev.toolhost.exec.protocol.ExecProtocol.WriteStatus;
import dev.toolhost.exec.pty.PtySpawner;
import dev.toolhost.exec.sandbox.BwrapSandbox;
import dev.toolhost.exec.sandbox.SandboxDenial;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One child process and everything the protocol says about it: the per-process seq counter shared by
 * output, exited and closed; the retained output window served by {@code process/read}; sandbox denial
 * classification; stdin writes with writeId dedupe; terminate and interrupt. Used by the exec-server
 * and by {@link LocalExecBackend} alike.
 *
 * <p>Readers never wait for consumers other than the {@link ProcessEvents} callback, which must be quick.
 */
public final class ManagedProcess {

    /**
     * How long the exit waits for trailing output before it is classified and reported. Codex waits
     * about 20 ms; the wait ends as soon as the pipes reach EOF (immediately in practice: the JDK drains
     * a child's pipes when it exits), so a longer bound costs nothing and keeps output before exited
     * even on a loaded machine.
     */
    static final long EXIT_GRACE_MS = 250;
    /** How long after exit the output may stay open (a background child holding it) before we close anyway. */
    static final long DRAIN_TIMEOUT_MS = 2_000;

    static final int READ_BUFFER = 64 * 1024;
    static final int MAX_WRITE_IDS = 4_096;
    /** The longest a reader waits per chunk for a lagging consumer before reading on (and evicting). */
    public static final long FLOW_MAX_WAIT_MS = 1_000;

    private static final File DEV_NULL = new File("/dev/null");

    private final String processId;
    private final Process process;
    private final OutputStream stdin;
    private final SandboxDenial denial;
    private final ProcessEvents events;
    private final SerialExecutor writer;
    private final RetainedOutput window = new RetainedOutput();
    private final Set<String> writeIds = Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > MAX_WRITE_IDS;
        }
    });
    private final CompletableFuture<Void> streamsDone = new CompletableFuture<>();
    private final Object flow = new Object();

    private long nextSeq = 1;
    private int openStreams;
    private ProcessEvent.Exited exited;
    private ProcessEvent.Closed closed;
    private CompletableFuture<Void> change = new CompletableFuture<>();

    private ManagedProcess(
            String processId,
            Process process,
            boolean writableStdin,
            boolean sandboxed,
            ProcessEvents events,
            ProcessIo io) {
        this.processId = processId;
        this.process = process;
        this.stdin = writableStdin ? process.getOutputStream() : null;
        this.denial = sandboxed ? new SandboxDenial() : null;
        this.events = events;
        this.writer = new SerialExecutor(io.pool());
    }

    /**
     * Starts {@code request} and its readers; events flow to {@code events} from now on.
     *
     * @throws ExecException the cwd is not a directory, the program cannot be started, or a sandbox was
     *                       requested and bubblewrap is missing
     */
    public static ManagedProcess start(String processId, ExecRequest request, ProcessIo io, ProcessEvents events)
            throws ExecException {
        return start(processId, request, null, io, events);
    }

    /**
     * @param arg0 the program's {@code argv[0]} when it should differ from {@code argv.get(0)} (Codex's
     *             {@code arg0}); applied with bash's {@code exec -a}, so it needs bash; null for none
     */
    public static ManagedProcess start(
            String processId, ExecRequest request, String arg0, ProcessIo io, ProcessEvents events)
            throws ExecException {
        Path cwd = request.cwd() != null ? request.cwd() : Path.of(System.getProperty("user.dir"));
        if (!cwd.isAbsolute()) {
            throw new InvalidRequestException("cwd '" + cwd + "' is not an absolute path");
        }
        if (!Files.isDirectory(cwd)) {
            throw new InvalidRequestException("cwd '" + cwd + "' is not a directory");
        }
        boolean sandboxed = BwrapSandbox.confines(request.sandbox());
        List<String> argv = new ArrayList<>(request.argv());
        if (arg0 != null && !arg0.equals(argv.get(0))) {
            argv.addAll(0, List.of("bash", "-c", "exec -a \"$0\" \"$@\"", arg0));
        }
        // The same file for pipes, PTY (pty4j would search only the request's PATH) and sandbox.
        argv.set(
                0,
                ProgramPath.resolve(argv.get(0), cwd, request.env(), System.getenv("PATH"))
                        .toString());
        List<String> command = io.sandbox().wrap(request.sandbox(), argv, cwd, request.env(), request.tty());
        Process process;
        try {
            if (request.tty()) {
                process = PtySpawner.start(command, cwd, request.env());
            } else {
                ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile());
                pb.environment().clear();
                pb.environment().putAll(request.env());
                if (!request.pipeStdin()) {
                    // As Codex: without a terminal or a stdin pipe, input is /dev/null (reads see end-of-input).
                    pb.redirectInput(ProcessBuilder.Redirect.from(DEV_NULL));
                }
                process = pb.start();
            }
        } catch (IOException e) {
            throw new ExecException("failed to start '" + request.argv().get(0) + "': " + reason(e), e);
        }
        boolean writable = request.tty() || request.pipeStdin();
        ManagedProcess p = new ManagedProcess(processId, process, writable, sandboxed, events, io);
        if (request.tty()) {
            p.openStreams = 1;
            io.pool().execute(() -> p.pump(process.getInputStream(), Streams.PTY));
        } else {
            p.openStreams = 2;
            io.pool().execute(() -> p.pump(process.getInputStream(), Streams.STDOUT));
            io.pool().execute(() -> p.pump(process.getErrorStream(), Streams.STDERR));
        }
        io.pool().execute(() -> p.awaitExit(io));
        return p;
    }

    private static String reason(IOException e) {
        String m = String.valueOf(e.getMessage());
        int i = m.indexOf("error=");
        if (i >= 0) {
            int comma = m.indexOf(", ", i);
            return comma >= 0 ? m.substring(comma + 2) : m.substring(i);
        }
        return m;
    }

    public String processId() {
        return processId;
    }

    public long pid() {
        return process.pid();
    }

    public boolean sandboxed() {
        return denial != null;
    }

    // ---- output ----

    private void pump(InputStream in, String stream) {
        byte[] buf = new byte[READ_BUFFER];
        try (in) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                if (n > 0) {
                    append(stream, Arrays.copyOf(buf, n));
                    awaitConsumer();
                }
            }
        } catch (IOException e) {
            // A PTY reports EIO once the terminal's last writer is gone: that is its end of output.
        } finally {
            boolean last;
            synchronized (this) {
                last = --openStreams == 0;
            }
            if (last) {
                streamsDone.complete(null);
            }
        }
    }

    private void append(String stream, byte[] data) {
        if (denial != null) {
            denial.accept(data, 0, data.length);
        }
        // Encoding here, off the sending event loop, pipelines the two on separate cores.
        byte[] base64 = events.wantsBase64() ? Base64.getEncoder().encode(data) : null;
        emit(seq -> {
            if (closed != null) {
                return null; // late output of a background child after we gave up waiting: dropped
            }
            ProcessEvent.Output o = new ProcessEvent.Output(seq, stream, data, base64);
            window.add(o);
            return o;
        });
    }

    /** Pauses this reader while a live consumer lags by more than half the window (bounded; see ProcessEvents). */
    private void awaitConsumer() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FLOW_MAX_WAIT_MS);
        synchronized (flow) {
            while (true) {
                long delivered = events.deliveredSeq(this);
                if (delivered < 0) {
                    return;
                }
                long backlog;
                synchronized (this) {
                    backlog = window.bytesAfter(delivered);
                }
                long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (backlog <= RetainedOutput.MAX_BYTES / 2 || leftMs <= 0) {
                    return;
                }
                try {
                    flow.wait(Math.min(leftMs, 50));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** A consumer took events: wake a reader waiting for it. */
    public void consumed() {
        synchronized (flow) {
            flow.notifyAll();
        }
    }

    private interface EventMaker {
        ProcessEvent make(long seq);
    }

    private void emit(EventMaker maker) {
        CompletableFuture<Void> changed;
        synchronized (this) {
            ProcessEvent e = maker.make(nextSeq);
            if (e == null) {
                return;
            }
            nextSeq++;
            changed = change;
            change = new CompletableFuture<>();
            events.onEvent(this, e);
        }
        changed.complete(null);
    }

    private void awaitExit(ProcessIo io) {
        int code;
        try {
            code = process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        streamsDone
                .copy()
                .completeOnTimeout(null, EXIT_GRACE_MS, TimeUnit.MILLISECONDS)
                .thenRunAsync(
                        () -> {
                            boolean denied = denial != null && denial.denied(code);
                            emit(seq -> exited == null ? (exited = new ProcessEvent.Exited(seq, code, denied)) : null);
                            streamsDone
                                    .copy()
                                    .completeOnTimeout(null, DRAIN_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                                    .thenRunAsync(this::close, io.pool());
                        },
                        io.pool());
    }

    private void close() {
        if (stdin != null) {
            closeQuietly(stdin);
        }
        emit(seq -> closed == null ? (closed = new ProcessEvent.Closed(seq)) : null);
    }

    // ---- queries ----

    /** What {@code process/read} returns. */
    public record ReadResult(
            List<ProcessEvent.Output> chunks,
            long nextSeq,
            boolean exited,
            Integer exitCode,
            boolean closed,
            String failure,
            boolean sandboxDenied) {}

    /**
     * Retained chunks after {@code afterSeq}. Without a budget ({@code maxBytes} null) {@code nextSeq} is
     * the next unassigned seq; with one, at least one chunk is returned and {@code nextSeq} is the last
     * returned seq + 1.
     */
    public synchronized ReadResult read(long afterSeq, Long maxBytes) {
        List<ProcessEvent.Output> chunks = window.after(afterSeq, maxBytes == null ? Long.MAX_VALUE : maxBytes);
        long next = maxBytes != null && !chunks.isEmpty()
                ? chunks.get(chunks.size() - 1).seq() + 1
                : nextSeq;
        return new ReadResult(
                chunks,
                next,
                exited != null,
                exited == null ? null : exited.exitCode(),
                closed != null,
                null,
                exited != null && exited.sandboxDenied());
    }

    /** Whether a long-poll after {@code afterSeq} has something to return: output, close, or a newer exit. */
    public synchronized boolean hasNewsAfter(long afterSeq) {
        return closed != null
                || (exited != null && exited.seq() > afterSeq)
                || window.indexAfter(afterSeq) < window.size();
    }

    /**
     * Events with a seq greater than {@code afterSeq}, in seq order, output taken from the retained window
     * (evicted seqs are simply absent), stopping after about {@code maxBytes} of output.
     */
    public synchronized List<ProcessEvent> eventsAfter(long afterSeq, long maxBytes) {
        List<ProcessEvent> out = new ArrayList<>();
        long budget = maxBytes;
        for (int i = window.indexAfter(afterSeq); i < window.size() && budget > 0; i++) {
            ProcessEvent.Output c = window.get(i);
            out.add(c);
            budget -= c.data().length;
        }
        long last = out.isEmpty() ? afterSeq : out.get(out.size() - 1).seq();
        boolean complete = budget > 0;
        if (exited != null && exited.seq() > afterSeq && (complete || exited.seq() < last)) {
            int at = 0;
            while (at < out.size() && out.get(at).seq() < exited.seq()) {
                at++;
            }
            out.add(at, exited);
        }
        if (closed != null && closed.seq() > afterSeq && complete) {
            out.add(closed);
        }
        return out;
    }

    /** The last seq assigned so far (0 before any event). */
    public synchronized long lastSeq() {
        return nextSeq - 1;
    }

    public synchronized boolean isExited() {
        return exited != null;
    }

    public synchronized boolean isClosed() {
        return closed != null;
    }

    /** Completes on the next event (new output, exit or close). */
    public synchronized CompletableFuture<Void> nextChange() {
        return change;
    }

    // ---- control ----

    /** The outcome of a write: its status (see {@link WriteStatus}) and, when accepted, when it was written. */
    public record WriteResult(String status, CompletableFuture<Void> written) {}

    /**
     * Writes to stdin or the terminal, in order, without blocking the caller. A {@code writeId} seen
     * before (up to 4,096 remembered) is acknowledged without writing again.
     */
    public WriteResult write(byte[] data, String writeId) {
        synchronized (this) {
            if (stdin == null || exited != null || closed != null) {
                return new WriteResult(
                        WriteStatus.STDIN_CLOSED,
                        CompletableFuture.failedFuture(
                                new IOException("process " + processId + " has no writable stdin")));
            }
            if (writeId != null && !writeIds.add(writeId)) {
                return new WriteResult(WriteStatus.ACCEPTED, CompletableFuture.completedFuture(null));
            }
        }
        CompletableFuture<Void> written = new CompletableFuture<>();
        writer.execute(() -> {
            try {
                stdin.write(data);
                stdin.flush();
                written.complete(null);
            } catch (IOException e) {
                written.completeExceptionally(e);
            }
        });
        return new WriteResult(WriteStatus.ACCEPTED, written);
    }

    /** SIGKILLs the process and its descendants. Returns whether it was still running. */
    public boolean terminate() {
        synchronized (this) {
            if (exited != null) {
                return false;
            }
        }
        boolean running = process.isAlive();
        descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        return running;
    }

    /** Ctrl-C: typed into the terminal for a PTY, else SIGINT to the process and its descendants. */
    public void interrupt() {
        if (!process.isAlive()) {
            return;
        }
        if (stdin != null && process instanceof com.pty4j.PtyProcess) {
            write(new byte[] {3}, null);
            return;
        }
        List<String> kill = new ArrayList<>(List.of("kill", "-INT", Long.toString(process.pid())));
        descendants().forEach(h -> kill.add(Long.toString(h.pid())));
        try {
            new ProcessBuilder(kill)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger(ManagedProcess.class)
                    .warn("cannot interrupt {}: {}", processId, e.getMessage());
        }
    }

    private Stream<ProcessHandle> descendants() {
        try {
            return process.descendants();
        } catch (UnsupportedOperationException e) {
            return ProcessHandle.of(process.pid())
                    .map(ProcessHandle::descendants)
                    .orElse(Stream.empty());
        }
    }

    private static void closeQuietly(OutputStream out) {
        try {
            out.close();
        } catch (IOException ignored) {
            // already gone
        }
    }
}
