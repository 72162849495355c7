package dev.toolhost.mcp.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.mcp.server.modern.ModernEndpoint;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpAsyncServer;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code StreamableHttpServer} with a fake {@link ModernEndpoint} and a real SDK server for legacy sessions, on
 * a real port: routing by era, the 2026-07-28 header validation, JSON/SSE replies, and the security checks
 * for both eras; and the legacy wire's error paths (issue 16 item 6).
 */
class DualEraHttpServerTest {
    private static final McpJsonMapper JSON = McpJsonDefaults.getMapper();
    private static final String V = "2026-07-28";
    private static final String TOKEN = "unit-token";

    private final HttpClient http = HttpClient.newHttpClient();
    private final FakeEndpoint endpoint = new FakeEndpoint();
    private StreamableHttpServer server;
    private McpAsyncServer legacy;

    @AfterEach
    void stop() {
        if (legacy != null) {
            legacy.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /** Answers each request with what {@link #behaviour} says; records what it was given. */
    static final class FakeEndpoint implements ModernEndpoint {
        final List<Map<String, Object>> messages = new CopyOnWriteArrayList<>();
        final List<String> tokens = new CopyOnWriteArrayList<>();
        final List<CompletableFuture<Reply>> futures = new CopyOnWriteArrayList<>();
        volatile Behaviour behaviour = (message, stream) -> CompletableFuture.completedFuture(
                new Reply(result(message.get("id"), Map.of("resultType", "complete")), 200));

        volatile Map<String, Object> schema;

        @Override
        public Map<String, Object> toolInputSchema(String name, String bearerToken) {
            return "sql".equals(name) ? schema : null;
        }

        interface Behaviour {
            CompletableFuture<Reply> handle(Map<String, Object> message, Consumer<Map<String, Object>> stream);
        }

        @Override
        public CompletableFuture<Reply> handle(
                Map<String, Object> message, String bearerToken, Consumer<Map<String, Object>> stream) {
            messages.add(message);
            tokens.add(String.valueOf(bearerToken));
            CompletableFuture<Reply> future = behaviour.handle(message, stream);
            futures.add(future);
            return future;
        }
    }

    private void start(String token, int maxBytes, Duration keepAlive) throws Exception {
        start(new StreamableHttpServer.Options("127.0.0.1", 0, "/mcp", token, maxBytes, keepAlive));
    }

    private void start(StreamableHttpServer.Options options) throws Exception {
        server = StreamableHttpServer.create(options, JSON, endpoint);
        legacy = McpServer.async(server.transport())
                .serverInfo("legacy-test", "1")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
                .build();
        server.start();
    }

    private void start() throws Exception {
        start(null, 65536, Duration.ofSeconds(30));
    }

    static Map<String, Object> result(Object id, Map<String, Object> result) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("jsonrpc", "2.0");
        m.put("id", id);
        m.put("result", result);
        return m;
    }

    private static String modern(Object id, String method, String params) {
        String meta = "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"" + V
                + "\",\"io.modelcontextprotocol/clientCapabilities\":{}}";
        return "{\"jsonrpc\":\"2.0\"," + (id == null ? "" : "\"id\":" + id + ",") + "\"method\":\"" + method
                + "\",\"params\":{" + (params.isEmpty() ? "" : params + ",") + meta + "}}";
    }

    private HttpRequest.Builder request(Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url()))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream");
        headers.forEach(b::header);
        return b;
    }

    private HttpResponse<String> post(String body, Map<String, String> headers) throws Exception {
        return http.send(
                request(headers).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, String> headers(String... pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return m;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(String body) throws Exception {
        return JSON.readValue(body, Map.class);
    }

    @SuppressWarnings("unchecked")
    private static void assertError(HttpResponse<String> response, int status, Object id, int code, String words)
            throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        Map<String, Object> body = json(response.body());
        assertEquals(id, body.get("id"), response.body());
        Map<String, Object> error = (Map<String, Object>) body.get("error");
        assertEquals(code, ((Number) error.get("code")).intValue(), response.body());
        assertTrue(String.valueOf(error.get("message")).contains(words), response.body());
        assertFalse(response.body().contains("Exception"), response.body());
    }

    @Test
    void modernRequestsGoToTheEndpointWithoutASessionAndLegacyOnesToTheSdkSession() throws Exception {
        start();
        HttpResponse<String> modern =
                post(modern(1, "tools/list", ""), headers("MCP-Protocol-Version", V, "Mcp-Method", "tools/list"));
        assertEquals(200, modern.statusCode(), modern.body());
        assertTrue(modern.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        assertTrue(modern.headers().firstValue("Mcp-Session-Id").isEmpty());
        assertEquals(Map.of("resultType", "complete"), json(modern.body()).get("result"));
        assertEquals(1, endpoint.messages.size());
        assertEquals("tools/list", endpoint.messages.get(0).get("method"));

        HttpResponse<String> init = post(
                "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"initialize\",\"params\":{"
                        + "\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"c\",\"version\":\"1\"}}}",
                Map.of());
        assertEquals(200, init.statusCode(), init.body());
        assertTrue(init.headers().firstValue("Mcp-Session-Id").isPresent());
        assertTrue(init.body().contains("legacy-test"), init.body());
        assertEquals(1, endpoint.messages.size(), "a legacy request never reaches the modern endpoint");
    }

    @Test
    void theBodyClaimAloneMakesARequestModernAndAMissingVersionHeaderIsAMismatch() throws Exception {
        start();
        HttpResponse<String> noHeader = post(modern(3, "tools/list", ""), headers("Mcp-Method", "tools/list"));
        assertError(noHeader, 400, 3, -32020, "MCP-Protocol-Version header is missing");
        assertTrue(endpoint.messages.isEmpty());
    }

    @Test
    void aVersionMismatchIsReportedBeforeTheVersionIsChecked() throws Exception {
        start();
        String v999 = modern(4, "tools/list", "").replace(V, "v999.0.0");
        HttpResponse<String> response = post(v999, headers("MCP-Protocol-Version", V, "Mcp-Method", "tools/list"));
        assertError(response, 400, 4, -32020, "'" + V + "' does not match body value 'v999.0.0'");
        assertTrue(endpoint.messages.isEmpty());
    }

    @Test
    void mcpMethodMustBePresentOnRequestsAndEqualTheMethod() throws Exception {
        start();
        assertError(
                post(modern(5, "tools/list", ""), headers("MCP-Protocol-Version", V)),
                400,
                5,
                -32020,
                "Mcp-Method header is missing");
        assertError(
                post(
                        modern("\"s6\"", "tools/list", ""),
                        headers("MCP-Protocol-Version", V, "Mcp-Method", "prompts/list")),
                400,
                "s6",
                -32020,
                "'prompts/list' does not match body value 'tools/list'");
        assertTrue(endpoint.messages.isEmpty());
    }

    @Test
    void mcpNameMustEqualTheToolPromptOrResourceAfterBase64Decoding() throws Exception {
        start();
        String call = modern(7, "tools/call", "\"name\":\"héllo tool\",\"arguments\":{}");
        Map<String, String> base = headers("MCP-Protocol-Version", V, "Mcp-Method", "tools/call");
        assertError(post(call, base), 400, 7, -32020, "Mcp-Name header is missing");
        Map<String, String> wrong = new LinkedHashMap<>(base);
        wrong.put("Mcp-Name", "other");
        assertError(post(call, wrong), 400, 7, -32020, "'other' does not match body value 'héllo tool'");
        Map<String, String> bad = new LinkedHashMap<>(base);
        bad.put("Mcp-Name", "=?base64?***?=");
        assertError(post(call, bad), 400, 7, -32020, "not valid =?base64?");
        assertTrue(endpoint.messages.isEmpty());

        Map<String, String> encoded = new LinkedHashMap<>(base);
        encoded.put(
                "Mcp-Name",
                "=?base64?" + Base64.getEncoder().encodeToString("héllo tool".getBytes(StandardCharsets.UTF_8)) + "?=");
        assertEquals(200, post(call, encoded).statusCode());

        String read = modern(8, "resources/read", "\"uri\":\"file:///a b.txt\"");
        assertError(
                post(
                        read,
                        headers(
                                "MCP-Protocol-Version",
                                V,
                                "Mcp-Method",
                                "resources/read",
                                "Mcp-Name",
                                "file:///other")),
                400,
                8,
                -32020,
                "params.uri");
        assertEquals(
                200,
                post(
                                read,
                                headers(
                                        "MCP-Protocol-Version",
                                        V,
                                        "Mcp-Method",
                                        "resources/read",
                                        "Mcp-Name",
                                        "file:///a b.txt"))
                        .statusCode());
        String prompt = modern(9, "prompts/get", "\"name\":\"greet\"");
        assertEquals(
                200,
                post(prompt, headers("MCP-Protocol-Version", V, "Mcp-Method", "prompts/get", "Mcp-Name", " greet "))
                        .statusCode(),
                "surrounding whitespace is tolerated");
        assertEquals(3, endpoint.messages.size());
    }

    @Test
    void mcpParamHeadersMustMirrorTheAnnotatedArguments() throws Exception {
        start();
        endpoint.schema = json("{\"type\":\"object\",\"properties\":{"
                + "\"region\":{\"type\":\"string\",\"x-mcp-header\":\"Region\"},"
                + "\"limits\":{\"type\":\"object\",\"properties\":{\"count\":{\"type\":\"integer\",\"x-mcp-header\":\"Count\"}}},"
                + "\"dry\":{\"type\":\"boolean\",\"x-mcp-header\":\"Dry\"},"
                + "\"rows\":{\"type\":\"array\",\"items\":{\"type\":\"string\",\"x-mcp-header\":\"Row\"}}}}");
        String call = modern(
                50,
                "tools/call",
                "\"name\":\"sql\",\"arguments\":{\"region\":\"Zürich\","
                        + "\"limits\":{\"count\":42},\"dry\":true,\"rows\":[\"a\"]}");
        String zurich =
                "=?base64?" + Base64.getEncoder().encodeToString("Zürich".getBytes(StandardCharsets.UTF_8)) + "?=";
        Map<String, String> all = headers(
                "MCP-Protocol-Version",
                V,
                "Mcp-Method",
                "tools/call",
                "Mcp-Name",
                "sql",
                "Mcp-Param-Region",
                zurich,
                "mcp-param-count",
                "42.0",
                "Mcp-Param-Dry",
                "true");
        assertEquals(200, post(call, all).statusCode(), "integers compare numerically; array items are not mirrored");

        Map<String, String> noRegion = new LinkedHashMap<>(all);
        noRegion.remove("Mcp-Param-Region");
        assertError(post(call, noRegion), 400, 50, -32020, "Mcp-Param-Region header is missing");
        Map<String, String> wrongCount = new LinkedHashMap<>(all);
        wrongCount.put("mcp-param-count", "43");
        assertError(
                post(call, wrongCount),
                400,
                50,
                -32020,
                "'43' does not match body value '42' (arguments.limits.count)");
        Map<String, String> wrongDry = new LinkedHashMap<>(all);
        wrongDry.put("Mcp-Param-Dry", "TRUE");
        assertError(post(call, wrongDry), 400, 50, -32020, "Mcp-Param-Dry");

        String withoutValues = modern(51, "tools/call", "\"name\":\"sql\",\"arguments\":{}");
        assertEquals(
                200,
                post(withoutValues, headers("MCP-Protocol-Version", V, "Mcp-Method", "tools/call", "Mcp-Name", "sql"))
                        .statusCode(),
                "no value, no header expected");
        assertEquals(2, endpoint.messages.size());
    }

    @Test
    void aModernVersionHeaderOnABodyWithoutAClaimIsInvalidParams() throws Exception {
        start();
        HttpResponse<String> response = post(
                "{\"jsonrpc\":\"2.0\",\"id\":10,\"method\":\"tools/list\",\"params\":{}}",
                headers("MCP-Protocol-Version", V, "Mcp-Method", "tools/list"));
        assertError(response, 400, 10, -32602, "params._meta has no");
        assertTrue(endpoint.messages.isEmpty());
    }

    @Test
    void theEndpointsStatusAndErrorAreWrittenAsTheyAreAndAFailureIsA500WithTheId() throws Exception {
        start();
        endpoint.behaviour = (message, stream) -> CompletableFuture.completedFuture(new ModernEndpoint.Reply(
                Map.of(
                        "jsonrpc",
                        "2.0",
                        "id",
                        message.get("id"),
                        "error",
                        Map.of("code", -32601, "message", "Method not found: nope/nope")),
                404));
        assertError(
                post(modern(11, "nope/nope", ""), headers("MCP-Protocol-Version", V, "Mcp-Method", "nope/nope")),
                404,
                11,
                -32601,
                "nope/nope");
        endpoint.behaviour = (message, stream) -> CompletableFuture.failedFuture(new IllegalStateException("boom"));
        HttpResponse<String> failed =
                post(modern(12, "tools/list", ""), headers("MCP-Protocol-Version", V, "Mcp-Method", "tools/list"));
        assertError(failed, 500, 12, -32603, "internal error while serving tools/list");
        assertFalse(failed.body().contains("boom"), failed.body());
    }

    @Test
    void notificationsGet202WithNoBody() throws Exception {
        start();
        endpoint.behaviour =
                (message, stream) -> CompletableFuture.completedFuture(new ModernEndpoint.Reply(null, 202));
        HttpResponse<String> response = post(
                modern(null, "notifications/initialized", ""),
                headers("MCP-Protocol-Version", V, "Mcp-Method", "notifications/initialized"));
        assertEquals(202, response.statusCode(), response.body());
        assertEquals("", response.body());
        assertEquals(1, endpoint.messages.size());
    }

    @Test
    void getAndDeleteWithAModernVersionHeaderGet405() throws Exception {
        start();
        for (String method : List.of("GET", "DELETE")) {
            HttpResponse<String> response = http.send(
                    request(headers("MCP-Protocol-Version", V))
                            .method(method, HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(405, response.statusCode(), method + ": " + response.body());
            assertEquals("POST", response.headers().firstValue("Allow").orElse(""));
        }
    }

    @Test
    void notificationsAreStreamedAsSseWithUniqueIdsAndTheResponseLast() throws Exception {
        start();
        endpoint.behaviour = (message, stream) -> {
            for (int i = 1; i <= 2; i++) {
                stream.accept(Map.of(
                        "jsonrpc",
                        "2.0",
                        "method",
                        "notifications/progress",
                        "params",
                        Map.of("progressToken", "p", "progress", i)));
            }
            return CompletableFuture.completedFuture(new ModernEndpoint.Reply(
                    result(message.get("id"), Map.of("resultType", "complete", "content", List.of())), 200));
        };
        HttpResponse<String> response = post(
                modern(13, "tools/call", "\"name\":\"slow\""),
                headers("MCP-Protocol-Version", V, "Mcp-Method", "tools/call", "Mcp-Name", "slow"));
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        assertEquals("no", response.headers().firstValue("X-Accel-Buffering").orElse(""));
        assertTrue(response.headers().firstValue("Mcp-Session-Id").isEmpty());
        List<String> ids = new ArrayList<>();
        List<Map<String, Object>> data = new ArrayList<>();
        for (String line : response.body().split("\n")) {
            if (line.startsWith("id: ")) {
                ids.add(line.substring(4));
            } else if (line.startsWith("data: ")) {
                data.add(json(line.substring(6)));
            }
        }
        assertEquals(3, data.size(), response.body());
        assertEquals(3, new HashSet<>(ids).size(), "every event has its own id: " + ids);
        assertEquals("notifications/progress", data.get(0).get("method"));
        assertEquals(13, ((Number) data.get(2).get("id")).intValue(), "the response is the last event");
    }

    @Test
    void aLongRequestGetsKeepAlivesAndTheClientLeavingCancelsIt() throws Exception {
        start(null, 65536, Duration.ofMillis(50));
        endpoint.behaviour = (message, stream) -> new CompletableFuture<>();
        HttpResponse<InputStream> response = http.send(
                request(headers("MCP-Protocol-Version", V, "Mcp-Method", "subscriptions/listen"))
                        .POST(HttpRequest.BodyPublishers.ofString(
                                modern(14, "subscriptions/listen", "\"notifications\":{\"toolsListChanged\":true}")))
                        .build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String line = lines.readLine();
            while (line != null && line.isEmpty()) {
                line = lines.readLine();
            }
            assertEquals(":", line, "a keep-alive comment");
        }
        await().atMost(Duration.ofSeconds(20))
                .until(() -> endpoint.futures.get(0).isCancelled());
    }

    @Test
    void aClientClosingItsConnectionCancelsTheRequestWithoutWaitingForAWrite() throws Exception {
        // No keep-alive falls due during the test: only the connection's end can tell the server the client left.
        start(null, 65536, Duration.ofMinutes(10));
        endpoint.behaviour = (message, stream) -> new CompletableFuture<>();
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.getOutputStream().write(rawPost(modern(60, "tools/call", "\"name\":\"slow\""), "slow"));
            await().atMost(Duration.ofSeconds(20)).until(() -> endpoint.futures.size() == 1);
            assertFalse(endpoint.futures.get(0).isDone());
        }
        await().atMost(Duration.ofSeconds(20))
                .until(() -> endpoint.futures.get(0).isCancelled());
    }

    @Test
    void aConnectionWhoseRequestWasAnsweredServesTheNextRequest() throws Exception {
        start(null, 65536, Duration.ofMinutes(10));
        CompletableFuture<ModernEndpoint.Reply> first = new CompletableFuture<>();
        endpoint.behaviour = (message, stream) -> first;
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            InputStream in = socket.getInputStream();
            socket.getOutputStream().write(rawPost(modern(61, "tools/call", "\"name\":\"slow\""), "slow"));
            await().atMost(Duration.ofSeconds(20)).until(() -> endpoint.futures.size() == 1);
            // Answered while the server watches the connection for the client leaving: the watch ends with it.
            first.complete(new ModernEndpoint.Reply(result(61, Map.of("resultType", "complete")), 200));
            assertTrue(readResponse(in).contains("\"id\":61"));
            endpoint.behaviour = (message, stream) -> CompletableFuture.completedFuture(
                    new ModernEndpoint.Reply(result(message.get("id"), Map.of("resultType", "complete")), 200));
            socket.getOutputStream().write(rawPost(modern(62, "tools/call", "\"name\":\"quick\""), "quick"));
            assertTrue(readResponse(in).contains("\"id\":62"));
        }
        assertFalse(endpoint.futures.get(0).isCancelled());
    }

    @Test
    void aClientSendingItsNextRequestAsSoonAsItHasAReplyLosesNoRequest() throws Exception {
        start(null, 65536, Duration.ofMinutes(10));
        // Answered a moment later, so each request is watched for the client leaving while it runs; the client sends
        // its next request the moment it has read a reply, as a keep-alive HTTP client does.
        endpoint.behaviour = (message, stream) -> CompletableFuture.supplyAsync(
                () -> new ModernEndpoint.Reply(result(message.get("id"), Map.of("resultType", "complete")), 200),
                CompletableFuture.delayedExecutor(1, TimeUnit.MILLISECONDS));
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            InputStream in = socket.getInputStream();
            for (int id = 1; id <= 400; id++) {
                socket.getOutputStream().write(rawPost(modern(id, "tools/call", "\"name\":\"next\""), "next"));
                String response = readResponse(in);
                assertTrue(response.contains("\"id\":" + id + ","), "request " + id + ": " + response);
            }
        }
    }

    /** A 2026-07-28 tools/call POST as raw HTTP/1.1 bytes (the connection stays open after it). */
    private static byte[] rawPost(String body, String tool) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String head = "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Accept: application/json\r\nMCP-Protocol-Version: " + V + "\r\nMcp-Method: tools/call\r\n"
                + "Mcp-Name: " + tool + "\r\nContent-Length: " + bytes.length + "\r\n\r\n";
        byte[] all = new byte[head.length() + bytes.length];
        System.arraycopy(head.getBytes(StandardCharsets.US_ASCII), 0, all, 0, head.length());
        System.arraycopy(bytes, 0, all, head.length(), bytes.length);
        return all;
    }

    /** One HTTP/1.1 response with a Content-Length: its status line and body. */
    private static String readResponse(InputStream in) throws Exception {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new AssertionError("the connection ended within a response's head: " + head);
            }
            head.append((char) c);
        }
        int length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        return head.toString().lines().findFirst().orElse("") + "\n"
                + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    @Test
    void bearerTokenOriginHostAndSizeChecksApplyToModernRequests() throws Exception {
        start(TOKEN, 4096, Duration.ofSeconds(30));
        Map<String, String> ok = headers("MCP-Protocol-Version", V, "Mcp-Method", "tools/list");
        String body = modern(15, "tools/list", "");
        assertEquals(401, post(body, ok).statusCode());
        Map<String, String> auth = new LinkedHashMap<>(ok);
        auth.put("Authorization", "Bearer " + TOKEN);
        assertEquals(200, post(body, auth).statusCode());
        assertEquals(TOKEN, endpoint.tokens.get(0));

        Map<String, String> evilOrigin = new LinkedHashMap<>(auth);
        evilOrigin.put("Origin", "http://evil.example.com");
        assertEquals(403, post(body, evilOrigin).statusCode());
        Map<String, String> localOrigin = new LinkedHashMap<>(auth);
        localOrigin.put("Origin", "http://localhost:3000");
        assertEquals(200, post(body, localOrigin).statusCode());

        String big = modern(16, "tools/list", "\"pad\":\"" + "x".repeat(5000) + "\"");
        assertEquals(413, post(big, auth).statusCode());
        // without a Content-Length the body is still counted while it is read
        HttpResponse<String> chunked = http.send(
                request(auth)
                        .POST(HttpRequest.BodyPublishers.ofInputStream(
                                () -> new ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8))))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertError(chunked, 413, null, -32600, "4096 byte limit");
        assertEquals(2, endpoint.messages.size());
    }

    /** RFC 9110 section 11.1: the auth scheme is case-insensitive, so {@code bearer TOKEN} is accepted too. */
    @Test
    void theBearerSchemeIsMatchedWithoutRegardToCase() throws Exception {
        start(TOKEN, 65536, Duration.ofSeconds(30));
        Map<String, String> ok = headers("MCP-Protocol-Version", V, "Mcp-Method", "tools/list");
        String body = modern(30, "tools/list", "");
        String ping = "{\"jsonrpc\":\"2.0\",\"id\":31,\"method\":\"ping\"}";
        for (String accepted : List.of("Bearer " + TOKEN, "bearer " + TOKEN, "BEARER " + TOKEN, "bEaReR  " + TOKEN)) {
            Map<String, String> auth = new LinkedHashMap<>(ok);
            auth.put("Authorization", accepted);
            assertEquals(200, post(body, auth).statusCode(), accepted);
            // a legacy request without a session: past the token check, the SDK refuses it for want of a session
            assertNotEquals(401, post(ping, headers("Authorization", accepted)).statusCode(), accepted);
        }
        assertEquals(List.of(TOKEN, TOKEN, TOKEN, TOKEN), endpoint.tokens);
        // Only the scheme: the token itself is compared exactly, also on a connection that just sent the right one
        // (Jetty's header cache matches values without regard to case unless told otherwise).
        Map<String, String> right = new LinkedHashMap<>(ok);
        right.put("Authorization", "Bearer " + TOKEN);
        Map<String, String> upper = new LinkedHashMap<>(ok);
        upper.put("Authorization", "Bearer " + TOKEN.toUpperCase(java.util.Locale.ROOT));
        assertEquals(200, post(body, right).statusCode());
        assertEquals(401, post(body, upper).statusCode(), "a token differing in case was accepted");
        for (String refused : List.of(
                "bearer not-the-token", "Basic " + TOKEN, "Bearer" + TOKEN, TOKEN, "Bearer " + TOKEN + "x", "bearer")) {
            Map<String, String> auth = new LinkedHashMap<>(ok);
            auth.put("Authorization", refused);
            assertEquals(401, post(body, auth).statusCode(), refused);
            assertEquals(401, post(ping, headers("Authorization", refused)).statusCode(), refused);
        }
        assertEquals(5, endpoint.messages.size());
    }

    @Test
    void dnsRebindingHostsAreRefusedForBothEras() throws Exception {
        start();
        // java.net.http forbids setting Host; a raw socket sends it
        for (String body :
                List.of(modern(17, "tools/list", ""), "{\"jsonrpc\":\"2.0\",\"id\":18,\"method\":\"ping\"}")) {
            try (var socket = new Socket("127.0.0.1", server.port())) {
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                String head = "POST /mcp HTTP/1.1\r\nHost: evil.example.com\r\nContent-Type: application/json\r\n"
                        + "Accept: application/json, text/event-stream\r\nMCP-Protocol-Version: " + V
                        + "\r\nMcp-Method: tools/list\r\nContent-Length: " + bytes.length
                        + "\r\nConnection: close\r\n\r\n";
                socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().write(bytes);
                String status = new BufferedReader(
                                new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                        .readLine();
                int code = Integer.parseInt(status.split(" ")[1]);
                assertTrue(code >= 400 && code < 500, status);
            }
        }
        assertTrue(endpoint.messages.isEmpty());
    }

    @Test
    void malformedBodiesOfEitherEraGet400NamingTheProblem() throws Exception {
        start();
        assertError(post("{oops", Map.of()), 400, null, -32700, "not JSON");
        assertError(
                post("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}]", Map.of()),
                400,
                null,
                -32600,
                "batches are not supported");
        assertError(post("42", Map.of()), 400, null, -32600, "one JSON-RPC message");
    }

    private HttpResponse<String> delete(String session) throws Exception {
        return http.send(
                request(headers("Mcp-Session-Id", session, "MCP-Protocol-Version", "2025-11-25"))
                        .DELETE()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aLegacySessionItsClientDeletesIsToldToSessionEndsUnderTheSdksId() throws Exception {
        start(new StreamableHttpServer.Options("127.0.0.1", 0, "/mcp", null, 65536).withReplicaId("r1"));
        List<String> ended = new CopyOnWriteArrayList<>();
        server.sessionEnds().onEnded(ended::add);
        String session = initialize();
        assertTrue(session.startsWith("r1."), session);

        assertEquals(404, delete("r1.no-such-session").statusCode());
        assertEquals(200, delete(session).statusCode());
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertEquals(
                        List.of(session.substring("r1.".length())),
                        ended,
                        "once, under the id every exchange of the session has; a DELETE that ended nothing is not"
                                + " told"));
        assertEquals(404, delete(session).statusCode());
        assertEquals(1, ended.size());
    }

    // Issue 16 item 6: the legacy wire's error paths.

    private String initialize() throws Exception {
        HttpResponse<String> init = post(
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
                        + "\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"c\",\"version\":\"1\"}}}",
                Map.of());
        String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
        post(
                "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}",
                headers("Mcp-Session-Id", session, "MCP-Protocol-Version", "2025-11-25"));
        return session;
    }

    @Test
    void legacyInitializeWithoutParamsIs400NamingTheMissingParams() throws Exception {
        start();
        assertError(
                post("{\"jsonrpc\":\"2.0\",\"id\":21,\"method\":\"initialize\"}", Map.of()),
                400,
                21,
                -32602,
                "params is missing");
        assertError(
                post(
                        "{\"jsonrpc\":\"2.0\",\"id\":22,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                                + "\"2025-11-25\",\"clientInfo\":{\"name\":\"c\"}}}",
                        Map.of()),
                400,
                22,
                -32602,
                "params.capabilities");
    }

    @Test
    void legacyRequestsWithAnUnsupportedProtocolVersionHeaderAre400() throws Exception {
        start();
        String session = initialize();
        assertError(
                post(
                        "{\"jsonrpc\":\"2.0\",\"id\":23,\"method\":\"tools/list\"}",
                        headers("Mcp-Session-Id", session, "MCP-Protocol-Version", "1999-01-01")),
                400,
                23,
                -32600,
                "unsupported MCP-Protocol-Version header '1999-01-01'");
        HttpResponse<String> good = post(
                "{\"jsonrpc\":\"2.0\",\"id\":24,\"method\":\"tools/list\"}",
                headers("Mcp-Session-Id", session, "MCP-Protocol-Version", "2025-11-25"));
        assertEquals(200, good.statusCode(), good.body());
    }

    @Test
    void legacyErrorsTheSdkWritesCarryTheRequestId() throws Exception {
        start();
        assertError(
                post(
                        "{\"jsonrpc\":\"2.0\",\"id\":25,\"method\":\"tools/list\"}",
                        headers("Mcp-Session-Id", "no-such-session")),
                404,
                25,
                -32600,
                "Session not found");
        assertError(
                post("{\"jsonrpc\":\"2.0\",\"id\":\"x26\",\"method\":\"tools/list\"}", Map.of()),
                400,
                "x26",
                -32600,
                "Session ID required");
    }

    @Test
    void anAnswerToARequestNobodyWaitsForIsAcceptedAndDropped() throws Exception {
        start();
        String session = initialize();
        // A response to a request the server never sent (or no longer waits for: a late elicitation answer). The
        // SDK fails with "Unexpected response for unknown id", which was answered 500 "internal error".
        HttpResponse<String> response =
                post("{\"jsonrpc\":\"2.0\",\"id\":27,\"result\":{}}", headers("Mcp-Session-Id", session));
        assertEquals(202, response.statusCode(), response.body());
        assertEquals("", response.body());
    }

    @Test
    void legacySseEventsHaveUniqueIdsAndTheUnknownToolIsNamed() throws Exception {
        start();
        String session = initialize();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> response = post(
                    "{\"jsonrpc\":\"2.0\",\"id\":" + (30 + i) + ",\"method\":\"tools/call\","
                            + "\"params\":{\"name\":\"no_such_tool\",\"arguments\":{}}}",
                    headers("Mcp-Session-Id", session));
            assertEquals(200, response.statusCode(), response.body());
            assertTrue(response.body().contains("Unknown tool: 'no_such_tool'"), response.body());
            assertFalse(response.body().contains("invalid_tool_name"), response.body());
            for (String line : response.body().split("\n")) {
                if (line.startsWith("id: ")) {
                    assertTrue(ids.add(line.substring(4)), "event id repeated: " + line);
                }
            }
        }
        assertEquals(2, ids.size());
        assertNotEquals(session, ids.iterator().next());
    }

    @Test
    void legacyMessagesTheSdkCannotDecodeGet400NamingTheProblem() throws Exception {
        start();
        String session = initialize();
        Map<String, String> h = headers("Mcp-Session-Id", session);
        assertError(post("{\"jsonrpc\":\"2.0\",\"id\":40}", h), 400, 40, -32600, "no \"method\"");
        assertError(post("{\"id\":41,\"method\":\"tools/list\"}", h), 400, 41, -32600, "\"jsonrpc\" must be \"2.0\"");
        assertError(
                post("{\"jsonrpc\":\"2.0\",\"id\":{\"a\":1},\"method\":\"tools/list\"}", h),
                400,
                null,
                -32600,
                "id must be a string or a number");
        assertError(
                post("{\"jsonrpc\":\"2.0\",\"id\":42,\"method\":\"tools/call\",\"params\":\"x\"}", h),
                400,
                42,
                -32600,
                "\"params\" must be an object");
        assertError(
                post("{\"jsonrpc\":\"2.0\",\"id\":43,\"method\":\"tools/call\"}", h),
                400,
                43,
                -32602,
                "tools/call: params.name is missing");
        assertError(
                post(
                        "{\"jsonrpc\":\"2.0\",\"id\":44,\"method\":\"tools/call\",\"params\":{\"name\":\"t\","
                                + "\"arguments\":\"x\"}}",
                        h),
                400,
                44,
                -32602,
                "params.arguments must be an object");
        assertError(
                post(
                        "{\"jsonrpc\":\"2.0\",\"id\":45,\"method\":\"logging/setLevel\",\"params\":{\"level\":"
                                + "\"loud\"}}",
                        h),
                400,
                45,
                -32602,
                "params.level must be one of debug");
        // A malformed completion/complete got a 200 with an empty body: the client waited for its timeout.
        assertError(
                post("{\"jsonrpc\":\"2.0\",\"id\":46,\"method\":\"completion/complete\",\"params\":{}}", h),
                400,
                46,
                -32602,
                "completion/complete: params.ref is missing or not an object");
        assertError(
                post(
                        "{\"jsonrpc\":\"2.0\",\"id\":47,\"method\":\"completion/complete\",\"params\":{\"ref\":"
                                + "{\"type\":\"ref/prompt\",\"name\":\"p\"},\"argument\":{\"name\":\"a\"}}}",
                        h),
                400,
                47,
                -32602,
                "completion/complete: params.argument must be an object with string name and value");
    }

    // Issue 12 item 4: legacy session ids that name their replica.

    @Test
    void aReplicasSessionIdsStartWithItsRouteAndOtherRoutesAre404NamingTheReplica() throws Exception {
        start(new StreamableHttpServer.Options("127.0.0.1", 0, "/mcp", null, 65536).withReplicaId("r-1"));
        String session = initialize();
        assertTrue(session.matches("r-1\\.[0-9a-f-]{36}"), session);
        HttpResponse<String> list = post(
                "{\"jsonrpc\":\"2.0\",\"id\":50,\"method\":\"tools/list\"}",
                headers("Mcp-Session-Id", session, "MCP-Protocol-Version", "2025-11-25"));
        assertEquals(200, list.statusCode(), list.body());
        assertTrue(list.body().contains("\"tools\""), list.body());
        String uuid = session.substring(4);
        assertError(
                post(
                        "{\"jsonrpc\":\"2.0\",\"id\":51,\"method\":\"tools/list\"}",
                        headers("Mcp-Session-Id", "r-2." + uuid)),
                404,
                51,
                -32600,
                "session r-2." + uuid + " lives on Toolhost replica 'r-2', and this is replica 'r-1'");
        // An id without a route is passed on as it is: the route is a routing hint, the UUID names the session.
        assertError(
                post(
                        "{\"jsonrpc\":\"2.0\",\"id\":52,\"method\":\"tools/list\"}",
                        headers("Mcp-Session-Id", "no-such-session")),
                404,
                52,
                -32600,
                "Session not found");
        // Modern requests carry no session and are not touched.
        HttpResponse<String> modern =
                post(modern(53, "tools/list", ""), headers("MCP-Protocol-Version", V, "Mcp-Method", "tools/list"));
        assertEquals(200, modern.statusCode(), modern.body());
        assertTrue(modern.headers().firstValue("Mcp-Session-Id").isEmpty());
    }

    @Test
    void aReplicaIdMustBeSafeInAHeaderAndAnNginxRegex() {
        for (String bad : List.of("", "a.b", "a b", "x".repeat(33), "é")) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
                    IllegalArgumentException.class,
                    () -> new StreamableHttpServer.Options("127.0.0.1", 0, "/mcp", null, 65536).withReplicaId(bad));
            assertTrue(e.getMessage().contains("replica id must be 1 to 32 letters"), e.getMessage());
        }
    }
}
