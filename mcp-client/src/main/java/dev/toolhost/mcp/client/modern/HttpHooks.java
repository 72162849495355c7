package dev.toolhost.mcp.client.modern;

import io.modelcontextprotocol.client.transport.HttpRequestSnapshot;
import io.modelcontextprotocol.client.transport.customizer.McpAsyncHttpClientRequestCustomizer;
import io.modelcontextprotocol.client.transport.customizer.McpHttpClientTransportAuthorizationErrorHandler;
import io.modelcontextprotocol.common.McpTransportContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import reactor.core.publisher.Mono;

/**
 * What an HTTP client transport asks of its configuration, in the SDK's terms so that the same hooks serve the
 * SDK's transports and ours: {@code customizer} adds headers to every request (the configured ones, a bearer
 * token), and {@code authorizationErrors} decides whether a 401/403 answer is worth sending the request again
 * (after a token refresh or a new authorization), at most {@code maxRetries()} times.
 */
public record HttpHooks(
        McpAsyncHttpClientRequestCustomizer customizer,
        McpHttpClientTransportAuthorizationErrorHandler authorizationErrors) {

    /** The fixed headers of the configuration ({@code http_headers}, {@code bearer_token_env_var}); no retries. */
    public static HttpHooks headers(Map<String, String> headers) {
        Map<String, String> copy = Map.copyOf(headers);
        return new HttpHooks(
                McpAsyncHttpClientRequestCustomizer.fromSync(
                        (b, method, uri, body, context) -> copy.forEach(b::setHeader)),
                McpHttpClientTransportAuthorizationErrorHandler.NOOP);
    }

    /** The request with every header the hooks add. */
    public CompletableFuture<HttpRequest> customize(HttpRequest.Builder b, String method, URI uri, String body) {
        return Mono.from(customizer.customize(b, method, uri, body, McpTransportContext.EMPTY))
                .defaultIfEmpty(b)
                .map(HttpRequest.Builder::build)
                .toFuture();
    }

    /**
     * Whether a 401/403 answer to {@code request} should be retried ({@code attempt} counts from 1). Fails with
     * the handler's error when it has one (a sign-in that is needed and cannot happen here).
     */
    public CompletableFuture<Boolean> retryAfter(HttpRequest request, HttpResponse<?> response, int attempt) {
        int status = response.statusCode();
        if ((status != 401 && status != 403) || attempt > authorizationErrors.maxRetries()) {
            return CompletableFuture.completedFuture(false);
        }
        HttpRequestSnapshot snapshot = new HttpRequestSnapshot(request.uri(), request.method(), request.headers());
        HttpResponse.ResponseInfo info = new HttpResponse.ResponseInfo() {
            @Override
            public int statusCode() {
                return status;
            }

            @Override
            public HttpHeaders headers() {
                return response.headers();
            }

            @Override
            public HttpClient.Version version() {
                return response.version();
            }
        };
        // A handler's error (e.g. "requires login: run `toolhost mcp login NAME`") is the answer: it fails the request.
        return Mono.from(authorizationErrors.handle(snapshot, info, McpTransportContext.EMPTY))
                .defaultIfEmpty(false)
                .toFuture();
    }
}
