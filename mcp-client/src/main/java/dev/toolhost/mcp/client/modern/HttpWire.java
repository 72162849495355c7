package dev.toolhost.mcp.client.modern;

import dev.toolhost.config.Redact;
import dev.toolhost.mcp.core.McpVersions;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import tools.jackson.core.JacksonException;

/**
 * 2026-07-28 streamable HTTP (spec {@code basic/transports/streamable-http}): one POST per message, the
 * answer as JSON or as a per-request SSE stream; {@code MCP-Protocol-Version}, {@code Mcp-Method} and
 * {@code Mcp-Name} on every request. A request whose stream breaks before its answer is re-issued once,
 * under a new id (there is no resumption in this revision).
 */
final class HttpWire implements Wire {
    private static final int MAX_ERROR_BODY = 1 << 20;

    private final HttpClient http;
    private final URI endpoint;
    private final HttpHooks hooks;
    private final Executor executor;
    private final AtomicLong ids = new AtomicLong();
    private final Set<InputStream> open = ConcurrentHashMap.newKeySet();
    private volatile String version = McpVersions.MODERN_LATEST;

    /** @param hooks add the configured headers (a bearer token) and decide about retries after a 401/403 */
    HttpWire(URI endpoint, HttpHooks hooks, Duration connectTimeout, Executor executor) {
        this.endpoint = endpoint;
        this.hooks = hooks;
        this.executor = executor;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .executor(executor)
                .build();
    }

    @Override
    public void protocolVersion(String version) {
        this.version = Objects.requireNonNull(version);
    }

    @Override
    public boolean isHttp() {
        return true;
    }

    @Override
    public CompletableFuture<Map<String, Object>> request(
            String method,
            Map<String, Object> params,
            Map<String, String> headers,
            Consumer<Map<String, Object>> notifications) {
        CompletableFuture<Map<String, Object>> result = new CompletableFuture<>();
        attempt(method, params, headers, notifications, result, true, 1);
        return result;
    }

    private void attempt(
            String method,
            Map<String, Object> params,
            Map<String, String> headers,
            Consumer<Map<String, Object>> notifications,
            CompletableFuture<Map<String, Object>> result,
            boolean mayRetry,
            int authAttempt) {
        if (result.isDone()) {
            return;
        }
        String id = "toolhost-" + ids.incrementAndGet();
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("jsonrpc", "2.0");
        message.put("id", id);
        message.put("method", method);
        message.put("params", params);
        byte[] json = Json.write(message);
        HttpRequest.Builder b = HttpRequest.newBuilder(endpoint).POST(HttpRequest.BodyPublishers.ofByteArray(json));
        b.setHeader("Content-Type", "application/json");
        b.setHeader("Accept", "application/json, text/event-stream");
        b.setHeader("MCP-Protocol-Version", version);
        b.setHeader("Mcp-Method", method);
        String name = nameOf(method, params);
        if (name != null) {
            b.setHeader("Mcp-Name", HeaderValues.encode(name));
        }
        headers.forEach(b::setHeader);
        AtomicReference<HttpRequest> sentRequest = new AtomicReference<>();
        CompletableFuture<HttpResponse<InputStream>> sent = hooks.customize(
                        b, "POST", endpoint, new String(json, StandardCharsets.UTF_8))
                .thenCompose(request -> {
                    sentRequest.set(request);
                    return http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
                });
        result.whenComplete((r, e) -> {
            if (result.isCancelled()) {
                sent.cancel(true);
                sent.thenAccept(response -> closeQuietly(response.body()));
            }
        });
        sent.whenCompleteAsync(
                (response, error) -> {
                    try {
                        if (error != null) {
                            throw new WireBrokenException(
                                    "cannot reach " + Redact.url(endpoint.toString()) + ": "
                                            + NetworkFailures.describe(cause(error)),
                                    cause(error));
                        }
                        boolean retry;
                        try {
                            retry = hooks.retryAfter(sentRequest.get(), response, authAttempt)
                                    .join();
                        } catch (CompletionException refused) {
                            closeQuietly(response.body());
                            result.completeExceptionally(refused.getCause() == null ? refused : refused.getCause());
                            return;
                        }
                        if (retry) {
                            closeQuietly(response.body());
                            attempt(method, params, headers, notifications, result, mayRetry, authAttempt + 1);
                            return;
                        }
                        result.complete(read(id, response, notifications));
                    } catch (WireBrokenException e) {
                        if (mayRetry && !result.isDone() && !(cause(e.getCause()) instanceof ConnectException)) {
                            attempt(method, params, headers, notifications, result, false, authAttempt);
                        } else {
                            result.completeExceptionally(e);
                        }
                    } catch (RuntimeException e) {
                        result.completeExceptionally(e);
                    }
                },
                executor);
    }

