package dev.toolhost.exec.server;

import dev.toolhost.exec.ExecException;
import dev.toolhost.exec.local.ProcessIo;
import dev.toolhost.exec.protocol.ExecProtocol.EnvironmentInfo;
import dev.toolhost.exec.protocol.ExecProtocol.ShellInfo;
import dev.toolhost.exec.protocol.RpcCodec;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The exec-server: Codex's exec-server protocol over newline-delimited stdio or WebSockets. Sessions
 * and processes live here; each connection is a {@link Connection}. Thread-safe; one per process is typical.
 */
public final class ExecServer implements AutoCloseable {

    /** Inbound WebSocket limits: big enough for fs/writeFile and process/write payloads. */
    static final int MAX_FRAME_BYTES = 16 * 1024 * 1024;

    static final int MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

    private final RpcCodec codec = new RpcCodec();
    private final ProcessIo io;
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "exec-server-timers");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final EnvironmentInfo environmentInfo;
    private final long detachedTtlMs;
    private Vertx vertx;

    public ExecServer() {
        this(new ProcessIo());
    }

    public ExecServer(ProcessIo io) {
        this(io, Session.DETACHED_TTL_MS);
    }

    /** @param detachedTtlMs how long a dropped WebSocket's session waits for a resume (30 s normally) */
    ExecServer(ProcessIo io, long detachedTtlMs) {
        this.io = io;
        this.detachedTtlMs = detachedTtlMs;
        String shell = System.getenv().getOrDefault("SHELL", "/bin/sh");
        this.environmentInfo = new EnvironmentInfo(
                new ShellInfo(Path.of(shell).getFileName().toString(), shell),
                "toolhost-" + version(),
                System.getProperty("user.dir"),
                System.getProperty("os.name").toLowerCase(),
                System.getProperty("java.io.tmpdir"),
                Map.of("pty", true, "sandbox", io.sandbox().available()));
    }

    private static String version() {
        String v = ExecServer.class.getPackage().getImplementationVersion();
        return v != null ? v : "0.1.0";
    }

    RpcCodec codec() {
        return codec;
    }

    ProcessIo io() {
        return io;
    }

    EnvironmentInfo environmentInfo() {
        return environmentInfo;
    }

    Session newSession(String id) {
        Session s = new Session(id, timers, detachedTtlMs);
        sessions.put(id, s);
        return s;
    }

    Session session(String id) {
        return sessions.get(id);
    }

    void removeSession(Session s) {
        sessions.remove(s.id(), s);
    }

    /**
     * Serves one connection on newline-delimited JSON until {@code in} ends, then terminates every
     * process it started. Blank lines are ignored.
     */
    public void serveStdio(InputStream in, OutputStream out) throws IOException {
        StdioServerTransport transport = new StdioServerTransport(out);
        Connection connection = new Connection(this, transport);
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 64 * 1024)) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isBlank()) {
                    connection.onMessage(line);
                }
            }
        } finally {
            try {
                connection.onClosed().get(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                // nothing more to send that could be sent
            }
            transport.close();
        }
    }

    /** A bound WebSocket listener. */
    public record Listening(URI uri, int port) {}

    /**
     * Listens for WebSocket connections (upgrade at any path) and answers {@code GET /readyz} with 200.
     *
     * <p>On a loopback listener, upgrades a web page could make are refused first ({@link UpgradeCheck}): 403 for
     * a browser {@code Origin} that is not localhost/127.0.0.1/[::1], 421 for a {@code Host} that is not one of
     * those names (any port).
     *
     * @param token when non-null, upgrades need {@code Authorization: Bearer <token>}, the scheme in any case (else
     *     HTTP 401)
     * @throws ExecException when the address cannot be bound
     */
    /** The token of an {@code Authorization: Bearer <token>} header, the scheme in any case (RFC 9110 §11.1). */
    private static byte[] bearerToken(String authorization) {
        if (authorization == null) {
            return new byte[0];
        }
        String[] parts = authorization.strip().split(" +", 2);
        if (parts.length != 2 || !parts[0].equalsIgnoreCase("Bearer")) {
            return new byte[0];
        }
        return parts[1].getBytes(StandardCharsets.UTF_8);
    }

    public synchronized Listening listen(String host, int port, String token) throws ExecException {
        if (vertx == null) {
            vertx = Vertx.vertx();
        }
        byte[] expected = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
        HttpServer server = vertx.createHttpServer(new HttpServerOptions()
                .setMaxWebSocketFrameSize(MAX_FRAME_BYTES)
                .setMaxWebSocketMessageSize(MAX_MESSAGE_BYTES)
                .setTcpNoDelay(true));
        UpgradeCheck check = UpgradeCheck.forListener(host);
        server.webSocketHandler(ws -> {
            int refusal = check.refusal(ws.headers().get("Origin"), ws.headers().get("Host"));
            if (refusal != 0) {
                ws.reject(refusal);
                return;
            }
            if (expected != null) {
                if (!MessageDigest.isEqual(expected, bearerToken(ws.headers().get("Authorization")))) {
                    ws.reject(401);
                    return;
                }
            }
            Connection connection = new Connection(this, new WebSocketServerTransport(ws, vertx.getOrCreateContext()));
            ws.textMessageHandler(connection::onMessage);
            ws.binaryMessageHandler(b -> connection.onMessage(b.toString(StandardCharsets.UTF_8)));
            ws.exceptionHandler(e -> {});
            ws.closeHandler(v -> connection.onClosed());
        });
        server.requestHandler(req -> {
            if ("/readyz".equals(req.path())) {
                req.response().setStatusCode(200).end("ok");
            } else {
                req.response().setStatusCode(404).end("not found: use a WebSocket upgrade, or GET /readyz");
            }
        });
        try {
            HttpServer bound = server.listen(port, host)
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
            int actual = bound.actualPort();
            String h = host.contains(":") ? "[" + host + "]" : host;
            return new Listening(URI.create("ws://" + h + ":" + actual), actual);
        } catch (ExecutionException e) {
            throw new ExecException(
                    "cannot listen on " + host + ":" + port + ": "
                            + e.getCause().getMessage(),
                    e);
        } catch (TimeoutException e) {
            throw new ExecException("timed out binding " + host + ":" + port);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ExecException("interrupted while binding " + host + ":" + port);
        }
    }

    /** Stops listening and terminates every process of every session. */
    @Override
    public void close() {
        List.copyOf(sessions.values()).forEach(Session::terminateAll);
        sessions.clear();
        synchronized (this) {
            if (vertx != null) {
                vertx.close();
                vertx = null;
            }
        }
        timers.shutdownNow();
    }
}
