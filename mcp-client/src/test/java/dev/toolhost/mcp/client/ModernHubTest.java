package dev.toolhost.mcp.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.toolhost.config.McpServerConfig;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * The hub's 2026-07-28 path against the JDK's HTTP server scripted as a modern server: lists are not fetched
 * again while their {@code ttlMs} holds, are fetched again once it has passed, and follow
 * {@code subscriptions/listen}.
 */
class ModernHubTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    private HttpServer server;
    private final AtomicInteger toolLists = new AtomicInteger();
    private final AtomicReference<String> tools = new AtomicReference<>("[" + tool("a") + "]");
    private volatile long ttlMs;
    private volatile boolean listChanged;
    private volatile boolean announceChange;
    /** tools/call answers input_required (an elicitation) unless it carries inputResponses. */
    private volatile boolean askFirst;

    private static String tool(String name) {
        return "{\"name\":\"" + name + "\",\"inputSchema\":{\"type\":\"object\"}}";
    }

    private String start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/mcp", exchange -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> body = JSON.readValue(exchange.getRequestBody().readAllBytes(), Map.class);
            String id = JSON.writeValueAsString(body.get("id"));
            switch (String.valueOf(body.get("method"))) {
                case "server/discover" ->
                    json(
                            exchange,
                            id,
                            "{\"supportedVersions\":[\"2026-07-28\"],\"capabilities\":" + "{\"tools\":{\"listChanged\":"
                                    + listChanged + "}},\"ttlMs\":0,\"cacheScope\":\"private\"}");
                case "tools/list" -> {
                    toolLists.incrementAndGet();
                    json(
                            exchange,
                            id,
                            "{\"resultType\":\"complete\",\"tools\":" + tools.get() + ",\"ttlMs\":" + ttlMs
                                    + ",\"cacheScope\":\"private\"}");
                }
                case "tools/call" ->
                    json(
                            exchange,
                            id,
                            askFirst && !(body.get("params") instanceof Map<?, ?> p && p.containsKey("inputResponses"))
                                    ? "{\"resultType\":\"input_required\",\"inputRequests\":{\"elicitation-1\":"
                                            + "{\"method\":\"elicitation/create\",\"params\":{\"mode\":\"form\","
                                            + "\"message\":\"approve?\",\"requestedSchema\":{\"type\":\"object\","
                                            + "\"properties\":{}}}}}}"
                                    : "{\"content\":[{\"type\":\"text\",\"text\":\"ok\"}]}");
                case "subscriptions/listen" -> {
                    StringBuilder sse = new StringBuilder("data: {\"jsonrpc\":\"2.0\",\"method\":"
                            + "\"notifications/subscriptions/acknowledged\",\"params\":{\"notifications\":"
                            + "{\"toolsListChanged\":true}}}\n\n");
                    if (announceChange) {
                        announceChange = false;
                        tools.set("[" + tool("a") + "," + tool("b") + "]");
                        sse.append("data: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/tools/list_changed\"}\n\n");
                    }
                    send(exchange, "text/event-stream", sse.toString()); // then the stream ends: listened again
                }
                default -> json(exchange, id, "{}");
            }
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/mcp";
    }

    private static void json(HttpExchange exchange, String id, String result) throws IOException {
        send(exchange, "application/json", "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":" + result + "}");
    }

    private static void send(HttpExchange exchange, String type, String body) throws IOException {
        try (exchange) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private McpHub hub(String url) {
        return hub(McpServerConfig.http("s", url));
    }

    private McpHub hub(McpServerConfig server) {
        return McpHub.builder()
                .logDirectory(dir)
                .eraCache(null)
                .onWarning(w -> {})
                .server(server)
                .build();
    }

    /** The same rule as a legacy server's (LocalHubTest): a round out with the caller is not the server's time. */
    @Test
    void timeBetweenAnInputRequiredRoundAndItsRetryDoesNotCountTowardTheToolTimeout() throws Exception {
        askFirst = true;
        HeldAnswer person = new HeldAnswer();
        McpServerConfig s = McpServerConfig.http("s", start())
                .withTimeouts(McpServerConfig.DEFAULT_STARTUP_TIMEOUT, Duration.ofMillis(500));
        try (McpHub hub = hub(s)) {
            CompletableFuture<McpSchema.CallToolResult> call =
                    hub.call("mcp__s__a", Map.of(), new CallContext(p -> {}, l -> {}, person));
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(person::asked);
            // Three times the 500 ms tool_timeout_sec with the question: the call must still be waiting.
            Awaitility.await()
                    .during(Duration.ofMillis(1_500))
                    .atMost(Duration.ofSeconds(3))
                    .until(() -> !call.isDone());
            person.accept(Map.of());
            assertEquals(List.of(new McpSchema.TextContent("ok")), call.join().content());
        }
    }

    @Test
    void listsAreNotFetchedAgainWhileFresh() throws Exception {
        ttlMs = 300_000;
        try (McpHub hub = hub(start())) {
            for (int i = 0; i < 5; i++) {
                McpSchema.CallToolResult r =
                        hub.call("mcp__s__a", Map.of(), CallContext.none()).join();
                assertEquals(List.of(new McpSchema.TextContent("ok")), r.content());
            }
            assertEquals(new McpHub.ServerProtocol("2026-07-28", "2026-07-28"), hub.protocol("s"));
        }
        assertEquals(1, toolLists.get());
    }

    @Test
    void staleListsAreFetchedAgainWhenUsed() throws Exception {
        ttlMs = 0;
        try (McpHub hub = hub(start())) {
            hub.call("mcp__s__a", Map.of(), CallContext.none()).join();
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> toolLists.get() >= 2);
        }
    }

    @Test
    void listChangesArriveThroughSubscriptionsListen() throws Exception {
        ttlMs = 300_000;
        listChanged = true;
        announceChange = true;
        try (McpHub hub = hub(start())) {
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> hub.tool("mcp__s__b") != null);
            assertNotNull(hub.tool("mcp__s__a"));
        }
    }
}
