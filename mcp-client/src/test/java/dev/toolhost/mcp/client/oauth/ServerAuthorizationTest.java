package dev.toolhost.mcp.client.oauth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.toolhost.config.McpServerConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the hub (no one to sign in) says when a server refuses it; a scripted resource server on loopback. */
class ServerAuthorizationTest {
    @TempDir
    Path dir;

    private HttpServer server;
    private String origin;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        origin = "http://127.0.0.1:" + server.getAddress().getPort();
        server.createContext("/.well-known/oauth-protected-resource/mcp", ex -> {
            byte[] body = ("{\"resource\":\"" + origin + "/mcp\",\"authorization_servers\":[\"" + origin + "/as\"]}")
                    .getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private ServerAuthorization hub(String path) {
        return hub(origin, path);
    }

    private ServerAuthorization hub(String origin, String path) {
        return new ServerAuthorization(
                McpServerConfig.http("s", origin + path),
                Map.of(),
                new CredentialStore(dir.resolve("mcp-credentials.json")),
                null,
                Duration.ofSeconds(1));
    }

    @Test
    void withoutAStoredSignInTheHubSaysToLogIn() {
        OAuthException e = assertThrows(
                OAuthException.LoginRequired.class,
                () -> hub("/mcp")
                        .recover(
                                401,
                                List.of("Bearer resource_metadata=\"" + origin
                                        + "/.well-known/oauth-protected-resource/mcp\""),
                                null));
        assertTrue(e.getMessage().equals("MCP server 's' requires login: run `toolhost mcp login s`"), e.getMessage());
    }

    @Test
    void insufficientScopeNamesTheScopesToAskFor() {
        OAuthException e = assertThrows(
                OAuthException.LoginRequired.class,
                () -> hub("/mcp")
                        .recover(403, List.of("Bearer error=\"insufficient_scope\", scope=\"files:write\""), null));
        assertTrue(
                e.getMessage()
                        .contains("needs more access (scope 'files:write'): run `toolhost mcp login s "
                                + "--scopes files:write`"),
                e.getMessage());
    }

    @Test
    void a401WithoutOAuthMetadataSaysSo() {
        OAuthException e =
                assertThrows(OAuthException.class, () -> hub("/other").recover(401, List.of(), null));
        assertTrue(e.getMessage().contains("publishes no OAuth protected-resource metadata"), e.getMessage());
    }

    @Test
    void messagesNameTheServerUrlWithoutItsSecrets() {
        String secretOrigin = origin.replace("http://", "http://u:pw-secret@");
        OAuthException e = assertThrows(
                OAuthException.class,
                () -> hub(secretOrigin, "/other?token=tok-secret").recover(401, List.of(), null));
        String shown = origin.replace("http://", "http://u:*****@");
        assertTrue(e.getMessage().startsWith(shown + "/other?token=***** refused the request"), e.getMessage());
        assertTrue(
                e.getMessage().contains("(tried [" + shown + "/.well-known/oauth-protected-resource/other, "),
                e.getMessage());
        assertFalse(e.getMessage().contains("secret"), e.getMessage());
    }

    @Test
    void aForbiddenWithoutScopeErrorIsNotRetried() {
        assertTrue(!hub("/mcp").recover(403, List.of("Bearer error=\"invalid_token\""), null));
    }

    @Test
    void aRefreshThatCannotReachTheAuthorizationServerKeepsTheSignIn() throws Exception {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        CredentialStore store = new CredentialStore(dir.resolve("mcp-credentials.json"));
        String issuer = origin + "/as";
        CredentialStore.Tokens tokens = new CredentialStore.Tokens(
                issuer, "at-old", "rt-old", 0, 1L, List.of(), "http://127.0.0.1:" + closed + "/token", origin + "/mcp");
        store.update(
                "s",
                origin + "/mcp",
                e -> e.withClient(
                                issuer,
                                new CredentialStore.Client("client-1", null, "none", "http://127.0.0.1:1/callback"))
                        .withTokens(tokens));
        OAuthException e = assertThrows(
                OAuthException.class,
                () -> hub("/mcp")
                        .recover(
                                401,
                                List.of("Bearer resource_metadata=\"" + origin
                                        + "/.well-known/oauth-protected-resource/mcp\""),
                                "at-old"));
        assertTrue(e.getMessage().startsWith("cannot refresh the sign-in of MCP server 's': "), e.getMessage());
        assertTrue(e.getMessage().endsWith("the stored sign-in is kept and the next call tries again"), e.getMessage());
        assertTrue(
                store.load("s", origin + "/mcp").orElseThrow().tokens() != null,
                "an unreachable authorization server is no refusal: the tokens stay");
    }
}
