package dev.toolhost.mcp.client.oauth;

import io.modelcontextprotocol.spec.McpTransportException;

/**
 * A sign-in problem with a message written for the user (it names the server, the URL or the check that
 * failed, and what to do). A transport exception so that the hub reports its message as the reason a
 * server could not start or a call failed. Never carries a token or secret.
 */
public class OAuthException extends McpTransportException {
    public OAuthException(String message) {
        super(message);
    }

    public OAuthException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * The configuration cannot work as written (an {@code [mcp_servers.NAME.oauth]} key names an unset
     * environment variable or an unusable key file): the fix is in the config or the environment.
     */
    public static final class Misconfigured extends OAuthException {
        public Misconfigured(String message) {
            super(message);
        }

        public Misconfigured(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * The token endpoint answered with an error (RFC 6749 section 5.2), such as {@code invalid_grant} for a
     * refresh token it no longer accepts.
     */
    public static final class TokenRefused extends OAuthException {
        private final String error;

        public TokenRefused(String message, String error) {
            super(message);
            this.error = error;
        }

        /** The error code and its description as the server gave them (never a token). */
        public String error() {
            return error;
        }
    }

    /** The server needs a person to sign in, and nobody is there to do it. */
    public static final class LoginRequired extends OAuthException {
        public LoginRequired(String message) {
            super(message);
        }
    }
}
