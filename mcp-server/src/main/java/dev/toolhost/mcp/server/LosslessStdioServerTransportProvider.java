package dev.toolhost.mcp.server;

import dev.toolhost.mcp.client.JsonRpcMessages;
import dev.toolhost.mcp.client.LineReader;
import dev.toolhost.mcp.client.LineWriter;
import dev.toolhost.mcp.core.CancellableRequests;
import dev.toolhost.mcp.core.McpVersions;
import dev.toolhost.mcp.server.modern.ModernEndpoint;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpServerSession;
import io.modelcontextprotocol.spec.McpServerTransport;
import io.modelcontextprotocol.spec.McpServerTransportProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;

/**
 * Toolhost's stdio server transport: newline-delimited JSON-RPC on an input and an output stream,
 * one session, no message ever dropped.
 *
 * <p>Why not the SDK's {@code StdioServerTransportProvider} (1.1.5): it emits outbound messages with
 * {@code tryEmitNext} on a unicast sink, so when two threads send at once (a response and a progress
 * notification, say) one message fails with "Failed to enqueue message" and the peer waits forever
 * (upstream java-sdk issues #304, #686, #875; fixes proposed in PRs #834, #935). It also offers only
 * protocol 2024-11-05, which hides elicitation and structured output from current clients.
 *
 * <p>Here every outbound message (response, notification, server-to-client request), from any
 * thread, is serialized by its sender and written whole, in order, through one {@link LineWriter}:
 * bounded buffering, and a sender that finds it full waits (back-pressure) instead of failing. Inbound requests are dispatched concurrently, at most
 * {@code maxInFlight} at a time; when that many are running the reader stops reading, which pushes
 * back on the client. A line that is not JSON-RPC gets a JSON-RPC error and the session goes on.
 *
 * <p>Loss is never silent: when the output fails (or the input ends) every server-to-client request
 * still waiting for its answer fails at once, and later sends fail instead of hanging.
 * {@code notifications/cancelled} from the client cancels the matching request's handler, of either era
 * ({@link CancellableRequests}: the connection is the scope of its ids).
 *
 * <p>Dual-era: given a {@link ModernEndpoint} ({@link #modernEndpoint}), every line that belongs to
 * 2026-07-28 ({@link ModernEndpoint#isModern}: {@code server/discover}, or a request whose {@code _meta} claims a
 * protocol version) is served by it, statelessly, its notifications and response written through the same
 * writer; everything else (an {@code initialize} and what follows) goes to the SDK session as before.
 *
 * <p>A legacy request whose params the SDK cannot decode ({@link LegacyParams}) gets a -32602 error naming the field,
 * as on the legacy HTTP endpoint, instead of the SDK's -32603 with a Java exception's text.
 *
 * <p>Before the legacy handshake: a request that is neither 2026-07-28 nor {@code initialize} gets a -32600 error
 * saying how to start (the SDK session would hold it until its request timeout, so the client would hang), and
 * {@code ping} is answered here until {@code notifications/initialized} (the lifecycle allows pings at any time; the
 * SDK session would hold those too).
 */
public final class LosslessStdioServerTransportProvider implements McpServerTransportProvider {

    private static final Logger log = LoggerFactory.getLogger(LosslessStdioServerTransportProvider.class);
    /** The scope of every request id on this connection: one client. */
    private static final String CONNECTION = "stdio";
    /** The default longest line, as the HTTP endpoint's default longest request body. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 4 << 20;

    private final McpJsonMapper json;
    private final InputStream in;
    private final LineWriter out;
    private final Semaphore inFlight;
    private final int maxInFlight;
    /** Requests of either era still running, so that {@code notifications/cancelled} can reach them. */
    private final CancellableRequests running = new CancellableRequests();

    private final Set<Object> awaitingClient = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private final AtomicBoolean outputEnding = new AtomicBoolean();
    private volatile McpServerSession session;
    private volatile ModernEndpoint modern;
    private volatile int maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES;
    /** The client sent {@code initialize}: the legacy session's requests go to the SDK session from then on. */
    private volatile boolean initializeSeen;
    /** The client sent {@code notifications/initialized}: the SDK session answers pings from then on. */
    private volatile boolean initialized;
    /** Open {@code subscriptions/listen} requests: they end when the input does. */
    private final Map<Object, CompletableFuture<ModernEndpoint.Reply>> modernListens = new ConcurrentHashMap<>();

