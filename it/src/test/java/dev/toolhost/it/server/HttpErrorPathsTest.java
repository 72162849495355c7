package dev.toolhost.it.server;

import static dev.toolhost.it.server.ServerFixtures.home;
import static dev.toolhost.it.server.ServerFixtures.stdioClient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code toolhost mcp-server --http}: both eras on one endpoint, and every malformed request answered with a
 * 4xx and a JSON-RPC error that names the problem and carries the request's id (issue 16 item 6).
 */
class HttpErrorPathsTest {
    private static final String MODERN = "2026-07-28";
    private static final String META = "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"" + MODERN
            + "\",\"io.modelcontextprotocol/clientCapabilities\":{}}";
    private static final String INIT = ServerFixtures.RAW_INIT;

    @TempDir
    static Path tmp;

    static ServerFixtures.HttpServerProcess server;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        server = new ServerFixtures.HttpServerProcess(home(tmp.resolve("home"), ""), Map.of(), "--only", "builtin");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static HttpResponse<String> post(String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url()))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> error(HttpResponse<String> response, int status, Object id) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        Map<String, Object> body = McpJsonDefaults.getMapper().readValue(response.body(), Map.class);
        assertEquals(id, body.get("id"), response.body());
        assertFalse(response.body().contains("Exception") || response.body().contains("McpSchema"), response.body());
        return (Map<String, Object>) body.get("error");
    }

    private static String session() throws Exception {
        HttpResponse<String> init = post(INIT);
        assertEquals(200, init.statusCode(), init.body());
        String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
        post("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}", "Mcp-Session-Id", session);
        return session;
    }

    @Test
    void aModernClientAndALegacyClientShareTheEndpoint() throws Exception {
        try (McpSyncClient legacy = ServerFixtures.httpClient(server.url(), null)) {
            HttpResponse<String> list = post(
                    "{\"jsonrpc\":\"2.0\",\"id\":\"m1\",\"method\":\"tools/list\",\"params\":{" + META + "}}",
                    "MCP-Protocol-Version",
                    MODERN,
                    "Mcp-Method",
                    "tools/list");
            assertEquals(200, list.statusCode(), list.body());
            assertTrue(list.headers().firstValue("Mcp-Session-Id").isEmpty(), "no session for " + MODERN);
            assertTrue(
                    list.body().contains("\"update_plan\"") && list.body().contains("\"resultType\":\"complete\""),
                    list.body());
            HttpResponse<String> call = post(
                    "{\"jsonrpc\":\"2.0\",\"id\":\"m2\",\"method\":\"tools/call\",\"params\":{"
                            + "\"name\":\"update_plan\",\"arguments\":{\"plan\":[{\"step\":\"both eras\",\"status\":\"pending\"}]},"
                            + META + "}}",
                    "MCP-Protocol-Version",
                    MODERN,
                    "Mcp-Method",
                    "tools/call",
                    "Mcp-Name",
                    "update_plan");
            assertEquals(200, call.statusCode(), call.body());
            assertTrue(call.body().contains("both eras"), call.body());
            assertTrue(
                    legacy.listTools().tools().stream().anyMatch(t -> t.name().equals("update_plan")));
        }
    }

    @Test
    void modernHeaderMismatchesAre400WithHeaderMismatchAndTheId() throws Exception {
        Map<String, Object> e = error(
                post(
                        "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{"
                                + "\"name\":\"update_plan\",\"arguments\":{}," + META + "}}",
                        "MCP-Protocol-Version",
                        MODERN,
                        "Mcp-Method",
                        "tools/call",
                        "Mcp-Name",
                        "read_file"),
                400,
                7);
        assertEquals(-32020, ((Number) e.get("code")).intValue());
        assertTrue(
                e.get("message").toString().contains("'read_file' does not match body value 'update_plan'"),
                e.toString());
    }

    @Test
    void initializeWithoutParamsIs400NamingTheParams() throws Exception {
        Map<String, Object> e = error(post("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"initialize\"}"), 400, 3);
        assertEquals(-32602, ((Number) e.get("code")).intValue());
        assertTrue(e.get("message").toString().contains("params is missing"), e.toString());
    }

    @Test
    void anUnsupportedProtocolVersionHeaderIs400() throws Exception {
        String session = session();
        Map<String, Object> e = error(
                post(
                        "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/list\"}",
                        "Mcp-Session-Id",
                        session,
                        "MCP-Protocol-Version",
                        "1999-01-01"),
                400,
                4);
        assertTrue(
                e.get("message").toString().contains("unsupported MCP-Protocol-Version header '1999-01-01'"),
                e.toString());
    }

    @Test
    void errorsCarryTheRequestsId() throws Exception {
        Map<String, Object> e = error(
                post("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/list\"}", "Mcp-Session-Id", "not-a-session"),
                404,
                5);
        assertTrue(e.get("message").toString().contains("Session not found"), e.toString());
    }

    @Test
    void sseEventsHaveUniqueIdsAndTheUnknownToolIsNamed() throws Exception {
        String session = session();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> response = post(
                    "{\"jsonrpc\":\"2.0\",\"id\":" + (10 + i) + ",\"method\":"
                            + "\"tools/call\",\"params\":{\"name\":\"no_such_tool\",\"arguments\":{}}}",
                    "Mcp-Session-Id",
                    session);
            assertTrue(response.body().contains("Unknown tool: 'no_such_tool'"), response.body());
            assertFalse(response.body().contains("invalid_tool_name"), response.body());
            response.body()
                    .lines()
                    .filter(l -> l.startsWith("id: "))
                    .forEach(l -> assertTrue(ids.add(l), "repeated event id: " + l));
        }
        assertEquals(3, ids.size(), ids.toString());
    }

    @Test
    void batchesAreRefusedNamingWhy() throws Exception {
        String session = session();
        Map<String, Object> e = error(
                post(
                        "[{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"tools/list\"}]",
                        "Mcp-Session-Id",
                        session,
                        "MCP-Protocol-Version",
                        "2025-03-26"),
                400,
                null);
        assertTrue(e.get("message").toString().contains("batches are not supported"), e.toString());
    }

    @Test
    void theUnknownToolIsNamedOverStdioToo() throws Exception {
        try (McpSyncClient client =
                stdioClient(home(tmp.resolve("stdio-home"), ""), null, "mcp-server", "--only", "builtin")) {
            McpError e = assertThrows(
                    McpError.class, () -> client.callTool(new McpSchema.CallToolRequest("no_such_tool", Map.of())));
            assertTrue(e.getMessage().contains("Unknown tool: 'no_such_tool'"), e.getMessage());
        }
    }
}
