package dev.toolhost.exec.client;

import dev.toolhost.config.Redact;
import dev.toolhost.exec.ExecBackend;
import dev.toolhost.exec.ExecException;
import dev.toolhost.exec.ExecProcess;
import dev.toolhost.exec.ExecRequest;
import dev.toolhost.exec.OutputListener;
import dev.toolhost.exec.local.SerialExecutor;
import dev.toolhost.exec.protocol.ExecProtocol.Methods;
import dev.toolhost.exec.protocol.ExecProtocol.ProcessClosedNotification;
import dev.toolhost.exec.protocol.ExecProtocol.ProcessExitedNotification;
import dev.toolhost.exec.protocol.ExecProtocol.ProcessOutputNotification;
import dev.toolhost.exec.protocol.ExecProtocol.ProcessStartParams;
import dev.toolhost.exec.protocol.ExecProtocol.ProcessTerminateParams;
import dev.toolhost.exec.protocol.ExecProtocol.SandboxParams;
import dev.toolhost.exec.protocol.RpcCodec;
import dev.toolhost.exec.protocol.RpcException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Runs processes on an exec-server (Toolhost's, Codex's, or an older one speaking the same protocol)
 * over a WebSocket or a spawned server's stdio. Output and completion come from pushed events; see
 * {@link ProcessSequencer} for when it falls back to {@code process/read} and how lost output is reported.
 */