    /**
     * @param queueCapacity how many serialized messages may wait for the output before senders block
     * @param maxInFlight   how many client requests may run at once before the reader pauses
     */
    public LosslessStdioServerTransportProvider(
            McpJsonMapper json, InputStream in, OutputStream out, int queueCapacity, int maxInFlight) {
        this.json = json;
        this.in = in;
        this.out = new LineWriter(queueCapacity, null, this::outputFailed);
        this.out.start(out);
        this.maxInFlight = maxInFlight;
        this.inFlight = new Semaphore(maxInFlight);
    }

    public LosslessStdioServerTransportProvider(McpJsonMapper json, InputStream in, OutputStream out) {
        this(json, in, out, 4096, 256);
    }

    @Override
    public List<String> protocolVersions() {
        return McpVersions.LEGACY;
    }

    /**
     * Sets the longest line read from the client, in bytes (default {@value #DEFAULT_MAX_MESSAGE_BYTES}): a longer one
     * is skipped without being held in memory, and answered with an invalid-request error (-32600) when it is a
     * request whose id could be read; the session goes on.
     */
    public LosslessStdioServerTransportProvider maxMessageBytes(int bytes) {
        this.maxMessageBytes = bytes;
        return this;
    }

    /**
     * Serves 2026-07-28 lines through {@code endpoint} (set before the server starts, i.e. before
     * {@link #setSessionFactory}); without one every line goes to the SDK session.
     */
    public LosslessStdioServerTransportProvider modernEndpoint(ModernEndpoint endpoint) {
        this.modern = endpoint;
        return this;
    }

    @Override
    public void setSessionFactory(McpServerSession.Factory sessionFactory) {
        session = sessionFactory.create(new SessionTransport());
        start("toolhost-stdio-reader", this::readLoop);
    }

    /** Completes when the input has ended and everything sent before that was written (or output failed). */
    public CompletableFuture<Void> terminated() {
        return terminated;
    }

    @Override
    public Mono<Void> notifyClients(String method, Object params) {
        McpServerSession s = session;
        return s == null
                ? Mono.error(new IllegalStateException("no MCP client has connected yet"))
                : s.sendNotification(method, params);
    }

    @Override
    public Mono<Void> notifyClient(String sessionId, String method, Object params) {
        McpServerSession s = session;
        if (s == null || !s.getId().equals(sessionId)) {
            return Mono.error(new IllegalStateException("no MCP session " + sessionId + " on this stdio connection"));
        }
        return s.sendNotification(method, params);
    }

    @Override
    public Mono<Void> closeGracefully() {
        McpServerSession s = session;
        return s == null ? Mono.fromRunnable(this::endOutput) : s.closeGracefully();
    }

    private static void start(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
    }

    // ---- outbound ----

    private void enqueue(byte[] line) throws IOException {
        if (outputEnding.get()) {
            throw new IOException("the stdio MCP session is closed");
        }
        try {
            out.write(line, LineWriter.Receipt.NONE);
        } catch (IOException e) {
            throw new IOException("the MCP client's stdout pipe failed: " + e.getMessage(), e);
        }
    }

    private void endOutput() {
        if (outputEnding.compareAndSet(false, true)) {
            out.close();
            terminated.complete(null);
        }
    }

    private void outputFailed(IOException e) {
        log.warn("MCP stdio output failed; pending requests to the client are failed: {}", e.toString());
        failRequestsAwaitingClient("the MCP client's stdout pipe failed: " + e.getMessage());
        terminated.complete(null);
    }

    /** Answers each server-to-client request still waiting with an error, so its caller learns at once. */
    private void failRequestsAwaitingClient(String reason) {
        McpServerSession s = session;
        for (Object id : List.copyOf(awaitingClient)) {
            awaitingClient.remove(id);
            var error = new McpSchema.JSONRPCResponse.JSONRPCError(McpSchema.ErrorCodes.INTERNAL_ERROR, reason, null);
            s.handle(new McpSchema.JSONRPCResponse(McpSchema.JSONRPC_VERSION, id, null, error))
                    .subscribe();
        }
    }

    // ---- inbound ----

