package dev.toolhost.host;

import dev.toolhost.config.McpServerConfig;
import dev.toolhost.mcp.client.oauth.CredentialStore;
import dev.toolhost.mcp.client.oauth.OAuthException;
import dev.toolhost.mcp.client.oauth.SignInStatus;
import java.time.Clock;
import tools.jackson.databind.node.ObjectNode;

/**
 * A server's sign-in state for {@code mcp list} and {@code mcp get}, read from the credentials store; {@code
 * connected} (when {@code mcp list} started the servers) turns "not logged in" into "not needed" for an HTTP server
 * that answered without any credentials.
 */
final class AuthStatus {
    private AuthStatus() {}

    static String describe(McpServerConfig server) {
        return describe(server, false);
    }

    static String describe(McpServerConfig server, boolean connected) {
        try {
            return of(server, connected).describe();
        } catch (OAuthException e) {
            return "unreadable credentials file";
        }
    }

    static void put(ObjectNode o, McpServerConfig server) {
        put(o, server, false);
    }

    static void put(ObjectNode o, McpServerConfig server, boolean connected) {
        try {
            SignInStatus s = of(server, connected);
            o.put("auth", s.state());
            if (s.expiresAt() != null) {
                o.put("auth_expires_at", s.expiresAt().toString());
            }
        } catch (OAuthException e) {
            o.put("auth", "error");
            o.put("auth_error", e.getMessage());
        }
    }

    private static SignInStatus of(McpServerConfig server, boolean connected) {
        SignInStatus s = SignInStatus.of(server, CredentialStore.atHome(), Clock.systemUTC());
        return connected && s.state().equals(SignInStatus.NOT_LOGGED_IN)
                ? new SignInStatus("not needed", null, null)
                : s;
    }
}
