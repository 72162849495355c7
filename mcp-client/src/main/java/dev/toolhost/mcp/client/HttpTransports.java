package dev.toolhost.mcp.client;

import dev.toolhost.config.McpServerConfig;
import dev.toolhost.mcp.client.modern.HttpHooks;
import dev.toolhost.mcp.client.oauth.McpAuthorization;
import dev.toolhost.mcp.client.oauth.ServerAuthorization;
import io.modelcontextprotocol.client.transport.HttpClientSseClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpClientTransport;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SDK transports for a {@code url} server: streamable HTTP, and the legacy HTTP+SSE transport the
 * spec's backwards-compatibility section says to try when the streamable POST is answered with a 4xx.
 */
final class HttpTransports {
    private static final Pattern STATUS = Pattern.compile("(?i)status code:? ?(\\d{3})");
    private static final TypeRef<Map<String, Object>> JSON_OBJECT = new TypeRef<>() {};

    private HttpTransports() {}

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

    /** Legacy streamable HTTP through {@link ResumingStreamableHttpTransport} (it resumes closed streams). */
    static McpClientTransport streamable(McpServerConfig config, Map<String, String> env, Duration connectTimeout) {
        URI uri = URI.create(config.url());
        return new ResumingStreamableHttpTransport(uri, hooks(config, env), connectTimeout, mapper(config));
    }

    /**
     * What every HTTP request to this server gets: the configured headers, and, unless the user configured an
     * {@code Authorization} header (a bearer token is their choice: no OAuth on top of it), the OAuth bearer
     * token with 401/403 handling (refresh, step-up).
     */
    static HttpHooks hooks(McpServerConfig config, Map<String, String> env) {
        Map<String, String> headers = headers(config, env);
        if (headers.keySet().stream().anyMatch("Authorization"::equalsIgnoreCase)) {
            return HttpHooks.headers(headers);
        }
        ServerAuthorization auth = McpAuthorization.forHub(config, env);
        return new HttpHooks(McpAuthorization.requestCustomizer(auth, headers), McpAuthorization.errorHandler(auth));
    }

    static McpClientTransport legacySse(McpServerConfig config, Map<String, String> env, Duration connectTimeout) {
        URI uri = URI.create(config.url());
        Map<String, String> headers = headers(config, env);
        return HttpClientSseClientTransport.builder(base(uri))
                .sseEndpoint(endpoint(uri))
                .connectTimeout(connectTimeout)
                .httpRequestCustomizer((b, method, target, body, context) -> addHeaders(b, headers))
                .jsonMapper(mapper(config))
                .build();
    }

    /**
     * True when a failed streamable start looks like an old HTTP+SSE server: the POST was answered
     * with a 4xx other than 401/403 (an auth failure is not a transport mismatch).
     */
    static boolean shouldFallBack(Throwable error) {
        int status = status(error);
        return status >= 400 && status < 500 && status != 401 && status != 403;
    }

    /** The HTTP status a failed request was answered with, or -1 when it got none (the connection failed). */
    static int status(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            String message = t.getMessage();
            Matcher m = message == null ? null : STATUS.matcher(message);
            if (m != null && m.find()) {
                return Integer.parseInt(m.group(1));
            }
        }
        return -1;
    }

    /**
     * The 4xx status a request was refused with (404, an expired session, excepted), or -1: such a
     * refusal is the server's answer to that one request, not a broken connection.
     */
    static int refusal(Throwable error) {
        int status = status(error);
        return status >= 400 && status < 500 && status != 404 ? status : -1;
    }

    /**
     * Whether a 400 answer to a request that carried an {@code Mcp-Session-Id} says that session is not valid: its
     * body is a JSON-RPC error with no id (or a null one) whose message mentions a session. The TypeScript SDK's
     * sample servers (server-everything among them) answer an unknown session so
     * ({@code -32000 "Bad Request: No valid session ID provided"}) where the spec says 404; the client then starts a
     * new session as it does on a 404. Any other 400 is a refusal of the request.
     *
     * @return the server's message, or null when this is not such an answer
     */
    static String sessionRefusal(int status, String body) {
        if (status != 400 || body == null || body.isBlank()) {
            return null;
        }
        try {
            Map<String, Object> message = McpJsonDefaults.getMapper().readValue(body, JSON_OBJECT);
            return message.get("id") == null
                            && message.get("error") instanceof Map<?, ?> error
                            && error.get("message") instanceof String text
                            && text.toLowerCase(Locale.ROOT).contains("session")
                    ? text
                    : null;
        } catch (IOException | RuntimeException e) {
            return null; // not JSON-RPC: a plain refusal
        }
    }

    /** What a 4xx refusal of a {@code tools/call} means, for the caller. */
    static String refusal(String server, int status, Map<String, Object> arguments) {
        if (status == 413) {
            return "MCP server '" + server + "' refused the request as too large (HTTP 413 Content Too Large): the"
                    + " arguments (" + jsonSize(arguments) + " bytes as JSON) are over the server's size limit";
        }
        return "MCP server '" + server + "' refused the request with HTTP status " + status;
    }

    private static long jsonSize(Map<String, Object> arguments) {
        try {
            return McpJsonDefaults.getMapper().writeValueAsBytes(arguments == null ? Map.of() : arguments).length;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The SDK's mapper with Jackson's parse limits raised to {@code max_message_bytes}. */
    private static McpJsonMapper mapper(McpServerConfig config) {
        return new JacksonMcpJsonMapper(JsonRpcMessages.readerFor(config.maxMessageBytes()));
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
