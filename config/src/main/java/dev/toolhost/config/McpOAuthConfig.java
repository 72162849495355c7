package dev.toolhost.config;

import java.util.List;

/**
 * The {@code [mcp_servers.NAME.oauth]} table: how Toolhost signs in to an OAuth-protected streamable HTTP
 * server (MCP authorization, 2025-11-25 and 2026-07-28). Every key is optional; with none, Toolhost
 * discovers the authorization server and registers itself (Client ID Metadata Document or dynamic
 * registration) on {@code toolhost mcp login NAME}.
 *
 * @param clientId          a pre-registered client id (registration step 1), or null
 * @param clientSecretEnvVar name of the environment variable holding that client's secret, or null
 * @param scopes            scopes to request instead of the server's challenge / {@code scopes_supported}; empty
 *                          means "let the server say"
 * @param callbackPort      loopback port for the redirect ({@code oauth.callback_port}, else the root
 *                          {@code mcp_oauth_callback_port}), or null for a free port
 * @param clientMetadataUrl an https URL of this client's Client ID Metadata Document, used as {@code client_id}
 *                          where the authorization server supports it, or null
 * @param grantType         {@code authorization_code} (a person signs in) or {@code client_credentials} (headless)
 * @param privateKeyFile    PEM (PKCS #8) private key for a {@code private_key_jwt} client assertion, or null
 * @param signingAlgorithm  JWS algorithm of that assertion (e.g. ES256, RS256), or null for the key's default
 */
public record McpOAuthConfig(
        String clientId,
        String clientSecretEnvVar,
        List<String> scopes,
        Integer callbackPort,
        String clientMetadataUrl,
        GrantType grantType,
        String privateKeyFile,
        String signingAlgorithm) {

    public static final McpOAuthConfig NONE =
            new McpOAuthConfig(null, null, List.of(), null, null, GrantType.AUTHORIZATION_CODE, null, null);

    public McpOAuthConfig {
        scopes = List.copyOf(scopes);
    }

    public McpOAuthConfig withCallbackPort(Integer port) {
        return new McpOAuthConfig(
                clientId,
                clientSecretEnvVar,
                scopes,
                port,
                clientMetadataUrl,
                grantType,
                privateKeyFile,
                signingAlgorithm);
    }

    /** The OAuth grant Toolhost uses to get an access token. */
    public enum GrantType {
        AUTHORIZATION_CODE("authorization_code"),
        CLIENT_CREDENTIALS("client_credentials");

        private final String wireName;

        GrantType(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        public static GrantType fromWireName(String s) {
            for (GrantType g : values()) {
                if (g.wireName.equals(s)) {
                    return g;
                }
            }
            throw new IllegalArgumentException(s);
        }
    }
}
