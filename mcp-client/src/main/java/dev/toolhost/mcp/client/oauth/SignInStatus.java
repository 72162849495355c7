package dev.toolhost.mcp.client.oauth;

import dev.toolhost.config.McpOAuthConfig;
import dev.toolhost.config.McpServerConfig;
import java.time.Clock;
import java.time.Instant;

/**
 * What {@code mcp list} and {@code mcp get} show about a server's sign-in, read from the credentials store
 * without contacting anything.
 *
 * @param state     {@code unsupported} (stdio), {@code bearer token}, {@code not logged in}, {@code client
 *                  credentials}, {@code logged in}, {@code expired (refreshed on next use)}, {@code expired
 *                  (renewed on next use)} or {@code needs login}
 * @param expiresAt when the access token expires, or null
 * @param issuer    the authorization server that issued it, or null
 */
public record SignInStatus(String state, Instant expiresAt, String issuer) {
    /** The state of an HTTP server without a bearer token, OAuth client credentials or stored tokens. */
    public static final String NOT_LOGGED_IN = "not logged in";

    public String describe() {
        return expiresAt == null ? state : state + " (expires " + expiresAt + ")";
    }

    /** @throws OAuthException when the credentials file cannot be read */
    public static SignInStatus of(McpServerConfig server, CredentialStore store, Clock clock) {
        if (server.isStdio()) {
            return new SignInStatus("unsupported", null, null);
        }
        if (server.bearerTokenEnvVar() != null) {
            return new SignInStatus("bearer token", null, null);
        }
        boolean clientCredentials = server.oauth().grantType() == McpOAuthConfig.GrantType.CLIENT_CREDENTIALS;
        CredentialStore.Tokens t = store.load(server.name(), server.url())
                .map(CredentialStore.Entry::tokens)
                .orElse(null);
        if (t == null) {
            return new SignInStatus(clientCredentials ? "client credentials" : NOT_LOGGED_IN, null, null);
        }
        Instant expires = t.expiresAt() == null ? null : Instant.ofEpochSecond(t.expiresAt());
        boolean expired = expires != null && !clock.instant().isBefore(expires);
        String state = !expired
                ? "logged in"
                : t.refreshToken() != null
                        ? "expired (refreshed on next use)"
                        : clientCredentials ? "expired (renewed on next use)" : "needs login";
        return new SignInStatus(state, expires, t.issuer());
    }
}
