package dev.toolhost.host.model;

import dev.toolhost.config.ModelProviderConfig;
import dev.toolhost.config.Redact;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Opens streaming POST requests to one provider: credentials and headers from config, retries with
 * backoff on 429, 5xx and connection failures (honouring Retry-After), and user-facing errors for the rest.
 */
public final class ModelHttp {
    static final long DEFAULT_IDLE_TIMEOUT_MS = 300_000;
    private static final long MAX_RETRY_DELAY_MS = 60_000;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http;
    private final ModelProviderConfig provider;
    private final Map<String, String> env;

    public ModelHttp(HttpClient http, ModelProviderConfig provider, Map<String, String> env) {
        this.http = http;
        this.provider = provider;
        this.env = Map.copyOf(env);
    }

    public ModelProviderConfig provider() {
        return provider;
    }

    long idleTimeoutMs() {
        return provider.streamIdleTimeoutMs() > 0 ? provider.streamIdleTimeoutMs() : DEFAULT_IDLE_TIMEOUT_MS;
    }

    /** How long to wait for the status line: the idle timeout, but never so short that a cold start trips it. */
    private long headTimeoutMs() {
        return Math.max(idleTimeoutMs(), 10_000);
    }

    /** The API key from the provider's {@code env_key}, or null when the provider needs none. */
    public static String apiKey(ModelProviderConfig provider, Map<String, String> env) throws ModelException {
        if (provider.envKey() == null || provider.envKey().isBlank()) {
            return null;
        }
        String key = env.get(provider.envKey());
        if (key == null || key.isBlank()) {
            throw new ModelException("model provider '" + provider.id() + "' needs an API key: set the environment"
                    + " variable " + provider.envKey() + " (or pick another provider with -c model_provider=ID)");
        }
        return key;
    }

    /** Reads one model response off an event stream, in a wire format. */
    interface StreamReader {
        ModelResponse read(SseStream stream, ModelStreamListener listener) throws ModelException, InterruptedException;
    }

    /**
     * POSTs {@code body} (as JSON) to {@code path} and reads the streamed answer with {@code reader},
     * sending it again when the stream broke off ({@link StreamRetry}).
     */
    ModelResponse stream(String path, String model, Object body, ModelStreamListener listener, StreamReader reader)
            throws ModelException, InterruptedException {
        byte[] bytes = json().writeValueAsBytes(body);
        return StreamRetry.run(provider.requestMaxRetries(), listener, attempt -> {
            try (SseStream stream = post(path, model, bytes)) {
                return reader.read(stream, attempt);
            }
        });
    }

    /** POSTs {@code body} to {@code base_url + path} and returns the event stream of a 2xx answer. */
    public SseStream post(String path, String model, byte[] body) throws ModelException, InterruptedException {
        String apiKey = apiKey(provider, env);
        URI uri = uri(path);
        int maxRetries = Math.max(0, provider.requestMaxRetries());
        for (int attempt = 0; ; attempt++) {
            boolean last = attempt >= maxRetries;
            SseStream stream = new SseStream(provider.id(), idleTimeoutMs());
            CompletableFuture<HttpResponse.ResponseInfo> head = new CompletableFuture<>();
            CompletableFuture<HttpResponse<String>> response = http.sendAsync(request(uri, apiKey, body), info -> {
                head.complete(info);
                return info.statusCode() / 100 == 2
                        ? stream.bodySubscriber()
                        : HttpResponse.BodySubscribers.ofString(StandardCharsets.UTF_8);
            });
            HttpResponse.ResponseInfo info;
            try {
                CompletableFuture.anyOf(head, response).get(headTimeoutMs(), TimeUnit.MILLISECONDS);
                info = head.getNow(null);
                if (info == null) {
                    response.join();
                    throw new IllegalStateException("response without status");
                }
            } catch (InterruptedException e) {
                response.cancel(true);
                stream.close();
                throw e;
            } catch (TimeoutException e) {
                response.cancel(true);
                stream.close();
                if (last) {
                    throw new ModelException("model provider '" + provider.id() + "' did not answer within "
                            + headTimeoutMs() + " ms at " + Redact.url(uri.toString()));
                }
                pause(backoffMs(attempt));
                continue;
            } catch (ExecutionException | CompletionException e) {
                if (last) {
                    String local = "127.0.0.1".equals(uri.getHost()) || "localhost".equals(uri.getHost())
                            ? " (is the local model server running?)"
                            : "";
                    throw new ModelException("cannot reach model provider '" + provider.id() + "' at "
                            + Redact.url(uri.toString()) + ": "
                            + describe(e.getCause() != null ? e.getCause() : e) + local);
                }
                pause(backoffMs(attempt));
                continue;
            }
            int status = info.statusCode();
            if (status / 100 == 2) {
                return stream;
            }
            String errorBody = errorBody(response);
            if ((status == 429 || status / 100 == 5) && !last) {
                pause(retryAfterMs(info).orElse(backoffMs(attempt)));
                continue;
            }
            throw failure(status, errorBody, model, uri, attempt);
        }
    }

