package dev.toolhost.mcp.client;

import dev.toolhost.config.McpServerConfig;
import dev.toolhost.mcp.client.oauth.McpAuthorization;
import dev.toolhost.mcp.client.oauth.ServerAuthorization;
import io.modelcontextprotocol.client.transport.HttpClientSseClientTransport;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpClientTransport;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SDK transports for a {@code url} server: streamable HTTP, and the legacy HTTP+SSE transport the
 * spec's backwards-compatibility section says to try when the streamable POST is answered with a 4xx.
 */
final class HttpTransports {
    private static final Pattern STATUS = Pattern.compile("Status code:? ?(\\d{3})");

    private HttpTransports() {
    }

    /** Headers for every request: {@code http_headers}, {@code env_http_headers}, then the bearer token. */
    static Map<String, String> headers(McpServerConfig config, Map<String, String> env) {
        Map<String, String> headers = new LinkedHashMap<>(config.httpHeaders());
        config.envHttpHeaders().forEach((header, var) -> {
            String value = env.get(var);
            if (value != null && !value.isEmpty()) {
                headers.put(header, value);
            }
        });
        if (config.bearerTokenEnvVar() != null) {
            String token = env.get(config.bearerTokenEnvVar());
            if (token == null || token.isEmpty()) {
                throw new IllegalStateException("bearer_token_env_var names " + config.bearerTokenEnvVar()
                        + ", which is not set in the environment");
            }
            headers.put("Authorization", "Bearer " + token);
        }
        return headers;
    }

    static McpClientTransport streamable(McpServerConfig config, Map<String, String> env, Duration connectTimeout) {
        URI uri = URI.create(config.url());
        Map<String, String> headers = headers(config, env);
        HttpClientStreamableHttpTransport.Builder b = HttpClientStreamableHttpTransport.builder(base(uri))
                .endpoint(endpoint(uri))
                .connectTimeout(connectTimeout)
                .supportedProtocolVersions(InMemoryTransport.PROTOCOL_VERSIONS);
        // A configured bearer token (or Authorization header) is the user's choice: no OAuth on top of it.
        if (headers.keySet().stream().anyMatch("Authorization"::equalsIgnoreCase)) {
            return b.httpRequestCustomizer((rb, method, target, body, context) -> addHeaders(rb, headers)).build();
        }
        ServerAuthorization auth = McpAuthorization.forHub(config, env);
        return b.asyncHttpRequestCustomizer(McpAuthorization.requestCustomizer(auth, headers))
                .authorizationErrorHandler(McpAuthorization.errorHandler(auth))
                .build();
    }

    static McpClientTransport legacySse(McpServerConfig config, Map<String, String> env, Duration connectTimeout) {
        URI uri = URI.create(config.url());
        Map<String, String> headers = headers(config, env);
        return HttpClientSseClientTransport.builder(base(uri))
                .sseEndpoint(endpoint(uri))
                .connectTimeout(connectTimeout)
                .httpRequestCustomizer((b, method, target, body, context) -> addHeaders(b, headers))
                .build();
    }

    /**
     * True when a failed streamable start looks like an old HTTP+SSE server: the POST was answered
     * with a 4xx other than 401/403 (an auth failure is not a transport mismatch).
     */
    static boolean shouldFallBack(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message == null) {
                continue;
            }
            Matcher m = STATUS.matcher(message);
            if (m.find()) {
                int status = Integer.parseInt(m.group(1));
                return status >= 400 && status < 500 && status != 401 && status != 403;
            }
        }
        return false;
    }

    private static void addHeaders(HttpRequest.Builder b, Map<String, String> headers) {
        headers.forEach(b::setHeader);
    }

    private static String base(URI uri) {
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }

    private static String endpoint(URI uri) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
    }
}
