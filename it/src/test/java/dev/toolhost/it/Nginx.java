package dev.toolhost.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A real nginx (Debian package {@code nginx}, installed by {@code scripts/test}) load-balancing a set of HTTP
 * backends on 127.0.0.1, run by the test in the foreground ({@code nginx -p DIR -c nginx.conf -g 'daemon off;'})
 * with its own config, logs and temp files in a fresh directory. The proxy is set up for MCP streamable HTTP:
 * HTTP/1.1 with keep-alive to the backends, no response or request buffering (SSE streams flow through at
 * once), one-hour read/send timeouts, no body size limit (the backend enforces its own), the client's
 * {@code Host} passed on, and a failed POST never retried on another backend (nginx does not retry
 * non-idempotent requests), so a request in flight on a backend that dies fails at the client.
 *
 * <p>The access log ({@link #accessLog()}) has one line per request:
 * {@code UPSTREAM_ADDR METHOD URI STATUS "MCP_SESSION_ID" "MCP_METHOD" "MCP_NAME"} (the last two are the 2026-07-28
 * {@code Mcp-Method} and {@code Mcp-Name} headers; {@code "-"} for a header the request did not have).
 *
 * <pre>{@code
 * try (Nginx lb = Nginx.start(List.of("127.0.0.1:" + a, "127.0.0.1:" + b), Nginx.Balancing.ROUND_ROBIN)) {
 *     client.post(lb.url("/mcp"), ...);
 * }
 * }</pre>
 */
public final class Nginx implements AutoCloseable {
    /** How requests are spread over the backends. */
    public enum Balancing {
        /** Each request to the next backend in turn (what a stateless modern MCP deployment needs). */
        ROUND_ROBIN,
        /**
         * {@code hash $http_mcp_session_id consistent}: every request with one {@code Mcp-Session-Id} reaches one
         * backend; requests without the header (an empty key) are round-robined.
         * Caveat for legacy MCP sessions: the backend a session id hashes to need not be the one that answered
         * {@code initialize} and minted it, so on its own this keeps a session on one backend only from its
         * second request on. {@link #startWithSessionRoutes} has no such gap.
         */
        MCP_SESSION_HASH,
        /**
         * {@code hash $http_authorization consistent}: every request with one bearer token reaches one backend (what
         * process sessions need, whose handles travel in the body); requests without the header are round-robined.
         */
        BEARER_TOKEN_HASH,
        /**
         * Set by {@link #startWithSessionRoutes}: a session id's route prefix picks its backend, and a session whose
         * backend is down gets 404 with a JSON-RPC error (nginx would answer an HTML 502).
         */
        MCP_SESSION_ROUTE
    }

    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    private final Process process;
    private final Path dir;
    private final int port;

    private Nginx(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    /**
     * Starts nginx on a free 127.0.0.1 port in front of these backends and waits until it accepts connections.
     *
     * @param backends  {@code host:port} of each backend, e.g. {@code 127.0.0.1:41234}
     * @param balancing how requests are spread over them
     * @throws IllegalStateException when nginx is not installed or does not start (with its error log)
     */
    public static Nginx start(List<String> backends, Balancing balancing) throws IOException {
        if (balancing == Balancing.MCP_SESSION_ROUTE) {
            throw new IllegalArgumentException("MCP_SESSION_ROUTE needs routes: use startWithSessionRoutes");
        }
        return start(backends, balancing, Map.of());
    }

    /**
     * Starts nginx with sticky legacy sessions that need no shared state: a request whose {@code Mcp-Session-Id}
     * starts with {@code ROUTE.} reaches the backend of that route; any other request (an {@code initialize}
     * without a session id, a modern request, an unknown route) is round-robined. For this, each backend must
     * mint its session ids as {@code ROUTE.RANDOM} with its own route. A request for a session whose backend is down
     * gets 404 with a JSON-RPC error, so that its client starts a new session. This is the README's sample config
     * ("Replicas behind a load balancer") except that the default upstream is round-robin, not
     * {@code hash $remote_addr consistent}: every test client comes from 127.0.0.1.
     *
     * @param routes route name (letters, digits, {@code -}, {@code _}) to backend {@code host:port}, in order
     */
    public static Nginx startWithSessionRoutes(Map<String, String> routes) throws IOException {
        for (String route : routes.keySet()) {
            if (!route.matches("[A-Za-z0-9_-]+")) {
                throw new IllegalArgumentException("route " + route + " must be letters, digits, - or _");
            }
        }
        return start(List.copyOf(routes.values()), Balancing.MCP_SESSION_ROUTE, routes);
    }

    private static Nginx start(List<String> backends, Balancing balancing, Map<String, String> routes)
            throws IOException {
        if (backends.isEmpty()) {
            throw new IllegalArgumentException("nginx needs at least one backend");
        }
        Path dir = Files.createTempDirectory("nginx-");
        // Worker processes run as "nobody" when the test runs as root: they must reach the temp paths.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectories(dir.resolve("logs"));
        Files.createDirectories(dir.resolve("tmp"));
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = freePort();
            Files.writeString(dir.resolve("nginx.conf"), config(dir, port, backends, balancing, routes));
            ProcessBuilder pb = new ProcessBuilder(
                            binary().toString(),
                            "-p",
                            dir.toString(),
                            "-c",
                            "nginx.conf",
                            "-e",
                            dir.resolve("logs/error.log").toString(),
                            "-g",
                            "daemon off;")
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("logs/console.log").toFile());
            Process p = pb.start();
            try {
                await().atMost(START_TIMEOUT)
                        .pollInterval(Duration.ofMillis(50))
                        .until(() -> !p.isAlive() || accepts(port));
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                stop(p);
                throw new IllegalStateException("nginx did not start within " + START_TIMEOUT + ": " + log(dir));
            }
            if (p.isAlive()) {
                return new Nginx(p, dir, port);
            }
            // Most likely another process took the port between the probe and nginx's bind: try another.
            last = new IllegalStateException("nginx exited with " + p.exitValue() + ": " + log(dir));
        }
        throw last;
    }

    /** The nginx binary: {@code nginx} on the PATH or {@code /usr/sbin/nginx}. */
    public static Path binary() {
        for (String d : (System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/usr/local/sbin").split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, "nginx"))) {
                return Path.of(d, "nginx");
            }
        }
        throw new IllegalStateException("nginx is missing: run scripts/test as root (it installs the Debian package)");
    }

    /** The port nginx listens on (127.0.0.1). */
    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:PORT} followed by {@code path}, e.g. {@code url("/mcp")}. */
    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** Where nginx keeps its config, logs and temp files. */
    public Path dir() {
        return dir;
    }

    /**
     * The access log so far, one line per finished request:
     * {@code UPSTREAM_ADDR METHOD URI STATUS "SESSION" "MCP_METHOD" "MCP_NAME"}.
     */
    public List<String> accessLog() {
        try {
            return Files.readAllLines(dir.resolve("logs/access.log"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The error log so far (upstream failures show here). */
    public String errorLog() {
        return log(dir);
    }

    /** Stops nginx (fast shutdown: open connections are closed) and waits for it and its workers to end. */
    public void stop() {
        stop(process);
    }

    @Override
    public void close() {
        stop();
    }

    private static void stop(Process p) {
        List<ProcessHandle> workers = p.descendants().toList();
        p.destroy();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workers.forEach(ProcessHandle::destroyForcibly);
    }

    private static String config(
            Path dir, int port, List<String> backends, Balancing balancing, Map<String, String> routes) {
        String servers = backends.stream()
                .map(b -> "        server " + b + " max_fails=0;\n")
                .collect(Collectors.joining());
        String tmp = dir.resolve("tmp").toString();
        // One upstream per route, and a map from the session id's prefix to it (nginx resolves a proxy_pass
        // variable against the upstream names first).
        StringBuilder routing = new StringBuilder();
        if (!routes.isEmpty()) {
            routing.append("    map $http_mcp_session_id $mcp_upstream {\n        default backends;\n");
            routes.keySet()
                    .forEach(r -> routing.append("        ~^")
                            .append(r)
                            .append("\\. route_")
                            .append(r)
                            .append(";\n"));
            routing.append("    }\n");
            routes.forEach((r, b) -> routing.append("    upstream route_")
                    .append(r)
                    .append(" {\n        server ")
                    .append(b)
                    .append(" max_fails=0;\n        keepalive 8;\n    }\n"));
        }
        return """
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/logs/error.log info;
                events { worker_connections 1024; }
                http {
                    log_format lb '$upstream_addr $request_method $request_uri $status "$http_mcp_session_id" '
                                  '"$http_mcp_method" "$http_mcp_name"';
                    access_log %1$s/logs/access.log lb;
                    client_body_temp_path %2$s/client_body;
                    proxy_temp_path %2$s/proxy;
                    fastcgi_temp_path %2$s/fastcgi;
                    uwsgi_temp_path %2$s/uwsgi;
                    scgi_temp_path %2$s/scgi;
                    upstream backends {
                %3$s%4$s        keepalive 32;
                    }
                %6$s    server {
                        listen 127.0.0.1:%5$d;
                        client_max_body_size 0;
                        location / {
                            proxy_pass http://%7$s;
                            proxy_http_version 1.1;
                            proxy_set_header Connection "";
                            proxy_set_header Host $http_host;
                            proxy_buffering off;
                            proxy_request_buffering off;
                            proxy_cache off;
                            proxy_read_timeout 1h;
                            proxy_send_timeout 1h;
                %8$s        }
                %9$s    }
                }
                """.formatted(
                        dir,
                        tmp,
                        switch (balancing) {
                            case MCP_SESSION_HASH -> "        hash $http_mcp_session_id consistent;\n";
                            case BEARER_TOKEN_HASH -> "        hash $http_authorization consistent;\n";
                            default -> "";
                        },
                        servers,
                        port,
                        routing,
                        routes.isEmpty() ? "backends" : "$mcp_upstream",
                        routes.isEmpty() ? "" : "            error_page 502 = @replica_gone;\n",
                        routes.isEmpty() ? "" : REPLICA_GONE);
    }

    /**
     * With session routes, a request for a session whose replica is down gets 404 and a JSON-RPC error (what makes
     * an MCP client start a new session) instead of nginx's HTML 502; a request without a session id still gets 502.
     * The README's sample config ("Replicas behind a load balancer") has the same location.
     */
    private static final String REPLICA_GONE = """
                    location @replica_gone {
                        if ($http_mcp_session_id = "") { return 502; }
                        default_type application/json;
                        return 404 '{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"Session not found: the Toolhost replica that held it is gone; start a new session with initialize"}}';
                    }
            """;

    private static String log(Path dir) {
        StringBuilder b = new StringBuilder();
        for (String name : List.of("logs/console.log", "logs/error.log")) {
            try {
                Path f = dir.resolve(name);
                if (Files.exists(f)) {
                    b.append(Files.readString(f));
                }
            } catch (IOException e) {
                b.append("(")
                        .append(name)
                        .append(" unreadable: ")
                        .append(e.getMessage())
                        .append(")");
            }
        }
        return b.toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
