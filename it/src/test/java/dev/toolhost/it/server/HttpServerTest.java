package dev.toolhost.it.server;

import static dev.toolhost.it.server.ServerFixtures.env;
import static dev.toolhost.it.server.ServerFixtures.home;
import static dev.toolhost.it.server.ServerFixtures.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.it.Peers;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code toolhost mcp-server --http}: real clients, and the security checks in front of them. */
class HttpServerTest {
    private static final String TOKEN = "it-secret-token-1";
    private static final String INIT = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
            + "\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}";

    @TempDir
    static Path tmp;

    static ServerFixtures.HttpServerProcess server;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        server = new ServerFixtures.HttpServerProcess(
                home(tmp.resolve("home"), ""),
                Map.of("IT_MCP_TOKEN", TOKEN),
                "--only",
                "builtin",
                "--token-env",
                "IT_MCP_TOKEN",
                "--max-request-bytes",
                "65536");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static HttpResponse<String> post(String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url()))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void javaSdkClientListsAndCallsTools() {
        try (McpSyncClient client = ServerFixtures.httpClient(server.url(), TOKEN)) {
            List<String> names = client.listTools().tools().stream()
                    .map(McpSchema.Tool::name)
                    .toList();
            assertTrue(names.contains("update_plan"), names.toString());
            McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest(
                    "update_plan",
                    Map.of("plan", List.of(Map.of("step", "serve over HTTP", "status", "in_progress")))));
            assertFalse(Boolean.TRUE.equals(result.isError()), text(result));
            assertTrue(text(result).contains("serve over HTTP"), text(result));
        }
    }

    @Test
    void inspectorCliListsAndCallsToolsOverHttp() throws Exception {
        Map<String, String> env = env(tmp.resolve("home"));
        env.put("MCP_CATALOG_PATH", tmp.resolve("catalog.json").toString());
        String inspector = Peers.bin("mcp-inspector").toString();
        var listed = ServerFixtures.run(
                env,
                Duration.ofSeconds(60),
                List.of(
                        inspector,
                        "--cli",
                        "--transport",
                        "http",
                        "--server-url",
                        server.url(),
                        "--header",
                        "Authorization: Bearer " + TOKEN,
                        "--method",
                        "tools/list"));
        assertEquals(0, listed.exitCode(), listed.output());
        assertTrue(listed.output().contains("\"read_file\""), listed.output());
        var called = ServerFixtures.run(
                env,
                Duration.ofSeconds(60),
                List.of(
                        inspector,
                        "--cli",
                        "--transport",
                        "http",
                        "--server-url",
                        server.url(),
                        "--header",
                        "Authorization: Bearer " + TOKEN,
                        "--method",
                        "tools/call",
                        "--tool-name",
                        "update_plan",
                        "--tool-arg",
                        "explanation=via inspector"));
        assertEquals(0, called.exitCode(), called.output());
        assertTrue(called.output().contains("\"content\""), called.output());
    }

    @Test
    void requestsWithoutTheRightBearerTokenGet401() throws Exception {
        HttpResponse<String> missing = post(INIT, Map.of());
        assertEquals(401, missing.statusCode(), missing.body());
        assertTrue(missing.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
        HttpResponse<String> wrong = post(INIT, Map.of("Authorization", "Bearer not-the-token"));
        assertEquals(401, wrong.statusCode(), wrong.body());
    }

    /** RFC 9110 section 11.1: the auth scheme is case-insensitive; the token is not. */
    @Test
    void theBearerSchemeMayBeWrittenInAnyCase() throws Exception {
        for (String scheme : List.of("bearer ", "BEARER ")) {
            HttpResponse<String> r = post(INIT, Map.of("Authorization", scheme + TOKEN));
            assertEquals(200, r.statusCode(), scheme + r.body());
        }
        HttpResponse<String> upper = post(INIT, Map.of("Authorization", "Bearer " + TOKEN.toUpperCase(Locale.ROOT)));
        assertEquals(401, upper.statusCode(), upper.body());
    }

    /** {@code toolhost mcp-server --http --token-env VARIABLE} with {@code token} in it, run to its end. */
    private ServerFixtures.Result startWithToken(String variable, String token) throws Exception {
        Map<String, String> env = new HashMap<>(env(tmp.resolve("home")));
        env.put(variable, token);
        return ServerFixtures.run(
                env,
                Duration.ofSeconds(60),
                Peers.toolhost("mcp-server", "--only", "builtin", "--http", "127.0.0.1:0", "--token-env", variable));
    }

    /** A guessable token is refused at start, as a short --request-state-key-env secret is. */
    @Test
    void aTokenShorterThan16CharactersIsAUsageError() throws Exception {
        ServerFixtures.Result r = startWithToken("IT_SHORT_TOKEN", "fifteen-chars-x");
        assertEquals(2, r.exitCode(), r.output());
        assertTrue(
                r.output()
                        .contains("--token-env IT_SHORT_TOKEN: that environment variable must hold a token of at least"
                                + " 16 characters"),
                r.output());
        assertFalse(r.output().contains("fifteen-chars-x"), "the token was printed: " + r.output());
    }

    /** A token read with its line end or padding is taken without it: clients can send it. */
    @Test
    void surroundingWhitespaceOfTheTokenIsStripped() throws Exception {
        try (var padded = new ServerFixtures.HttpServerProcess(
                home(tmp.resolve("padded"), ""),
                Map.of("IT_PADDED_TOKEN", "  it-padded-token-1\r\n"),
                "--only",
                "builtin",
                "--token-env",
                "IT_PADDED_TOKEN")) {
            HttpResponse<String> ok = http.send(
                    HttpRequest.newBuilder(URI.create(padded.url()))
                            .header("Content-Type", "application/json")
                            .header("Accept", "application/json, text/event-stream")
                            .header("Authorization", "Bearer it-padded-token-1")
                            .POST(HttpRequest.BodyPublishers.ofString(INIT))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ok.statusCode(), ok.body());
        }
    }

    /** Whitespace or a control character inside the token (a pasted two-line value) is a usage error. */
    @Test
    void aTokenWithWhitespaceInsideIsAUsageError() throws Exception {
        for (String bad : new String[] {"abcdefghijklmnop\nq", "abcdefgh ijklmnopq", "abcdefgh\u0007ijklmnopq"}) {
            ServerFixtures.Result r = startWithToken("IT_BAD_TOKEN", bad);
            assertEquals(2, r.exitCode(), r.output());
            assertTrue(
                    r.output()
                            .contains("--token-env IT_BAD_TOKEN: that environment variable holds a token with"
                                    + " whitespace or a control character inside"),
                    r.output());
            assertFalse(r.output().contains("abcdefgh"), "the token was printed: " + r.output());
        }
        ServerFixtures.Result shortOne = startWithToken("IT_SHORT_PADDED", " fifteen-chars-x \n");
        assertEquals(2, shortOne.exitCode(), shortOne.output());
        assertTrue(shortOne.output().contains("at least 16 characters"), shortOne.output());
    }

    @Test
    void browserRequestsFromAnotherOriginGet403() throws Exception {
        HttpResponse<String> evil =
                post(INIT, Map.of("Authorization", "Bearer " + TOKEN, "Origin", "http://evil.example"));
        assertEquals(403, evil.statusCode(), evil.body());
        HttpResponse<String> local =
                post(INIT, Map.of("Authorization", "Bearer " + TOKEN, "Origin", "http://localhost:3000"));
        assertEquals(200, local.statusCode(), "a localhost origin is allowed: " + local.body());
    }

    @Test
    void bodiesOverTheLimitGet413() throws Exception {
        String big = INIT.replace("\"raw\"", "\"" + "x".repeat(70_000) + "\"");
        HttpResponse<String> response = post(big, Map.of("Authorization", "Bearer " + TOKEN));
        assertEquals(413, response.statusCode(), response.body());
    }

    @Test
    void badJsonRpcGetsAnErrorAndTheServerKeepsServing() throws Exception {
        HttpResponse<String> response = post("{this is not json", Map.of("Authorization", "Bearer " + TOKEN));
        assertEquals(400, response.statusCode(), response.body());
        assertTrue(
                response.body().startsWith("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32700"),
                response.body());
        assertFalse(response.body().contains("stackTrace"), response.body());
        try (McpSyncClient client = ServerFixtures.httpClient(server.url(), TOKEN)) {
            assertFalse(client.listTools().tools().isEmpty());
        }
    }
}