    private URI uri(String path) throws ModelException {
        String base = provider.baseUrl();
        if (base == null || base.isBlank()) {
            throw new ModelException("model provider '" + provider.id() + "' has no base_url: set" + " model_providers."
                    + provider.id() + ".base_url in config.toml");
        }
        // The endpoint's path goes before a query the base_url may carry; query_params follow that query.
        int q = base.indexOf('?');
        String beforeQuery = q < 0 ? base : base.substring(0, q);
        StringJoiner query = new StringJoiner("&", "?", "").setEmptyValue("");
        if (q >= 0 && q + 1 < base.length()) {
            query.add(base.substring(q + 1));
        }
        new TreeMap<>(provider.queryParams())
                .forEach((k, v) -> query.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        try {
            return URI.create(beforeQuery.replaceAll("/+$", "") + path + query);
        } catch (IllegalArgumentException e) {
            throw new ModelException(
                    "model_providers." + provider.id() + ".base_url is not a valid URL: " + Redact.url(base));
        }
    }

    private HttpRequest request(URI uri, String apiKey, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/json")
                .header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (apiKey != null) {
            b.header("Authorization", "Bearer " + apiKey);
        }
        provider.httpHeaders().forEach(b::header);
        provider.envHttpHeaders().forEach((header, var) -> {
            String value = env.get(var);
            if (value != null && !value.isBlank()) {
                b.header(header, value);
            }
        });
        return b.build();
    }

    private String errorBody(CompletableFuture<HttpResponse<String>> response) throws InterruptedException {
        try {
            String body = response.get(idleTimeoutMs(), TimeUnit.MILLISECONDS).body();
            return body == null ? "" : body;
        } catch (ExecutionException | TimeoutException e) {
            response.cancel(true);
            return "";
        }
    }

    private ModelException failure(int status, String body, String model, URI uri, int retries) {
        String detail = errorMessage(body);
        String code = errorCode(body);
        String where = "model provider '" + provider.id() + "'";
        if (status == 401 || status == 403) {
            String key = provider.envKey() == null
                    ? "no env_key is configured for it; set model_providers." + provider.id()
                            + ".env_key to the variable holding the key"
                    : "check the API key in the environment variable " + provider.envKey();
            return new ModelException(
                    where + " rejected the credentials (HTTP " + status + "): " + key + suffix(detail));
        }
        if (status == 404 || "model_not_found".equals(code)) {
            return new ModelException(
                    "model '" + model + "' was not found at " + where + " (" + Redact.url(uri.toString()) + ", HTTP "
                            + status + "): check the model name (--model / model in config.toml) and base_url"
                            + suffix(detail));
        }
        if (status == 429 || status / 100 == 5) {
            return new ModelException(where + " answered HTTP " + status + " after " + retries + " retries"
                    + " (request_max_retries)" + suffix(detail));
        }
        return new ModelException(where + " refused the request (HTTP " + status + ")" + suffix(detail));
    }

    private static String suffix(String detail) {
        return detail.isBlank() ? "" : ": " + detail;
    }

    /** The error message of an OpenAI-style {@code {"error": {...}}} body, else the body itself, shortened. */
    static String errorMessage(String body) {
        try {
            JsonNode node = JSON.readTree(body);
            JsonNode error = node.path("error");
            if (error.isString()) {
                return error.asString();
            }
            if (error.path("message").isString()) {
                return error.path("message").asString();
            }
            if (node.path("message").isString()) {
                return node.path("message").asString();
            }
        } catch (RuntimeException notJson) {
            // fall through: show the raw body
        }
        String flat = body.strip().replaceAll("\\s+", " ");
        return flat.length() > 300 ? flat.substring(0, 300) + "..." : flat;
    }

    private static String errorCode(String body) {
        try {
            JsonNode error = JSON.readTree(body).path("error");
            return error.path("code").isString() ? error.path("code").asString() : null;
        } catch (RuntimeException notJson) {
            return null;
        }
    }

    private static Optional<Long> retryAfterMs(HttpResponse.ResponseInfo info) {
        var headers = info.headers();
        var ms = headers.firstValue("retry-after-ms");
        try {
            if (ms.isPresent()) {
                return Optional.of(Math.min(MAX_RETRY_DELAY_MS, (long) Double.parseDouble(ms.get())));
            }
            var seconds = headers.firstValue("retry-after");
            if (seconds.isPresent()) {
                return Optional.of(Math.min(MAX_RETRY_DELAY_MS, (long)
                        (Double.parseDouble(seconds.get().trim()) * 1000)));
            }
        } catch (NumberFormatException httpDate) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static long backoffMs(int attempt) {
        long base = Math.min(10_000, 250L << Math.min(attempt, 6));
        return base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
    }

    private static void pause(long ms) throws InterruptedException {
        if (ms > 0) {
            Thread.sleep(ms);
        }
    }

    private static String describe(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c.getMessage() != null && !c.getMessage().isBlank()) {
                return c.getMessage();
            }
        }
        return t instanceof ConnectException
                ? "connection refused"
                : t.getClass().getSimpleName();
    }

    static JsonMapper json() {
        return JSON;
    }

    static Duration connectTimeout() {
        return Duration.ofSeconds(10);
    }
}
