package dev.toolhost.mcp.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.config.McpOAuthConfig;
import dev.toolhost.config.McpServerConfig;
import io.modelcontextprotocol.spec.McpTransportException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpTransportsTest {

    private static McpServerConfig config(
            String bearerVar, Map<String, String> headers, Map<String, String> envHeaders) {
        return new McpServerConfig(
                "docs",
                null,
                List.of(),
                Map.of(),
                List.of(),
                null,
                "https://example.com/mcp",
                bearerVar,
                headers,
                envHeaders,
                true,
                false,
                McpServerConfig.DEFAULT_STARTUP_TIMEOUT,
                McpServerConfig.DEFAULT_TOOL_TIMEOUT,
                null,
                List.of(),
                List.of(),
                false,
                McpServerConfig.DEFAULT_MAX_MESSAGE_BYTES,
                McpOAuthConfig.NONE,
                McpServerConfig.PROTOCOL_AUTO);
    }

    @Test
    void headersComeFromConfigEnvironmentAndBearerToken() {
        Map<String, String> headers = HttpTransports.headers(
                config("DOCS_TOKEN", Map.of("X-Team", "core"), Map.of("X-Api-Key", "DOCS_KEY", "X-Unset", "NOT_SET")),
                Map.of("DOCS_TOKEN", "t0k", "DOCS_KEY", "k3y"));
        assertEquals(Map.of("X-Team", "core", "X-Api-Key", "k3y", "Authorization", "Bearer t0k"), headers);
    }

    @Test
    void missingBearerTokenNamesTheVariable() {
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> HttpTransports.headers(config("DOCS_TOKEN", Map.of(), Map.of()), Map.of()));
        assertTrue(e.getMessage().contains("DOCS_TOKEN"), e.getMessage());
    }

    @Test
    void onlyA400WhoseIdlessJsonRpcErrorNamesTheSessionIsASessionRefusal() {
        // server-everything's answer to an unknown Mcp-Session-Id (the TypeScript SDK's sample servers)
        String unknown = "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32000,"
                + "\"message\":\"Bad Request: No valid session ID provided\"}}";
        assertEquals("Bad Request: No valid session ID provided", HttpTransports.sessionRefusal(400, unknown));
        assertEquals(
                "Session not found",
                HttpTransports.sessionRefusal(
                        400,
                        "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32600,\"message\":\"Session not found\"}}"));
        // any other 400 is a refusal of the request
        assertEquals(null, HttpTransports.sessionRefusal(404, unknown));
        assertEquals(
                null,
                HttpTransports.sessionRefusal(
                        400,
                        "{\"jsonrpc\":\"2.0\",\"id\":7,\"error\":{\"code\":-32602,\"message\":\"bad session arg\"}}"));
        assertEquals(
                null,
                HttpTransports.sessionRefusal(
                        400,
                        "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32000,\"message\":\"Bad Request: Server not initialized\"}}"));
        assertEquals(null, HttpTransports.sessionRefusal(400, "No valid session ID provided"));
        assertEquals(null, HttpTransports.sessionRefusal(400, ""));
    }

    @Test
    void fallsBackOnlyForClientErrorsOtherThanAuth() {
        assertTrue(HttpTransports.shouldFallBack(new RuntimeException(
                "init failed", new McpTransportException("Server Not Found. Status code:404, response-event:x"))));
        assertTrue(HttpTransports.shouldFallBack(new McpTransportException("Invalid request. Status code: 405")));
        assertFalse(HttpTransports.shouldFallBack(new McpTransportException("Invalid request. Status code: 401")));
        assertFalse(HttpTransports.shouldFallBack(new McpTransportException("Status code: 500")));
        assertFalse(HttpTransports.shouldFallBack(new RuntimeException("connection refused")));
    }

    @Test
    void aClientErrorIsARefusalOfTheRequestNamedForTheCaller() {
        assertEquals(
                413,
                HttpTransports.refusal(new RuntimeException(
                        "call failed", new McpTransportException("Received unexpected status code: 413"))));
        assertEquals(-1, HttpTransports.refusal(new McpTransportException("Server Not Found. Status code:404")));
        assertEquals(-1, HttpTransports.refusal(new McpTransportException("Status code: 502")));
        assertEquals(-1, HttpTransports.refusal(new RuntimeException("connection reset")));
        assertEquals(
                "MCP server 'docs' refused the request as too large (HTTP 413 Content Too Large): the arguments"
                        + " (15 bytes as JSON) are over the server's size limit",
                HttpTransports.refusal("docs", 413, Map.of("cmd", "ls -l")));
    }
}
