package dev.toolhost.mcp.server.modern;

import dev.toolhost.mcp.core.McpVersions;
import dev.toolhost.mcp.server.JsonRpcErrorResponses;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.transport.ServerTransportSecurityException;
import io.modelcontextprotocol.server.transport.ServerTransportSecurityValidator;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The front of the one MCP endpoint that serves both eras (2026-07-28 streamable HTTP, "Request Metadata" and
 * "Server Validation"). It reads each POST body once (413 over the size limit) and decides its era: a body
 * that {@linkplain ModernEndpoint#isModern claims a modern version}, or an {@code MCP-Protocol-Version}
 * header naming one, is served statelessly through the {@link ModernEndpoint}; anything else goes on down
 * the filter chain (to the SDK's session servlet) with its body re-readable and the decoded message in the
 * request attribute {@link #MESSAGE_ATTRIBUTE}.
 *
 * <p>Modern requests: {@code MCP-Protocol-Version} must equal the body's {@code _meta} version, then
 * {@code Mcp-Method} must equal {@code method} and {@code Mcp-Name} must equal {@code params.name}
 * ({@code tools/call}, {@code prompts/get}) or {@code params.uri} ({@code resources/read}), after decoding
 * {@code =?base64?...?=}, and a {@code tools/call}'s {@code Mcp-Param-*} headers must mirror its annotated
 * arguments ({@link ParamHeaders}, when the endpoint gives the tool's schema); a missing or different value is
 * 400 with -32020 (HeaderMismatch). A modern header
 * on a body without a claim is 400 with -32602. The reply is JSON, or an SSE stream (unique event ids,
 * {@code X-Accel-Buffering: no}, {@code :} keep-alives) as soon as the request has a notification to send
 * or is still running after the keep-alive interval; its last event is the response. A client that goes
 * away (closes the connection: noticed at once, see {@link ClientDeparture}) cancels the request's future.
 * Notifications get 202, GET and DELETE with a modern header 405.
 * Origin and Host are checked (403/421) once the body is read; no {@code Mcp-Session-Id} is used.
 *
 * <p>Malformed bodies of either era (not JSON, a batch, not an object) are answered here with 400 and a
 * JSON-RPC error naming the problem.
 */
public final class ModernHttpFront implements Filter, AutoCloseable {
    /** The decoded JSON-RPC message ({@code Map<String, Object>}) of a POST handed on to the legacy servlet. */
    public static final String MESSAGE_ATTRIBUTE = ModernHttpFront.class.getName() + ".message";

    static final int HEADER_MISMATCH = -32020;
    static final int INVALID_PARAMS = -32602;
    static final int INVALID_REQUEST = -32600;
    static final int PARSE_ERROR = -32700;
    static final int INTERNAL_ERROR = -32603;
    private static final String META_VERSION = "io.modelcontextprotocol/protocolVersion";
    private static final Logger log = LoggerFactory.getLogger(ModernHttpFront.class);

    private final ModernEndpoint endpoint;
    private final McpJsonMapper json;
    private final ServerTransportSecurityValidator security;
    private final int maxRequestBytes;
    private final Duration keepAlive;
    private final ScheduledExecutorService ticks;

    /**
     * @param endpoint        serves modern requests; null serves none (every request goes to the legacy servlet)
     * @param security        the Origin/Host validator the legacy servlet uses too
     * @param maxRequestBytes larger bodies get 413
     * @param keepAlive       how often a running request's SSE stream gets a {@code :} comment; a request
     *                        still running after this long is switched to SSE, so that proxies between it and
     *                        its client see the exchange is alive
     */
    public ModernHttpFront(
            ModernEndpoint endpoint,
            McpJsonMapper json,
            ServerTransportSecurityValidator security,
            int maxRequestBytes,
            Duration keepAlive) {
        this.endpoint = endpoint;
        this.json = json;
        this.security = security;
        this.maxRequestBytes = maxRequestBytes;
        this.keepAlive = keepAlive;
        this.ticks = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "toolhost-http-keepalive");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        String versionHeader = header(request, "MCP-Protocol-Version");
        boolean modernHeader = endpoint != null && versionHeader != null && McpVersions.MODERN.contains(versionHeader);
        if (!"POST".equals(request.getMethod())) {
            if (modernHeader && ("GET".equals(request.getMethod()) || "DELETE".equals(request.getMethod()))) {
                response.setHeader("Allow", "POST");
                writeError(
                        response,
                        HttpServletResponse.SC_METHOD_NOT_ALLOWED,
                        null,
                        INVALID_REQUEST,
                        request.getMethod() + " is not part of protocol " + versionHeader
                                + ": send each request as its own POST");
                return;
            }
            chain.doFilter(req, res);
            return;
        }
        byte[] body = readBody(request);
        if (body == null) {
            response.setHeader("Connection", "close"); // the rest of the body is not read
            writeError(
                    response,
                    HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE,
                    null,
                    INVALID_REQUEST,
                    "the request body is over the " + maxRequestBytes + " byte limit");
            return;
        }
        try {
            security.validateHeaders(headers(request));
        } catch (ServerTransportSecurityException e) {
            writeError(response, e.getStatusCode(), null, INVALID_REQUEST, e.getMessage());
            return;
        }
        Object parsed;
        try {
            parsed = json.readValue(body, Object.class);
        } catch (IOException | RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            writeError(
                    response,
                    400,
                    null,
                    PARSE_ERROR,
                    "Parse error: the request body is not JSON (" + firstLine(root.getMessage()) + ")");
            return;
        }
        if (parsed instanceof List<?>) {
            writeError(
                    response,
                    400,
                    null,
                    INVALID_REQUEST,
                    "JSON-RPC batches are not supported:"
                            + " send one message per POST (protocol 2025-06-18 and later removed batching)");
            return;
        }
        if (!(parsed instanceof Map<?, ?>)) {
            writeError(
                    response,
                    400,
                    null,
                    INVALID_REQUEST,
                    "the request body must be one JSON-RPC message (a JSON object)");
            return;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> message = (Map<String, Object>) parsed;
        if (endpoint == null || !(modernHeader || ModernEndpoint.isModern(message))) {
            request.setAttribute(MESSAGE_ATTRIBUTE, message);
            chain.doFilter(new CachedBody(request, body), res);
            return;
        }
        serveModern(request, response, message, versionHeader);
    }

    private void serveModern(
            HttpServletRequest request, HttpServletResponse response, Map<String, Object> message, String versionHeader)
            throws IOException {
        Object rawId = message.get("id");
        Object id = rawId instanceof String || rawId instanceof Number ? rawId : null;
        if (message.containsKey("id") && rawId != null && id == null) {
            writeError(response, 400, null, INVALID_REQUEST, "the JSON-RPC id must be a string or a number");
            return;
        }
        if (!"2.0".equals(message.get("jsonrpc"))) {
            writeError(response, 400, id, INVALID_REQUEST, "not a JSON-RPC 2.0 message: \"jsonrpc\" must be \"2.0\"");
            return;
        }
        if (!(message.get("method") instanceof String method)) {
            writeError(
                    response,
                    400,
                    id,
                    INVALID_REQUEST,
                    message.containsKey("result") || message.containsKey("error")
                            ? "clients send no JSON-RPC responses under protocol 2026-07-28"
                            : "the JSON-RPC message has no \"method\"");
            return;
        }
        Object params = message.get("params");
        if (params != null && !(params instanceof Map<?, ?>)) {
            writeError(response, 400, id, INVALID_PARAMS, "\"params\" must be an object");
            return;
        }
        String problem = headerProblem(request, message, method, (Map<?, ?>) params, versionHeader);
        if (problem != null) {
            int code = ModernEndpoint.isModern(message) ? HEADER_MISMATCH : INVALID_PARAMS;
            writeError(response, 400, id, code, problem);
            return;
        }
        new Exchange(request, response, id, method).start(message, bearerToken(request));
    }

    /** The first header-validation failure, in the spec's order (version mismatch before support), or null. */
    private String headerProblem(
            HttpServletRequest request,
            Map<String, Object> message,
            String method,
            Map<?, ?> params,
            String versionHeader) {
        if (!ModernEndpoint.isModern(message)) {
            return "the MCP-Protocol-Version header names " + versionHeader + " but params._meta has no \""
                    + META_VERSION + "\": a " + versionHeader + " request carries its version in _meta";
        }
        Object claimed =
                params != null && params.get("_meta") instanceof Map<?, ?> meta ? meta.get(META_VERSION) : null;
        if (versionHeader == null) {
            return "Header mismatch: the MCP-Protocol-Version header is missing"
                    + (claimed == null ? "" : " (the body claims " + claimed + ")");
        }
        if (claimed != null && !versionHeader.equals(String.valueOf(claimed))) {
            return "Header mismatch: MCP-Protocol-Version header value '" + versionHeader
                    + "' does not match body value '" + claimed + "'";
        }
        if (!McpVersions.MODERN.contains(versionHeader)) {
            return null; // the endpoint answers UnsupportedProtocolVersion with the versions it serves
        }
        String methodHeader = header(request, "Mcp-Method");
        boolean isRequest = message.containsKey("id");
        if (methodHeader == null ? isRequest : !methodHeader.equals(method)) {
            return methodHeader == null
                    ? "Header mismatch: the Mcp-Method header is missing (the body's method is '" + method + "')"
                    : "Header mismatch: Mcp-Method header value '" + methodHeader + "' does not match body value '"
                            + method + "'";
        }
        String nameField = switch (method) {
            case "tools/call", "prompts/get" -> "name";
            case "resources/read" -> "uri";
            default -> null;
        };
        if (nameField == null) {
            return null;
        }
        Object bodyName = params == null ? null : params.get(nameField);
        String nameHeader = header(request, "Mcp-Name");
        if (nameHeader == null) {
            return bodyName == null
                    ? null // the endpoint reports the missing params field
                    : "Header mismatch: the Mcp-Name header is missing (params." + nameField + " is '" + bodyName
                            + "')";
        }
        String decoded;
        try {
            decoded = decodeHeaderValue(nameHeader);
        } catch (IllegalArgumentException e) {
            return "Header mismatch: the Mcp-Name header is not valid =?base64?...?= (" + e.getMessage() + ")";
        }
        if (!decoded.equals(bodyName)) {
            return "Header mismatch: Mcp-Name header value '" + decoded + "' does not match body value '"
                    + (bodyName == null ? "" : bodyName) + "' (params." + nameField + ")";
        }
        if ("tools/call".equals(method)) {
            Map<String, Object> schema = endpoint.toolInputSchema(decoded, bearerToken(request));
            if (schema != null) {
                return ParamHeaders.problem(schema, params.get("arguments"), name -> request.getHeader(name));
            }
        }
        return null;
    }

    /** Decodes the {@code =?base64?...?=} sentinel form (UTF-8); other values are returned as they are. */
    static String decodeHeaderValue(String value) {
        if (value.startsWith("=?base64?") && value.endsWith("?=") && value.length() >= 11) {
            byte[] bytes = Base64.getDecoder().decode(value.substring(9, value.length() - 2));
            return new String(bytes, StandardCharsets.UTF_8);
        }
        return value;
    }

    /** One modern request in flight: replies JSON, or switches to SSE when there is something to stream. */
    private final class Exchange implements AsyncListener {
        private final HttpServletRequest request;
        private final HttpServletResponse response;
        private final Object id;
        private final String method;
        private final AsyncContext async;
        private final boolean streamable;
        private final String streamId = UUID.randomUUID().toString();
        private long events;
        private boolean streaming;
        private boolean done;
        private CompletableFuture<ModernEndpoint.Reply> future;
        private ScheduledFuture<?> tick;
        private ClientDeparture departure;

        Exchange(HttpServletRequest request, HttpServletResponse response, Object id, String method) {
            this.request = request;
            this.response = response;
            this.id = id;
            this.method = method;
            String accept = request.getHeader("Accept");
            this.streamable = accept == null || accept.contains("text/event-stream") || accept.contains("*/*");
            this.async = request.startAsync();
            async.setTimeout(0);
            async.addListener(this);
        }

        void start(Map<String, Object> message, String token) {
            CompletableFuture<ModernEndpoint.Reply> handled;
            try {
                handled = endpoint.handle(message, token, this::notification);
            } catch (RuntimeException e) {
                handled = CompletableFuture.failedFuture(e);
            }
            synchronized (this) {
                future = handled;
                if (done) {
                    handled.cancel(true); // the client left while the endpoint was still taking the request
                } else if (!handled.isDone()) {
                    // Without the watch, a client that closes the connection is noticed only when a write fails.
                    departure = ClientDeparture.watch(request, this::departed);
                    if (streamable) {
                        tick = ticks.scheduleAtFixedRate(
                                this::keepAlive, keepAlive.toMillis(), keepAlive.toMillis(), TimeUnit.MILLISECONDS);
                    }
                }
            }
            handled.whenComplete(this::finish);
        }

        /** The client closed the connection (see {@link ClientDeparture}). */
        private synchronized void departed() {
            clientGone();
        }

        private synchronized void notification(Map<String, Object> notification) {
            if (done || !streamable) {
                return;
            }
            try {
                openStream();
                writeEvent(notification);
            } catch (IOException e) {
                clientGone();
            }
        }

        private synchronized void keepAlive() {
            if (done) {
                return;
            }
            try {
                openStream();
                response.getOutputStream().write(":\n\n".getBytes(StandardCharsets.UTF_8));
                response.flushBuffer();
            } catch (IOException e) {
                clientGone();
            }
        }

        private synchronized void finish(ModernEndpoint.Reply reply, Throwable failure) {
            if (done) {
                return;
            }
            if (departure != null) {
                // Before a byte of the reply is written: a client that has its reply may send its next request on
                // this connection at once, and the watch must not be the one to read it.
                departure.stop();
            }
            Map<String, Object> message;
            int status;
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause()
                        : failure;
                if (cause instanceof CancellationException) {
                    end();
                    return;
                }
                log.warn("serving {} failed", method, cause);
                message = error(id, INTERNAL_ERROR, "internal error while serving " + method);
                status = 500;
            } else {
                message = reply.message();
                status = reply.httpStatus();
            }
            try {
                if (streaming) {
                    if (message != null) {
                        writeEvent(message);
                    }
                } else if (message == null) {
                    response.setStatus(status == 200 ? HttpServletResponse.SC_ACCEPTED : status);
                } else {
                    writeJson(response, status, message);
                }
            } catch (IOException e) {
                // the client went away just as the reply was ready: nothing left to cancel
            }
            end();
        }

        private void openStream() throws IOException {
            if (streaming) {
                return;
            }
            streaming = true;
            response.setStatus(200);
            response.setContentType("text/event-stream");
            response.setCharacterEncoding("UTF-8");
            response.setHeader("Cache-Control", "no-cache");
            response.setHeader("X-Accel-Buffering", "no");
            response.flushBuffer();
        }

        private void writeEvent(Map<String, Object> message) throws IOException {
            String event = "id: " + streamId + "-" + (++events) + "\nevent: message\ndata: "
                    + json.writeValueAsString(message) + "\n\n";
            response.getOutputStream().write(event.getBytes(StandardCharsets.UTF_8));
            response.flushBuffer();
        }

        private void clientGone() {
            if (future != null) {
                future.cancel(true);
            }
            end();
        }

        private void end() {
            if (done) {
                return;
            }
            done = true;
            if (tick != null) {
                tick.cancel(false);
            }
            if (departure != null) {
                departure.stop(); // before the response completes (again, when finish stopped it already: a no-op)
            }
            try {
                async.complete();
            } catch (IllegalStateException e) {
                // already completed by the container (the client went away)
            }
        }

        @Override
        public void onComplete(AsyncEvent event) {}

        @Override
        public void onTimeout(AsyncEvent event) {
            synchronized (this) {
                clientGone();
            }
        }

        @Override
        public void onError(AsyncEvent event) {
            synchronized (this) {
                clientGone();
            }
        }

        @Override
        public void onStartAsync(AsyncEvent event) {}
    }

    /** The JSON-RPC error object for {@code id} (null when the request had none or it could not be read). */
    static Map<String, Object> error(Object id, int code, String message) {
        return JsonRpcErrorResponses.of(id, code, message);
    }

    private void writeError(HttpServletResponse response, int status, Object id, int code, String message)
            throws IOException {
        writeJson(response, status, error(id, code, message));
    }

    private void writeJson(HttpServletResponse response, int status, Map<String, Object> message) throws IOException {
        byte[] bytes = json.writeValueAsBytes(message);
        response.setStatus(status);
        response.setContentType("application/json");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
        response.flushBuffer();
    }

    /** The body, or null when it is over the limit (whatever Content-Length said). */
    private byte[] readBody(HttpServletRequest request) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try (InputStream in = request.getInputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                if (out.size() > maxRequestBytes) {
                    return null;
                }
            }
        }
        return out.toByteArray();
    }

    private static String header(HttpServletRequest request, String name) {
        String value = request.getHeader(name);
        return value == null ? null : value.strip();
    }

    /**
     * The token of an {@code Authorization: Bearer TOKEN} header (RFC 6750 section 2.1; the scheme matched
     * without regard to case, RFC 9110 section 11.1), or null when there is no such header.
     */
    public static String bearerToken(HttpServletRequest request) {
        String auth = request.getHeader("Authorization");
        return auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)
                ? auth.substring(7).strip()
                : null;
    }

    private static Map<String, List<String>> headers(HttpServletRequest request) {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String name : Collections.list(request.getHeaderNames())) {
            headers.computeIfAbsent(name, n -> new ArrayList<>()).addAll(Collections.list(request.getHeaders(name)));
        }
        return headers;
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "unreadable";
        }
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }

    @Override
    public void close() {
        ticks.shutdownNow();
    }

    /** The request with its already-read body readable again, for the legacy servlet. */
    private static final class CachedBody extends HttpServletRequestWrapper {
        private final byte[] body;

        CachedBody(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new IllegalStateException("the body was read already; read it blocking");
                }

                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}
