package dev.toolhost.host;

import dev.toolhost.config.McpServerConfig;
import dev.toolhost.mcp.client.oauth.CredentialStore;
import dev.toolhost.mcp.client.oauth.OAuthException;
import dev.toolhost.mcp.client.oauth.SignInStatus;
import java.time.Clock;
import tools.jackson.databind.node.ObjectNode;

/** A server's sign-in state for {@code mcp list} and {@code mcp get}, read from the credentials store only. */
final class AuthStatus {
    private AuthStatus() {}

    static String describe(McpServerConfig server) {
        try {
            return SignInStatus.of(server, CredentialStore.atHome(), Clock.systemUTC())
                    .describe();
        } catch (OAuthException e) {
            return "unreadable credentials file";
        }
    }

    static void put(ObjectNode o, McpServerConfig server) {
        try {
            SignInStatus s = SignInStatus.of(server, CredentialStore.atHome(), Clock.systemUTC());
            o.put("auth", s.state());
            if (s.expiresAt() != null) {
                o.put("auth_expires_at", s.expiresAt().toString());
            }
        } catch (OAuthException e) {
            o.put("auth", "error");
            o.put("auth_error", e.getMessage());
        }
    }
}
