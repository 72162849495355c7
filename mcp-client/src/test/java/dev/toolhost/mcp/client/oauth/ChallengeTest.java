package dev.toolhost.mcp.client.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChallengeTest {
    @Test
    void readsErrorScopeAndResourceMetadata() {
        Challenge c = Challenge.parse(
                403,
                List.of("Bearer error=\"insufficient_scope\", scope=\"mcp:read mcp:write\", "
                        + "resource_metadata=\"https://api.example.com/.well-known/oauth-protected-resource/mcp\""));
        assertTrue(c.insufficientScope());
        assertEquals(List.of("mcp:read", "mcp:write"), c.scopes());
        assertEquals(
                URI.create("https://api.example.com/.well-known/oauth-protected-resource/mcp"), c.resourceMetadata());
    }

    @Test
    void bareChallengeAndOtherSchemes() {
        Challenge c = Challenge.parse(401, List.of("Basic realm=\"x\"", "Bearer"));
        assertNull(c.error());
        assertTrue(c.scopes().isEmpty());
        assertNull(c.resourceMetadata());
        assertFalse(c.insufficientScope());
        Challenge dpop = Challenge.parse(
                401, List.of("DPoP resource_metadata=\"https://a.example/prm\", " + "error=\"invalid_token\""));
        assertEquals("invalid_token", dpop.error());
        assertEquals(URI.create("https://a.example/prm"), dpop.resourceMetadata());
    }

    @Test
    void resourceMustNameThisServer() {
        URI server = URI.create("https://api.example.com/mcp");
        Discovery.checkResource(server, prm("https://api.example.com/mcp"));
        Discovery.checkResource(server, prm("https://api.example.com"));
        Discovery.checkResource(URI.create("https://api.example.com/mcp/v2"), prm("https://api.example.com/mcp"));
        OAuthException e = assertThrows(
                OAuthException.class, () -> Discovery.checkResource(server, prm("https://evil.example.com/mcp")));
        assertTrue(
                e.getMessage().contains("is for 'https://evil.example.com/mcp', not for https://api.example.com/mcp"),
                e.getMessage());
        assertThrows(OAuthException.class, () -> Discovery.checkResource(server, prm("https://api.example.com/mcpx")));
        assertThrows(
                OAuthException.class, () -> Discovery.checkResource(server, prm("https://api.example.com:8443/mcp")));
    }

    @Test
    void authorizationServerEndpointsMustBeHttpsExceptOnLoopback() {
        Discovery.checkEndpointScheme(URI.create("https://as.example.com/token"), "endpoint");
        Discovery.checkEndpointScheme(URI.create("http://localhost:9000/token"), "endpoint");
        Discovery.checkEndpointScheme(URI.create("http://127.0.0.1:9000/token"), "endpoint");
        assertThrows(
                OAuthException.class,
                () -> Discovery.checkEndpointScheme(URI.create("http://as.example.com/token"), "endpoint"));
    }

    private static Discovery.ProtectedResource prm(String resource) {
        return new Discovery.ProtectedResource(
                URI.create("https://api.example.com/.well-known/oauth-protected-resource"),
                resource,
                List.of("https://as.example.com"),
                List.of());
    }
}
