package dev.toolhost.mcp.server;

import dev.toolhost.mcp.server.modern.ModernEndpoint;
import dev.toolhost.mcp.server.modern.ModernHttpFront;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.transport.DefaultServerTransportSecurityValidator;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Streamable HTTP on Jetty 12 (ee10) for both eras on one endpoint: 2026-07-28 requests are served
 * statelessly through a {@link ModernEndpoint} ({@link ModernHttpFront}), legacy sessions through the SDK's
 * {@link HttpServletStreamableServerTransportProvider} (with {@link LegacyHttpGuard} in front of it).
 *
 * <p>Security: requests need {@code Authorization: Bearer TOKEN} when a token is set (else 401; the scheme
 * in any case, the token exact);
 * when bound to a loopback address, browser requests from other origins get 403 and requests naming
 * another host get 421 (DNS-rebinding protection, by the SDK's validator); bodies over the limit get
 * 413. Session ids are the SDK's random UUIDs, or {@code REPLICA.UUID} when the options name a replica
 * ({@link ReplicaSessionIds}), so that a load balancer can keep each legacy session on the replica that started it.
 */
public final class StreamableHttpServer implements AutoCloseable {
    private final RequestCancellation cancellation;
    private final LegacySessionEnds sessionEnds;

    /**
     * @param bearerToken     null to accept requests without a token (allowed only on loopback)
     * @param maxRequestBytes larger request bodies are refused with 413
     * @param keepAlive       how often a modern request's SSE stream gets a {@code :} keep-alive comment
     * @param replicaId       null, or this replica's route (1 to 32 letters, digits, {@code -}, {@code _}): legacy
     *                        session ids then start with {@code REPLICA.}
     */
    public record Options(
            String host,
            int port,
            String path,
            String bearerToken,
            int maxRequestBytes,
            Duration keepAlive,
            String replicaId) {
        public Options(String host, int port, String path, String bearerToken, int maxRequestBytes) {
            this(host, port, path, bearerToken, maxRequestBytes, Duration.ofSeconds(15), null);
        }

        public Options(
                String host, int port, String path, String bearerToken, int maxRequestBytes, Duration keepAlive) {
            this(host, port, path, bearerToken, maxRequestBytes, keepAlive, null);
        }

        /** The same options for the replica named {@code id} (see {@link #replicaId()}). */
        public Options withReplicaId(String id) {
            return new Options(host, port, path, bearerToken, maxRequestBytes, keepAlive, id);
        }

        public Options {
            if (replicaId != null && !ReplicaSessionIds.VALID.matcher(replicaId).matches()) {
                throw new IllegalArgumentException(
                        "the replica id must be 1 to 32 letters, digits, '-' or '_', got '" + replicaId + "'");
            }
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("the MCP endpoint path must start with '/', got '" + path + "'");
            }
            if (bearerToken == null && !isLoopback(host)) {
                throw new IllegalArgumentException("serving on " + host + " (not loopback) requires a bearer token");
            }
        }
    }

    private final Server jetty;
    private final HttpServletStreamableServerTransportProvider transport;
    private final Options options;
    private final ModernHttpFront front;

    private StreamableHttpServer(
            Server jetty,
            HttpServletStreamableServerTransportProvider transport,
            Options options,
            RequestCancellation cancellation,
            LegacySessionEnds sessionEnds,
            ModernHttpFront front) {
        this.cancellation = cancellation;
        this.sessionEnds = sessionEnds;
        this.front = front;
        this.jetty = jetty;
        this.transport = transport;
        this.options = options;
    }

    /**
     * Creates the transport; the caller builds its MCP server on {@link #transport()} and then calls
     * {@link #start()}.
     */
    public static StreamableHttpServer create(Options options, McpJsonMapper json) {
        return create(options, json, null);
    }

    /**
     * Creates the transport serving both eras on one endpoint: 2026-07-28 requests through {@code modern}
     * (see {@link ModernHttpFront}), legacy sessions through the SDK; the caller builds its MCP server on
     * {@link #transport()} and then calls {@link #start()}.
     *
     * @param modern serves stateless requests; null serves the legacy era only
     */
    public static StreamableHttpServer create(Options options, McpJsonMapper json, ModernEndpoint modern) {
        var security = DefaultServerTransportSecurityValidator.builder();
        if (isLoopback(options.host())) {
            for (String host : List.of("localhost", "127.0.0.1", "[::1]")) {
                security.allowedOrigin("http://" + host + ":*")
                        .allowedOrigin("https://" + host + ":*")
                        .allowedHost(host + ":*");
            }
        } else {
            security.allowedOrigin("http://" + options.host() + ":*").allowedOrigin("https://" + options.host() + ":*");
        }
        DefaultServerTransportSecurityValidator validator = security.build();
        RequestCancellation cancellation = new RequestCancellation();
        var transport = HttpServletStreamableServerTransportProvider.builder()
                .jsonMapper(new HttpTransportMapper(json, cancellation))
                .mcpEndpoint(options.path())
                .securityValidator(validator)
                .maxRequestSize(options.maxRequestBytes())
                .keepAliveInterval(Duration.ofSeconds(30))
                .build();

        QueuedThreadPool threads = new QueuedThreadPool(200, 8);
        threads.setName("toolhost-http");
        threads.setDaemon(true);
        Server jetty = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        // Jetty's per-connection header cache otherwise hands a request the value an earlier request on the
        // connection sent in another case: a bearer token (or session id) differing only in case would pass.
        http.setHeaderCacheCaseSensitive(true);
        ServerConnector connector = new ServerConnector(jetty, new HttpConnectionFactory(http));
        connector.setHost(options.host());
        connector.setPort(options.port());
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        ServletHolder servlet = new ServletHolder("mcp", transport);
        servlet.setAsyncSupported(true);
        context.addServlet(servlet, options.path());
        FilterHolder access = new FilterHolder(new AccessFilter(options.bearerToken(), options.maxRequestBytes()));
        access.setAsyncSupported(true);
        context.addFilter(access, "/*", EnumSet.of(DispatcherType.REQUEST));
        ModernHttpFront front =
                new ModernHttpFront(modern, json, validator, options.maxRequestBytes(), options.keepAlive());
        FilterHolder eras = new FilterHolder(front);
        eras.setAsyncSupported(true);
        context.addFilter(eras, options.path(), EnumSet.of(DispatcherType.REQUEST));
        if (options.replicaId() != null) {
            // After the era front (modern requests have no session), before everything that reads the session id.
            FilterHolder replica = new FilterHolder(new ReplicaSessionIds(options.replicaId(), json));
            replica.setAsyncSupported(true);
            context.addFilter(replica, options.path(), EnumSet.of(DispatcherType.REQUEST));
        }
        FilterHolder legacy = new FilterHolder(new LegacyHttpGuard(json, transport.protocolVersions()));
        legacy.setAsyncSupported(true);
        context.addFilter(legacy, options.path(), EnumSet.of(DispatcherType.REQUEST));
        FilterHolder sessionScope = new FilterHolder(new PostSessionFilter(cancellation));
        sessionScope.setAsyncSupported(true);
        context.addFilter(sessionScope, "/*", EnumSet.of(DispatcherType.REQUEST));
        LegacySessionEnds sessionEnds = new LegacySessionEnds();
        // After ReplicaSessionIds: it sees the session id the SDK (and so every exchange) knows.
        FilterHolder deletes = new FilterHolder(new DeleteSessionFilter(sessionEnds));
        deletes.setAsyncSupported(true);
        context.addFilter(deletes, options.path(), EnumSet.of(DispatcherType.REQUEST));
        jetty.setHandler(context);
        return new StreamableHttpServer(jetty, transport, options, cancellation, sessionEnds, front);
    }

    public HttpServletStreamableServerTransportProvider transport() {
        return transport;
    }

    /** Give this to the MCP server built on {@link #transport()} so that client cancels reach its calls. */
    public RequestCancellation cancellation() {
        return cancellation;
    }

    /**
     * Give this to the MCP server built on {@link #transport()} so that a legacy session's {@code DELETE} ends what
     * that caller left behind at once.
     */
    public LegacySessionEnds sessionEnds() {
        return sessionEnds;
    }

    /** Starts listening; throws with a clear message when the address cannot be bound. */
    public void start() throws IOException {
        try {
            jetty.start();
        } catch (IOException e) {
            // Jetty says "Failed to bind to /HOST:PORT"; the reason (address in use, not ours) is in the cause.
            Throwable reason = e.getCause() instanceof BindException bind ? bind : e;
            throw new IOException(
                    "cannot listen on " + options.host() + ":" + options.port() + ": "
                            + (reason instanceof BindException && "Address already in use".equals(reason.getMessage())
                                    ? "the address is already in use"
                                    : reason.getMessage()),
                    e);
        } catch (Exception e) {
            throw new IOException("cannot start the HTTP server: " + e.getMessage(), e);
        }
    }

    /** The bound port (useful with port 0). */
    public int port() {
        return ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
    }

    public String url() {
        String host = options.host().contains(":") ? "[" + options.host() + "]" : options.host();
        return "http://" + host + ":" + port() + options.path();
    }

    public void join() throws InterruptedException {
        jetty.join();
    }

    @Override
    public void close() {
        try {
            transport.closeGracefully().block(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            // shutting down anyway
        }
        front.close();
        try {
            jetty.stop();
        } catch (Exception e) {
            // shutting down anyway
        }
    }

    /** True for "localhost" and any address in 127.0.0.0/8 or ::1. */
    public static boolean isLoopback(String host) {
        if (host.equals("localhost")) {
            return true;
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** Tells {@link RequestCancellation} which session the POST being decoded belongs to. */
    private static final class PostSessionFilter implements Filter {
        private final RequestCancellation cancellation;

        PostSessionFilter(RequestCancellation cancellation) {
            this.cancellation = cancellation;
        }

        @Override
        public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
                throws IOException, ServletException {
            cancellation.enterPost(((HttpServletRequest) req).getHeader("Mcp-Session-Id"));
            try {
                chain.doFilter(req, res);
            } finally {
                cancellation.exitPost();
            }
        }
    }

    /** Tells {@link LegacySessionEnds} of a legacy session the SDK ended on its client's {@code DELETE}. */
    private static final class DeleteSessionFilter implements Filter {
        private final LegacySessionEnds ends;

        DeleteSessionFilter(LegacySessionEnds ends) {
            this.ends = ends;
        }

        @Override
        public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
                throws IOException, ServletException {
            chain.doFilter(req, res);
            HttpServletRequest request = (HttpServletRequest) req;
            String session = request.getHeader("Mcp-Session-Id");
            // The SDK deletes the session and answers 200 before its doDelete returns; any other answer ended nothing.
            if ("DELETE".equals(request.getMethod())
                    && session != null
                    && ((HttpServletResponse) res).getStatus() == HttpServletResponse.SC_OK) {
                ends.ended(session);
            }
        }
    }

    /** Bearer token (401) and declared body size (413) checks, before the MCP servlet sees the request. */
    private static final class AccessFilter implements Filter {
        private final byte[] expected;
        private final int maxRequestBytes;

        AccessFilter(String token, int maxRequestBytes) {
            this.expected = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
            this.maxRequestBytes = maxRequestBytes;
        }

        @Override
        public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
                throws IOException, ServletException {
            HttpServletRequest request = (HttpServletRequest) req;
            HttpServletResponse response = (HttpServletResponse) res;
            if (expected != null) {
                String auth = request.getHeader("Authorization");
                String token = ModernHttpFront.bearerToken(request);
                byte[] given = token == null ? new byte[0] : token.getBytes(StandardCharsets.UTF_8);
                if (!MessageDigest.isEqual(expected, given)) {
                    response.setHeader("WWW-Authenticate", "Bearer realm=\"toolhost\"");
                    refuse(
                            response,
                            HttpServletResponse.SC_UNAUTHORIZED,
                            auth == null ? "missing bearer token" : "wrong bearer token");
                    return;
                }
            }
            if (request.getContentLengthLong() > maxRequestBytes) {
                refuse(
                        response,
                        HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE,
                        "the request body is over the " + maxRequestBytes + " byte limit");
                return;
            }
            chain.doFilter(req, res);
        }

        /** A JSON-RPC error with no id; the body is not read, so the connection is not reused. */
        private static void refuse(HttpServletResponse response, int status, String message) throws IOException {
            response.setHeader("Connection", "close");
            byte[] body = ("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32600,\"message\":\"" + message
                            + "\"}}")
                    .getBytes(StandardCharsets.UTF_8);
            response.setStatus(status);
            response.setContentType("application/json");
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
        }
    }
}
