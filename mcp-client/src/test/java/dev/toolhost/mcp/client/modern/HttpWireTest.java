package dev.toolhost.mcp.client.modern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.toolhost.mcp.core.Outcome;
import dev.toolhost.mcp.core.RequestMeta;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The 2026-07-28 HTTP client against the JDK's HTTP server playing a scripted MCP server: headers, version
 * negotiation, a broken response stream re-issued under a new id, notifications on a request's stream.
 */
class HttpWireTest {
    private record Seen(Map<String, Object> body, Map<String, String> headers) {}

    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private HttpServer server;

    private URI serve(BiConsumer<Integer, HttpExchange> answer) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/mcp", exchange -> {
            Map<String, Object> body =
                    Json.parseObject(exchange.getRequestBody().readAllBytes());
            Map<String, String> headers = new HashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), v.get(0)));
            seen.add(new Seen(body, headers));
            answer.accept(seen.size(), exchange);
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/mcp");
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
        executor.shutdownNow();
    }

    private static void send(HttpExchange exchange, int status, String type, String body) {
        try (exchange) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String id(HttpExchange e, List<Seen> seen, int n) {
        return Json.MAPPER.writeValueAsString(seen.get(n - 1).body().get("id"));
    }

    private ModernClient client(URI uri) {
        return new ModernClient(
                new HttpWire(
                        uri, HttpHooks.headers(Map.of("Authorization", "Bearer t")), Duration.ofSeconds(5), executor),
                "s",
                Map.of("name", "toolhost", "version", "1"),
                w -> {});
    }

    @Test
    void aRejectedVersionIsRetriedAtTheOneTheServerNamesWithEveryHeader() throws Exception {
        URI uri = serve((n, e) -> {
            if (n == 1) {
                send(
                        e,
                        400,
                        "application/json",
                        "{\"jsonrpc\":\"2.0\",\"id\":" + id(e, seen, n) + ",\"error\":"
                                + "{\"code\":-32022,\"message\":\"Unsupported\",\"data\":{\"supported\":[\"2026-07-28\"]}}}");
            } else {
                send(
                        e,
                        200,
                        "application/json",
                        "{\"jsonrpc\":\"2.0\",\"id\":" + id(e, seen, n) + ",\"result\":"
                                + "{\"resultType\":\"complete\",\"supportedVersions\":[\"2026-07-28\"],\"capabilities\":"
                                + "{\"tools\":{}},\"_meta\":{\"io.modelcontextprotocol/serverInfo\":{\"name\":\"x\"}}}}");
            }
        });
        try (ModernClient client = client(uri)) {
            ModernClient.Discovery d = client.discover().get(10, TimeUnit.SECONDS);
            assertEquals("x", d.serverInfo().get("name"));
        }
        assertEquals(2, seen.size());
        assertNotEquals(seen.get(0).body().get("id"), seen.get(1).body().get("id"));
        for (Seen s : seen) {
            assertEquals("2026-07-28", s.headers().get("mcp-protocol-version"));
            assertEquals("server/discover", s.headers().get("mcp-method"));
            assertEquals("Bearer t", s.headers().get("authorization"));
            Map<?, ?> meta = (Map<?, ?>) ((Map<?, ?>) s.body().get("params")).get("_meta");
            assertEquals("2026-07-28", meta.get(ModernProtocol.META_PROTOCOL_VERSION));
            assertEquals(Map.of(), meta.get(ModernProtocol.META_CLIENT_CAPABILITIES));
        }
    }

    @Test
    void aBrokenStreamIsReissuedOnceUnderANewIdAndNotificationsReachTheCall() throws Exception {
        URI uri = serve((n, e) -> {
            if (n == 1) {
                // priming event, a progress notification, then the stream ends without the answer
                send(e, 200, "text/event-stream", "id: 1\nretry: 10\ndata:\n\n: ping\n\n");
            } else {
                send(
                        e,
                        200,
                        "text/event-stream",
                        "data: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\","
                                + "\"params\":{\"progressToken\":\"t-1\",\"progress\":1}}\n\n"
                                + "data: {\"jsonrpc\":\"2.0\",\"id\":" + id(e, seen, n) + ",\"result\":{\"content\":"
                                + "[{\"type\":\"text\",\"text\":\"ok\"}]}}\n\n");
            }
        });
        List<Map<String, Object>> notifications = new ArrayList<>();
        try (ModernClient client = client(uri)) {
            Outcome<Map<String, Object>> outcome = client.callTool(
                            "the tool",
                            Map.of("q", 1),
                            Map.of(),
                            null,
                            // as ServerConnection passes it to a server without forward_roots
                            RequestMeta.local().withoutRoots(),
                            "t-1",
                            notifications::add,
                            r -> r)
                    .get(10, TimeUnit.SECONDS);
            Outcome.Complete<?> done = assertInstanceOf(Outcome.Complete.class, outcome);
            assertEquals(List.of(Map.of("type", "text", "text", "ok")), ((Map<?, ?>) done.result()).get("content"));
        }
        assertEquals(2, seen.size());
        assertNotEquals(seen.get(0).body().get("id"), seen.get(1).body().get("id"));
        assertEquals("tools/call", seen.get(1).headers().get("mcp-method"));
        assertEquals("the tool", seen.get(1).headers().get("mcp-name"));
        assertEquals(1, notifications.size());
        Map<?, ?> meta = (Map<?, ?>) ((Map<?, ?>) seen.get(1).body().get("params")).get("_meta");
        assertEquals("t-1", meta.get("progressToken"));
        assertEquals(
                Map.of("elicitation", Map.of(), "sampling", Map.of(), "extensions", Map.of(Tasks.EXTENSION, Map.of())),
                meta.get(ModernProtocol.META_CLIENT_CAPABILITIES),
                "what the local caller can answer, and tasks, nothing more");
    }

    @Test
    void anAuthorizationErrorTheHooksCanRecoverFromIsSentAgainWithTheNewToken() throws Exception {
        URI uri = serve((n, e) -> {
            if (n == 1) {
                send(e, 401, "application/json", "{}");
            } else {
                send(e, 200, "application/json", "{\"jsonrpc\":\"2.0\",\"id\":" + id(e, seen, n) + ",\"result\":{}}");
            }
        });
        AtomicInteger tokens = new AtomicInteger();
        HttpHooks hooks = new HttpHooks(
                io.modelcontextprotocol.client.transport.customizer.McpAsyncHttpClientRequestCustomizer.fromSync(
                        (b, method, target, body, context) ->
                                b.setHeader("Authorization", "Bearer token-" + tokens.incrementAndGet())),
                (request, response, context) -> reactor.core.publisher.Mono.just(response.statusCode() == 401));
        try (ModernClient client = new ModernClient(
                new HttpWire(uri, hooks, Duration.ofSeconds(5), executor),
                "s",
                Map.of("name", "toolhost", "version", "1"),
                w -> {})) {
            client.request("ping/anything", Map.of(), null).get(10, TimeUnit.SECONDS);
        }
        assertEquals(
                List.of("Bearer token-1", "Bearer token-2"),
                seen.stream().map(s -> s.headers().get("authorization")).toList());
    }
}