    private void readLoop() {
        try (in) {
            LineReader reader = new LineReader(in);
            JsonRpcMessages.Outline[] overLimit = new JsonRpcMessages.Outline[1];
            byte[] line;
            while ((line = reader.readLine(maxMessageBytes, rest -> overLimit[0] = JsonRpcMessages.outline(rest)))
                    != null) {
                if (line == LineReader.OVER_LIMIT) {
                    tooLong(overLimit[0], reader.lastLength());
                } else if (!LineReader.isBlank(line)) {
                    dispatch(line);
                }
            }
        } catch (IOException e) {
            log.warn("MCP stdio input failed: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            failRequestsAwaitingClient("the MCP client closed its end of the stdio connection");
            modernListens.values().forEach(f -> f.cancel(true));
            // Let running requests answer before the writer stops: wait until every permit is back.
            try {
                if (inFlight.tryAcquire(maxInFlight, 10, TimeUnit.SECONDS)) {
                    inFlight.release(maxInFlight);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            session.close();
            endOutput();
        }
    }

    private void dispatch(byte[] line) throws InterruptedException {
        Map<?, ?> fields;
        try {
            fields = json.readValue(line, Map.class);
        } catch (Exception e) {
            sendRaw(errorLine(McpSchema.ErrorCodes.PARSE_ERROR, null, "Parse error: not valid JSON: " + firstLine(e)));
            return;
        }
        if (fields != null && CancellableRequests.CANCELLED.equals(fields.get("method"))) {
            running.cancel(CONNECTION, CancellableRequests.requestId(fields.get("params")));
            return;
        }
        if (fields != null && HubServer.ROOTS_LIST_CHANGED.equals(fields.get("method")) && !fields.containsKey("id")) {
            return;
        }
        if (modern != null && fields != null && dispatchModern(fields)) {
            return;
        }
        McpSchema.JSONRPCMessage message;
        try {
            message = JsonRpcMessages.fromMap(fields);
        } catch (IllegalArgumentException e) {
            sendRaw(errorLine(
                    McpSchema.ErrorCodes.INVALID_REQUEST,
                    fields == null ? null : fields.get("id"),
                    "Invalid JSON-RPC message: " + e.getMessage()));
            return;
        }
        if (message instanceof McpSchema.JSONRPCRequest request) {
            String invalidParams = LegacyParams.problem(request.method(), fields.get("params"));
            if (invalidParams != null) {
                sendRaw(errorLine(McpSchema.ErrorCodes.INVALID_PARAMS, request.id(), invalidParams));
                return;
            }
            if (McpSchema.METHOD_INITIALIZE.equals(request.method())) {
                initializeSeen = true;
            } else if (!initialized && McpSchema.METHOD_PING.equals(request.method())) {
                sendRaw(pong(request.id()));
                return;
            } else if (!initializeSeen) {
                sendRaw(errorLine(
                        McpSchema.ErrorCodes.INVALID_REQUEST, request.id(), notInitialized(request.method())));
                return;
            }
            dispatchRequest(request);
        } else {
            if (message instanceof McpSchema.JSONRPCNotification n
                    && McpSchema.METHOD_NOTIFICATION_INITIALIZED.equals(n.method())) {
                initialized = true;
            }
            if (message instanceof McpSchema.JSONRPCResponse response && response.id() != null) {
                awaitingClient.remove(response.id());
            }
            session.handle(message).subscribe(null, e -> log.warn("MCP message failed: {}", e.toString()));
        }
    }

    /** A request gets an error with its id; anything else over the limit has nobody to tell but the log. */
    private void tooLong(JsonRpcMessages.Outline outline, long length) {
        String problem = "the message is " + length + " bytes, over the limit of " + maxMessageBytes + " bytes";
        if (outline.id() != null && outline.hasMethod()) {
            sendRaw(errorLine(McpSchema.ErrorCodes.INVALID_REQUEST, outline.id(), "Invalid request: " + problem));
        } else {
            log.warn("MCP stdio: a message from the client was dropped: {}", problem);
        }
    }

    /** Serves a 2026-07-28 line; false when the line is the legacy session's. */
    @SuppressWarnings("unchecked")
    private boolean dispatchModern(Map<?, ?> fields) throws InterruptedException {
        Map<String, Object> message = (Map<String, Object>) fields;
        if (!ModernEndpoint.isModern(message)) {
            return false;
        }
        Object id = message.get("id");
        // A listen request lasts as long as the client wants it: it must not hold a slot of the reader's limit.
        boolean listen = "subscriptions/listen".equals(message.get("method"));
        if (!listen) {
            inFlight.acquire();
        }
        CompletableFuture<ModernEndpoint.Reply> reply;
        try {
            reply = modern.handle(message, null, this::sendModern);
        } catch (RuntimeException e) {
            reply = CompletableFuture.failedFuture(e);
        }
        CompletableFuture<ModernEndpoint.Reply> handled = running.track(CONNECTION, id, reply);
        if (listen && id != null) {
            modernListens.put(id, handled);
        }
        handled.whenComplete((r, e) -> {
            if (id != null) {
                modernListens.remove(id, handled);
            }
            if (!listen) {
                inFlight.release();
            }
            if (r != null && r.message() != null) {
                sendModern(r.message());
            } else if (e != null && !(e instanceof CancellationException) && id != null) {
                // A cancelled request is not answered; any other failure is, with its id.
                log.warn("MCP request {} failed: {}", message.get("method"), e.toString());
                sendRaw(errorLine(McpSchema.ErrorCodes.INTERNAL_ERROR, id, "Internal error: " + e.getMessage()));
            }
        });
        return true;
    }

    private void sendModern(Map<String, Object> message) {
        try {
            enqueue(json.writeValueAsBytes(message));
        } catch (IOException e) {
            log.debug("MCP message not delivered: {}", e.getMessage());
        }
    }

    /** Runs one legacy request through the SDK session; a cancellation disposes the subscription (the handler's). */
    private void dispatchRequest(McpSchema.JSONRPCRequest request) throws InterruptedException {
        inFlight.acquire();
        Disposable.Swap handling = Disposables.swap();
        Runnable unregister = running.register(CONNECTION, request.id(), handling::dispose);
        handling.update(session.handle(request)
                .doOnError(e -> log.warn("MCP request {} failed: {}", request.method(), e.toString()))
                .doFinally(signal -> {
                    unregister.run();
                    inFlight.release();
                })
                .subscribe(null, e -> {}));
    }

    private byte[] errorLine(int code, Object id, String text) {
        try {
            return json.writeValueAsBytes(
                    JsonRpcErrorResponses.of(id instanceof String || id instanceof Number ? id : null, code, text));
        } catch (IOException io) {
            throw new IllegalStateException("cannot serialize a JSON-RPC error", io);
        }
    }

    /** Why a request before the handshake is refused, and what the client should send instead. */
    private String notInitialized(String method) {
        return "Invalid request: '" + method + "' before the session is initialized; send an 'initialize' request"
                + " (then 'notifications/initialized') first"
                + (modern == null
                        ? ""
                        : ", or use protocol " + McpVersions.MODERN_LATEST + " without a session: put"
                                + " 'io.modelcontextprotocol/protocolVersion' in every request's params._meta"
                                + " (server/discover lists the supported versions)");
    }

    private byte[] pong(Object id) {
        try {
            return json.writeValueAsBytes(new McpSchema.JSONRPCResponse(McpSchema.JSONRPC_VERSION, id, Map.of(), null));
        } catch (IOException io) {
            throw new IllegalStateException("cannot serialize a ping response", io);
        }
    }

    private static String firstLine(Exception e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    private void sendRaw(byte[] line) {
        try {
            enqueue(line);
        } catch (IOException e) {
            log.warn("could not answer an invalid MCP message: {}", e.getMessage());
        }
    }

    /** The session's view: serialize on the sender's thread, then queue for the writer. */
    private final class SessionTransport implements McpServerTransport {

        @Override
        public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
            return Mono.fromCallable(() -> {
                        byte[] bytes = json.writeValueAsBytes(message);
                        boolean request = message instanceof McpSchema.JSONRPCRequest;
                        Object id = request ? ((McpSchema.JSONRPCRequest) message).id() : null;
                        if (request) {
                            awaitingClient.add(id);
                        }
                        try {
                            enqueue(bytes);
                        } catch (IOException e) {
                            if (request) {
                                awaitingClient.remove(id);
                            }
                            throw e;
                        }
                        return null;
                    })
                    .then();
        }

        @Override
        public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
            return json.convertValue(data, typeRef);
        }

        @Override
        public List<String> protocolVersions() {
            return McpVersions.LEGACY;
        }

        @Override
        public Mono<Void> closeGracefully() {
            return Mono.fromRunnable(LosslessStdioServerTransportProvider.this::endOutput);
        }

        @Override
        public void close() {
            endOutput();
        }
    }
}
