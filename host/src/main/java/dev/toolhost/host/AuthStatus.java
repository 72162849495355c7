package dev.toolhost.host;

import dev.toolhost.config.McpServerConfig;
import dev.toolhost.mcp.client.ToolHub;
import dev.toolhost.mcp.client.oauth.CredentialStore;
import dev.toolhost.mcp.client.oauth.OAuthException;
import dev.toolhost.mcp.client.oauth.SignInStatus;
import java.time.Clock;
import tools.jackson.databind.node.ObjectNode;

/**
 * A server's sign-in state for {@code mcp list} and {@code mcp get}, read from the credentials store. With {@code
 * live} (when {@code mcp list} started the servers), "not logged in" becomes "not needed" for an HTTP server that
 * answered without any credentials, and "-" for one that failed for another reason than a sign-in (nothing then
 * says whether it needs one).
 */
final class AuthStatus {
    private AuthStatus() {}

    static String describe(McpServerConfig server) {
        return describe(server, null);
    }

    static String describe(McpServerConfig server, ToolHub.ServerStatus live) {
        try {
            return of(server, live).describe();
        } catch (OAuthException e) {
            return "unreadable credentials file";
        }
    }

    static void put(ObjectNode o, McpServerConfig server) {
        put(o, server, null);
    }

    static void put(ObjectNode o, McpServerConfig server, ToolHub.ServerStatus live) {
        try {
            SignInStatus s = of(server, live);
            o.put("auth", s.state());
            if (s.expiresAt() != null) {
                o.put("auth_expires_at", s.expiresAt().toString());
            }
        } catch (OAuthException e) {
            o.put("auth", "error");
            o.put("auth_error", e.getMessage());
        }
    }

    private static SignInStatus of(McpServerConfig server, ToolHub.ServerStatus live) {
        SignInStatus s = SignInStatus.of(server, CredentialStore.atHome(), Clock.systemUTC());
        if (live == null || !s.state().equals(SignInStatus.NOT_LOGGED_IN)) {
            return s;
        }
        if (live.state() == ToolHub.ServerStatus.State.READY) {
            return new SignInStatus("not needed", null, null);
        }
        boolean signInFailure = live.detail() != null && live.detail().contains("login");
        return live.state() == ToolHub.ServerStatus.State.FAILED && !signInFailure
                ? new SignInStatus("-", null, null)
                : s;
    }
}