    private Map<String, Object> read(
            String id, HttpResponse<InputStream> response, Consumer<Map<String, Object>> notifications) {
        InputStream body = response.body();
        open.add(body);
        try (body) {
            int status = response.statusCode();
            String type =
                    response.headers().firstValue("Content-Type").orElse("").toLowerCase();
            if (status < 200 || status >= 300) {
                throw error(status, body.readNBytes(MAX_ERROR_BODY));
            }
            if (status == 202) {
                throw new ServerErrorException(
                        0, "the server accepted the request but sent no answer (HTTP 202)", null, status);
            }
            if (type.startsWith("text/event-stream")) {
                Map<String, Object>[] answer = readStream(id, body, notifications);
                if (answer[0] == null) {
                    throw new WireBrokenException("the response stream ended before the answer", null);
                }
                return answerOf(answer[0], status);
            }
            return answerOf(Json.parseObject(body.readAllBytes()), status);
        } catch (IOException e) {
            throw new WireBrokenException("the response stream broke: " + e.getMessage(), e);
        } catch (JacksonException e) {
            throw new ServerErrorException(
                    0, "the server's answer is not valid JSON: " + e.getOriginalMessage(), null, response.statusCode());
        } finally {
            open.remove(body);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object>[] readStream(
            String id, InputStream body, Consumer<Map<String, Object>> notifications) throws IOException {
        Map<String, Object>[] answer = new Map[1];
        SseReader sse = new SseReader();
        try {
            sse.read(body, event -> {
                if (answer[0] != null) {
                    return;
                }
                Map<String, Object> m = Json.parseObject(event.data());
                if (id.equals(m.get("id")) && (m.containsKey("result") || m.containsKey("error"))) {
                    answer[0] = m;
                    throw new StreamDone();
                }
                if (m.get("method") instanceof String && !m.containsKey("id")) {
                    notifications.accept(m);
                }
            });
        } catch (StreamDone done) {
            // the answer came: the rest of the stream is not ours to read
        }
        return answer;
    }

    /** Stops reading a stream once its answer is in. */
    private static final class StreamDone extends RuntimeException {
        StreamDone() {
            super(null, null, false, false);
        }
    }

    private static Map<String, Object> answerOf(Map<String, Object> message, int status) {
        Map<String, Object> error = Json.object(message.get("error"));
        if (error != null) {
            throw rpcError(error, -1);
        }
        Map<String, Object> result = Json.object(message.get("result"));
        if (result == null) {
            throw new ServerErrorException(
                    0, "the server's answer has neither a result object nor an error", null, status);
        }
        return result;
    }

    static ServerErrorException rpcError(Map<String, Object> error, int status) {
        int code = error.get("code") instanceof Number n ? n.intValue() : 0;
        String message = error.get("message") instanceof String s ? s : "error " + code;
        return new ServerErrorException(code == 0 ? -32603 : code, message, error.get("data"), status);
    }

    private static ServerErrorException error(int status, byte[] body) {
        try {
            Map<String, Object> message = Json.parseObject(body);
            Map<String, Object> error = Json.object(message.get("error"));
            if (error != null && error.get("code") instanceof Number) {
                return rpcError(error, status);
            }
        } catch (JacksonException e) {
            // not JSON: only the status says what happened
        }
        String text = new String(body, StandardCharsets.UTF_8).strip();
        return new ServerErrorException(
                0, "HTTP " + status + (text.isEmpty() ? "" : ": " + abbreviate(text)), null, status);
    }

    private static String abbreviate(String s) {
        String line = s.lines().findFirst().orElse("");
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }

    /** {@code Mcp-Name}: the tool or prompt name, the resource URI, the task id. */
    static String nameOf(String method, Map<String, Object> params) {
        Object v = switch (method) {
            case "tools/call", "prompts/get" -> params.get("name");
            case "resources/read" -> params.get("uri");
            default -> method.startsWith("tasks/") ? params.get("taskId") : null;
        };
        return v instanceof String s ? s : null;
    }

    private static Throwable cause(Throwable e) {
        Throwable t = e;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // closing is all we wanted
        }
    }

    @Override
    public void close() {
        open.forEach(HttpWire::closeQuietly);
    }
}
