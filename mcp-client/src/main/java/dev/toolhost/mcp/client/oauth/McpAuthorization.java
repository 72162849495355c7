package dev.toolhost.mcp.client.oauth;

import dev.toolhost.config.McpServerConfig;
import io.modelcontextprotocol.client.transport.HttpRequestSnapshot;
import io.modelcontextprotocol.client.transport.customizer.McpAsyncHttpClientRequestCustomizer;
import io.modelcontextprotocol.client.transport.customizer.McpHttpClientTransportAuthorizationErrorHandler;
import io.modelcontextprotocol.common.McpTransportContext;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Plugs {@link ServerAuthorization} into the SDK's streamable HTTP transport: a request customizer that
 * adds {@code Authorization: Bearer} (refreshing first when the token is about to expire), and an
 * authorization-error handler that answers 401/403 challenges (MCP authorization, "Access Token Usage"
 * and "Error Handling"). The SDK resends the request when the handler says so.
 */
public final class McpAuthorization {
    /**
     * Test hook: with this environment variable set to {@code 1}, the hub may authorize by itself, using
     * {@link UserAgent#headlessApproval()} (only useful with authorization servers that approve without a
     * person, such as the conformance suite's mocks). Without it, a needed sign-in fails with
     * "run `toolhost mcp login NAME`".
     */
    public static final String HEADLESS_APPROVAL_ENV = "TOOLHOST_OAUTH_TEST_AUTO_APPROVE";

    private McpAuthorization() {}

    /** The authorization of {@code server} as the hub uses it (stored credentials under TOOLHOST_HOME). */
    public static ServerAuthorization forHub(McpServerConfig server, Map<String, String> env) {
        UserAgent agent = "1".equals(env.get(HEADLESS_APPROVAL_ENV)) ? UserAgent.headlessApproval() : null;
        return new ServerAuthorization(server, env, CredentialStore.atHome(), agent, Duration.ofSeconds(30));
    }

    public static McpAsyncHttpClientRequestCustomizer requestCustomizer(
            ServerAuthorization auth, Map<String, String> headers) {
        // A refresh is a blocking HTTP exchange: only then leave the caller's thread.
        return (builder, method, uri, body, context) -> auth.mayBlock()
                ? Mono.fromCallable(() -> withToken(builder, headers, auth)).subscribeOn(Schedulers.boundedElastic())
                : Mono.just(withToken(builder, headers, auth));
    }

    private static HttpRequest.Builder withToken(
            HttpRequest.Builder b, Map<String, String> headers, ServerAuthorization auth) {
        headers.forEach(b::setHeader);
        String token = auth.accessToken();
        if (token != null) {
            b.setHeader("Authorization", "Bearer " + token);
        }
        return b;
    }

    public static McpHttpClientTransportAuthorizationErrorHandler errorHandler(ServerAuthorization auth) {
        return new McpHttpClientTransportAuthorizationErrorHandler() {
            @Override
            public Publisher<Boolean> handle(
                    HttpRequestSnapshot request, HttpResponse.ResponseInfo response, McpTransportContext context) {
                String sent = request.headers()
                        .firstValue("Authorization")
                        .filter(v -> v.regionMatches(true, 0, "Bearer ", 0, 7))
                        .map(v -> v.substring(7))
                        .orElse(null);
                return Mono.fromCallable(() -> auth.recover(
                                response.statusCode(), response.headers().allValues("WWW-Authenticate"), sent))
                        .subscribeOn(Schedulers.boundedElastic());
            }

            @Override
            public int maxRetries() {
                return ServerAuthorization.MAX_AUTHORIZATIONS;
            }
        };
    }
}
