package dev.toolhost.mcp.client;

import dev.toolhost.config.Redact;
import dev.toolhost.mcp.client.modern.HttpHooks;
import dev.toolhost.mcp.client.modern.SseReader;
import dev.toolhost.mcp.core.McpVersions;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpTransportException;
import io.modelcontextprotocol.spec.McpTransportSessionNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Legacy streamable HTTP (2025-11-25 {@code basic/transports}) as an SDK client transport, for what the SDK's
 * own transport (2.1.0) gets wrong: a request's SSE stream that the server closes before the answer is
 * resumed with a GET carrying {@code Last-Event-ID}, after the stream's {@code retry:} delay (java-sdk #698;
 * the SDK's transport never resumed it and the call hung until {@code tool_timeout_sec}), and every SSE field
 * is accepted ({@code retry:}, {@code id:}, comments, priming events with empty data; java-sdk #1047).
 * It keeps the session ({@code Mcp-Session-Id}), sends {@code MCP-Protocol-Version} after {@code initialize},
 * opens the standalone GET stream once initialized (resumed the same way), and ends the session with a DELETE.
 *
 * <p>A request the server sends on one of our requests' streams relates to that request (2025-11-25
 * {@code basic/transports}: requests and notifications on it "SHOULD relate to the originating client request"):
 * {@link #relatedRequest} tells which, so that the hub can hand it to the call that caused it.
 *
 * <p>Failed POSTs fail with a message containing {@code status code: NNN} (what {@link HttpTransports#status}
 * reads), caused by the JSON-RPC error the body carries in answer to the request, if any ({@link McpError}); a 404 to a request in a session, or a 400 whose JSON-RPC error says the session is not valid
 * ({@link HttpTransports#sessionRefusal}), is {@link McpTransportSessionNotFoundException}: the hub starts a new
 * session ({@code ServerConnection}).
 */
final class ResumingStreamableHttpTransport implements McpClientTransport {
    private static final Logger log = LoggerFactory.getLogger(ResumingStreamableHttpTransport.class);
    /** Resumptions in a row that bring nothing before a stream is given up. */
    private static final int MAX_RESUMPTIONS = 5;

    private static final long DEFAULT_RETRY_MS = 1_000;
    private static final int MAX_ERROR_BODY = 4096;

    private final URI endpoint;
    /** The endpoint as logged: without its password and query values. */
    private final String shownEndpoint;

    private final HttpHooks hooks;
    private final McpJsonMapper mapper;
    private final HttpClient http;
    private final ExecutorService readers;
    private final Set<InputStream> open = ConcurrentHashMap.newKeySet();
    /**
     * The id of each request the server sent on one of our requests' streams -> the id of ours; until it is answered,
     * or that stream ends for good (our request answered, or given up).
     */
    private final Map<Object, Object> related = new ConcurrentHashMap<>();

    private volatile Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler;
    private volatile String sessionId;
    private volatile String protocolVersion;
    private volatile boolean closed;
    private volatile boolean standaloneOpened;

    /** @param hooks add the configured headers (a bearer token) and decide about retries after a 401/403 */
    ResumingStreamableHttpTransport(URI endpoint, HttpHooks hooks, Duration connectTimeout, McpJsonMapper mapper) {
        this.endpoint = endpoint;
        this.shownEndpoint = Redact.url(endpoint.toString());
        this.hooks = hooks;
        this.mapper = mapper;
        this.readers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "mcp-http-reader");
            t.setDaemon(true);
            return t;
        });
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .executor(readers)
                .build();
    }

    @Override
    public List<String> protocolVersions() {
        return McpVersions.LEGACY;
    }

    @Override
    public Mono<Void> connect(Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler) {
        this.handler = handler;
        return Mono.empty();
    }

    @Override
    public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
        if (message instanceof McpSchema.JSONRPCResponse answer && answer.id() != null) {
            related.remove(answer.id());
        }
        return Mono.defer(() -> Mono.fromFuture(post(message, 1)));
    }

    /**
     * The JSON-RPC id of our request on whose SSE stream (its POST response, or that stream resumed with
     * {@code Last-Event-ID}) the server sent its request {@code serverRequestId}, while that request is not yet
     * answered and our request's stream lasts; null for a request that came any other way (the standalone GET
     * stream, a JSON body) or is unknown.
     */
    Object relatedRequest(Object serverRequestId) {
        return serverRequestId == null ? null : related.get(serverRequestId);
    }

    private CompletableFuture<Void> post(McpSchema.JSONRPCMessage message, int authAttempt) {
        if (closed) {
            return CompletableFuture.failedFuture(new McpTransportException("the transport is closed"));
        }
        String body;
        try {
            body = mapper.writeValueAsString(message);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(new McpTransportException("cannot write the message", e));
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(endpoint)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream");
        AtomicReference<HttpRequest> sent = new AtomicReference<>();
        return customized(b, "POST", body)
                .thenCompose(request -> {
                    sent.set(request);
                    return http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
                })
                .thenComposeAsync(
                        response -> {
                            if (hooks.retryAfter(sent.get(), response, authAttempt)
                                    .join()) {
                                close(response.body());
                                return post(message, authAttempt + 1);
                            }
                            answered(message, sent.get(), response);
                            return CompletableFuture.<Void>completedFuture(null);
                        },
                        readers);
    }

    /** The POST's answer: nothing (202), a JSON message, or an SSE stream read (and resumed) in the background. */
    private void answered(McpSchema.JSONRPCMessage message, HttpRequest request, HttpResponse<InputStream> response) {
        int status = response.statusCode();
        response.headers().firstValue("Mcp-Session-Id").ifPresent(id -> sessionId = id);
        InputStream body = response.body();
        boolean inSession = request.headers().firstValue("Mcp-Session-Id").isPresent() && !isInitialize(message);
        if (status == 404 && inSession) {
            close(body);
            throw new McpTransportSessionNotFoundException("the server no longer knows this session (HTTP 404)");
        }
        if (status < 200 || status >= 300) {
            String text = read(body);
            String refusal = inSession ? HttpTransports.sessionRefusal(status, text) : null;
            if (refusal != null) {
                throw new McpTransportSessionNotFoundException(
                        "the server no longer knows this session (HTTP 400: " + refusal + ")");
            }
            throw new McpTransportException(
                    "HTTP POST failed with status code: " + status + (text.isEmpty() ? "" : " - " + text),
                    rpcError(message, text));
        }
        String type = response.headers().firstValue("Content-Type").orElse("").toLowerCase();
        if (status == 202 || status == 204) {
            close(body);
            if (message instanceof McpSchema.JSONRPCNotification n && "notifications/initialized".equals(n.method())) {
                openStandaloneStream();
            }
            return;
        }
        if (type.startsWith("text/event-stream")) {
            Object id = message instanceof McpSchema.JSONRPCRequest r ? r.id() : null;
            readers.execute(() -> stream(body, id, new SseReader(), 0));
            return;
        }
        String text = read(body);
        if (!text.isBlank()) {
            deliver(text, null);
        }
    }

    /**
     * Reads a stream to its end; when it ends before the answer to {@code awaited} (or it is the standalone
     * stream), resumes it with a GET and {@code Last-Event-ID} after the {@code retry:} delay. The server's
     * requests on it relate to {@code awaited} (none on the standalone stream, where it is null).
     */
    private void stream(InputStream body, Object awaited, SseReader sse, int emptyResumptions) {
        boolean[] answered = {false};
        boolean[] progressed = {false};
        open.add(body);
        try {
            sse.read(body, event -> {
                progressed[0] = true;
                McpSchema.JSONRPCMessage m = deliver(event.data(), awaited);
                if (awaited != null && m instanceof McpSchema.JSONRPCResponse r && awaited.equals(r.id())) {
                    answered[0] = true;
                }
            });
        } catch (IOException e) {
            log.debug("SSE stream from {} broke: {}", shownEndpoint, e.toString());
        } finally {
            open.remove(body);
            close(body);
        }
        if (closed || answered[0] || (awaited == null && !standaloneOpened)) {
            ended(awaited);
            return;
        }
        int empty = progressed[0] ? 0 : emptyResumptions + 1;
        if (sse.lastEventId() == null && awaited != null) {
            log.debug("a stream from {} ended before its answer and cannot be resumed (no event id)", shownEndpoint);
            ended(awaited);
            return; // nothing to resume from: the request times out as before
        }
        if (empty > MAX_RESUMPTIONS) {
            ended(awaited);
            return;
        }
        long delay = sse.retryMillis() >= 0 ? sse.retryMillis() : DEFAULT_RETRY_MS;
        CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS, readers)
                .execute(() -> resume(awaited, sse, empty));
    }

    /** Our request's stream ended for good: the server's requests on it relate to nothing any more. */
    private void ended(Object awaited) {
        if (awaited != null) {
            related.values().removeIf(awaited::equals);
        }
    }

    private void resume(Object awaited, SseReader sse, int emptyResumptions) {
        if (closed) {
            ended(awaited);
            return;
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(endpoint).GET().header("Accept", "text/event-stream");
        if (sse.lastEventId() != null) {
            b.header("Last-Event-ID", sse.lastEventId());
        }
        customized(b, "GET", "")
                .thenCompose(request -> http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream()))
                .whenCompleteAsync(
                        (response, error) -> {
                            if (error != null) {
                                log.debug("resuming a stream from {} failed: {}", shownEndpoint, error.toString());
                                ended(awaited);
                                return;
                            }
                            String type = response.headers()
                                    .firstValue("Content-Type")
                                    .orElse("")
                                    .toLowerCase();
                            if (response.statusCode() != 200 || !type.startsWith("text/event-stream")) {
                                close(response.body());
                                ended(awaited);
                                return; // 405: the server offers no GET stream
                            }
                            stream(response.body(), awaited, sse, emptyResumptions);
                        },
                        readers);
    }

    private void openStandaloneStream() {
        if (standaloneOpened || closed) {
            return;
        }
        standaloneOpened = true;
        resume(null, new SseReader(), 0);
    }

    private CompletableFuture<HttpRequest> customized(HttpRequest.Builder b, String method, String body) {
        String session = sessionId;
        if (session != null) {
            b.header("Mcp-Session-Id", session);
        }
        String version = protocolVersion;
        if (version != null) {
            b.header("MCP-Protocol-Version", version);
        }
        return hooks.customize(b, method, endpoint, body);
    }

    /**
     * Hands one message (or each of a batch) to the SDK session, a request of the server's first noted as related
     * to {@code awaited} when that is not null; returns the (last) message.
     */
    private McpSchema.JSONRPCMessage deliver(String json, Object awaited) {
        McpSchema.JSONRPCMessage last = null;
        try {
            String trimmed = json.strip();
            List<String> parts = trimmed.startsWith("[")
                    ? mapper.readValue(trimmed, new TypeRef<List<Object>>() {}).stream()
                            .map(o -> {
                                try {
                                    return mapper.writeValueAsString(o);
                                } catch (IOException e) {
                                    throw new IllegalStateException(e);
                                }
                            })
                            .toList()
                    : List.of(trimmed);
            for (String part : parts) {
                McpSchema.JSONRPCMessage m = McpSchema.deserializeJsonRpcMessage(mapper, part);
                if (m instanceof McpSchema.JSONRPCResponse r
                        && r.result() instanceof Map<?, ?> result
                        && result.get("protocolVersion") instanceof String v
                        && result.containsKey("capabilities")) {
                    protocolVersion = v; // the initialize result
                }
                if (awaited != null && m instanceof McpSchema.JSONRPCRequest r && r.id() != null) {
                    related.put(r.id(), awaited);
                }
                handler.apply(Mono.just(m)).subscribe(v -> {}, e -> log.debug("handler failed", e));
                last = m;
            }
        } catch (IOException | RuntimeException e) {
            log.warn("unreadable message from {}: {}", shownEndpoint, e.toString());
        }
        return last;
    }

    /**
     * The JSON-RPC error a refusal's body carries as the answer to {@code sent} (its id), e.g. -32022 to
     * {@code initialize}, or null (an error with no id, such as an authorization failure's, answers no request).
     */
    private McpError rpcError(McpSchema.JSONRPCMessage sent, String body) {
        try {
            return sent instanceof McpSchema.JSONRPCRequest request
                            && McpSchema.deserializeJsonRpcMessage(mapper, body) instanceof McpSchema.JSONRPCResponse r
                            && r.error() != null
                            && request.id().equals(r.id())
                    ? new McpError(r.error())
                    : null;
        } catch (IOException | RuntimeException e) {
            return null; // not JSON-RPC: the status and the body are all there is
        }
    }

    private static boolean isInitialize(McpSchema.JSONRPCMessage m) {
        return m instanceof McpSchema.JSONRPCRequest r && McpSchema.METHOD_INITIALIZE.equals(r.method());
    }

    private static String read(InputStream body) {
        try (body) {
            return new String(body.readNBytes(MAX_ERROR_BODY), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "";
        }
    }

    private static void close(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // closing is all we wanted
        }
    }

    @Override
    public Mono<Void> closeGracefully() {
        return Mono.fromRunnable(this::close);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        related.clear();
        open.forEach(ResumingStreamableHttpTransport::close);
        String session = sessionId;
        if (session != null) {
            HttpRequest.Builder b = HttpRequest.newBuilder(endpoint).DELETE();
            customized(b, "DELETE", "")
                    .thenCompose(r -> http.sendAsync(r, HttpResponse.BodyHandlers.discarding()))
                    .orTimeout(2, TimeUnit.SECONDS)
                    .whenComplete((r, e) -> readers.shutdown());
        } else {
            readers.shutdown();
        }
    }

    @Override
    public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
        return mapper.convertValue(data, typeRef);
    }
}