public final class RemoteExecBackend implements ExecBackend {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteExecBackend.class);

    private final ClientOptions options;
    private final RpcCodec codec = new RpcCodec();
    private final ExecutorService pool;
    private final ScheduledExecutorService scheduler;
    private final ExecTransport.Factory transports;
    private final RemoteSession session;
    private final Map<String, RemoteProcess> processes = new ConcurrentHashMap<>();
    private final AtomicLong nextProcess = new AtomicLong();
    private final AtomicLong readsIssued = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();

    private RemoteExecBackend(ExecTransport.Factory transports, ClientOptions options) {
        this.options = options;
        this.transports = transports;
        this.pool = Executors.newCachedThreadPool(daemonThreads("toolhost-exec-client"));
        this.scheduler = Executors.newSingleThreadScheduledExecutor(daemonThreads("toolhost-exec-client-timer"));
        this.session = new RemoteSession(transports, options, new Events(), scheduler, pool, codec);
    }

    /**
     * Connects to {@code ws://host:port} and initializes a session.
     *
     * @param token bearer token for the upgrade, or null when the server needs none
     * @throws ExecException naming the URL when the server is unreachable or rejects the token
     */
    public static RemoteExecBackend connect(URI url, String token, ClientOptions options) throws ExecException {
        if (url.getScheme() == null
                || !(url.getScheme().equals("ws") || url.getScheme().equals("wss"))) {
            throw new ExecException(
                    "exec-server URL '" + Redact.url(url.toString()) + "' must start with ws:// or wss://");
        }
        return open(WebSocketClientTransport.factory(url, token, Duration.ofSeconds(5)), options);
    }

    /** Spawns {@code command} (e.g. {@code toolhost exec-server --listen stdio}) and speaks the protocol on its stdio. */
    public static RemoteExecBackend spawn(List<String> command, ClientOptions options) throws ExecException {
        return open(StdioClientTransport.factory(command), options);
    }

    private static RemoteExecBackend open(ExecTransport.Factory transports, ClientOptions options)
            throws ExecException {
        RemoteExecBackend backend = new RemoteExecBackend(transports, options);
        try {
            backend.session.open();
        } catch (ExecException e) {
            backend.shutdownThreads();
            throw e;
        }
        return backend;
    }

    /** How many {@code process/read} calls this client has issued (recovery, legacy exits, final reads). */
    public long readsIssued() {
        return readsIssued.get();
    }

    /** The exec-server's session id (unchanged across reconnects). */
    public String sessionId() {
        return session.sessionId();
    }

    @Override
    public ExecProcess start(ExecRequest request, OutputListener listener) throws ExecException {
        if (closed.get()) {
            throw new ExecException("the exec client for " + session.describe() + " is closed");
        }
        String id = "p" + nextProcess.incrementAndGet();
        RemoteProcess process = new RemoteProcess(
                id, session, codec, listener, new SerialExecutor(pool), scheduler, options, readsIssued);
        // Registered first: output may be pushed before the start reply arrives.
        processes.put(id, process);
        process.completion().whenComplete((status, error) -> processes.remove(id));
        String cwd = request.cwd() == null
                ? null
                : options.cwdAsFileUri()
                        ? request.cwd().toAbsolutePath().toUri().toString()
                        : request.cwd().toAbsolutePath().toString();
        ProcessStartParams params = new ProcessStartParams(
                id,
                request.argv(),
                cwd,
                request.env(),
                request.tty(),
                request.pipeStdin(),
                null,
                null,
                SandboxParams.from(request.sandbox()));
        try {
            session.request(Methods.PROCESS_START, params)
                    .get(options.requestTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
            return process;
        } catch (ExecutionException e) {
            processes.remove(id);
            Throwable cause = e.getCause();
            if (cause instanceof RpcException rpc) {
                throw new ExecException("exec-server at " + session.describe() + " could not start " + request.argv()
                        + ": " + rpc.getMessage());
            }
            throw new ExecException(
                    "could not start " + request.argv() + " on exec-server at " + session.describe() + ": "
                            + (cause instanceof TimeoutException ? "no reply" : cause.getMessage()),
                    cause);
        } catch (TimeoutException e) {
            processes.remove(id);
            throw new ExecException(
                    "could not start " + request.argv() + " on exec-server at " + session.describe() + ": no reply");
        } catch (InterruptedException e) {
            processes.remove(id);
            Thread.currentThread().interrupt();
            throw new ExecException("interrupted while starting " + request.argv());
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        // The server kills a closed connection's processes too; asking first makes it prompt and explicit.
        CompletableFuture<?>[] kills = processes.keySet().stream()
                .map(id -> session.request(Methods.PROCESS_TERMINATE, new ProcessTerminateParams(id)))
                .toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(kills).get(2, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.debug("terminating processes on close: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        session.close();
        processes.values().forEach(p -> p.fail("the exec client was closed before the process finished"));
        shutdownThreads();
    }

    private void shutdownThreads() {
        scheduler.shutdownNow();
        pool.shutdown();
        transports.close();
    }

    private static ThreadFactory daemonThreads(String name) {
        AtomicInteger n = new AtomicInteger();
        return runnable -> {
            Thread t = new Thread(runnable, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Routes session events to processes. Notifications arrive on the connection's reader thread. */
    private final class Events implements RemoteSession.Handler {
        @Override
        public void onNotification(String method, JsonNode params) {
            try {
                switch (method) {
                    case Methods.PROCESS_OUTPUT -> {
                        ProcessOutputNotification n = codec.params(params, ProcessOutputNotification.class);
                        route(
                                n.processId(),
                                RemoteProcessEvent.output(n.seq(), n.stream(), RpcCodec.unbase64("chunk", n.chunk())));
                    }
                    case Methods.PROCESS_EXITED -> {
                        ProcessExitedNotification n = codec.params(params, ProcessExitedNotification.class);
                        route(n.processId(), RemoteProcessEvent.exited(n.seq(), n.exitCode(), n.sandboxDenied()));
                    }
                    case Methods.PROCESS_CLOSED -> {
                        ProcessClosedNotification n = codec.params(params, ProcessClosedNotification.class);
                        route(n.processId(), RemoteProcessEvent.closed(n.seq()));
                    }
                    default -> LOG.debug("ignoring notification {}", method);
                }
            } catch (RpcException e) {
                LOG.warn("ignoring malformed {} from {}: {}", method, session.describe(), e.getMessage());
            }
        }

        private void route(String processId, RemoteProcessEvent event) {
            RemoteProcess process = processId == null ? null : processes.get(processId);
            if (process != null) {
                process.offer(event);
            }
        }

        @Override
        public void onDisconnected() {
            processes.values().forEach(RemoteProcess::onDisconnected);
        }

        @Override
        public void onResumed() {
            processes.values().forEach(RemoteProcess::onResumed);
        }

        @Override
        public void onLost(String reason) {
            processes.values().forEach(p -> p.fail(reason));
        }
    }
}
