package dev.toolhost.mcp.client.modern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The tasks extension against the JDK's HTTP server playing a server that answers tools/call with a task. */
class TasksTest {
    private final List<Map<String, Object>> requests = new CopyOnWriteArrayList<>();
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final AtomicInteger polls = new AtomicInteger();
    private HttpServer server;

    /** @param finishAfter polls answered "working" before "completed" */
    private ModernClient serve(int finishAfter) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/mcp", exchange -> {
            Map<String, Object> body =
                    Json.parseObject(exchange.getRequestBody().readAllBytes());
            requests.add(body);
            String id = Json.MAPPER.writeValueAsString(body.get("id"));
            String result = switch ((String) body.get("method")) {
                case "tools/call" ->
                    "{\"resultType\":\"task\",\"taskId\":\"t-1\",\"status\":\"working\","
                            + "\"createdAt\":\"2026-01-01T00:00:00Z\",\"lastUpdatedAt\":\"2026-01-01T00:00:00Z\","
                            + "\"ttlMs\":60000,\"pollIntervalMs\":20}";
                case "tasks/get" ->
                    polls.incrementAndGet() <= finishAfter
                            ? "{\"resultType\":\"complete\",\"taskId\":\"t-1\",\"status\":\"working\"}"
                            : "{\"resultType\":\"complete\",\"taskId\":\"t-1\",\"status\":\"completed\",\"result\":"
                                    + "{\"content\":[{\"type\":\"text\",\"text\":\"done\"}]}}";
                default -> "{\"resultType\":\"complete\"}";
            };
            send(exchange, "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":" + result + "}");
        });
        server.start();
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/mcp");
        return new ModernClient(
                new HttpWire(uri, HttpHooks.headers(Map.of()), Duration.ofSeconds(5), executor),
                "s",
                Map.of("name", "toolhost", "version", "1"),
                w -> {});
    }

    private static void send(HttpExchange exchange, String body) throws IOException {
        try (exchange) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @AfterEach
    void stop() {
        server.stop(0);
        executor.shutdownNow();
    }

    @Test
    void aTaskIsPolledToItsResultAndTheExtensionIsDeclared() throws Exception {
        try (ModernClient client = serve(2)) {
            Outcome<Map<String, Object>> outcome = client.callTool(
                            "slow", Map.of(), Map.of(), null, RequestMeta.local(), null, n -> {}, r -> r)
                    .get(10, TimeUnit.SECONDS);
            Map<?, ?> result = (Map<?, ?>)
                    assertInstanceOf(Outcome.Complete.class, outcome).result();
            assertEquals(List.of(Map.of("type", "text", "text", "done")), result.get("content"));
        }
        assertEquals(3, polls.get());
        Map<?, ?> meta = (Map<?, ?>) ((Map<?, ?>) requests.get(0).get("params")).get("_meta");
        Map<?, ?> caps = (Map<?, ?>) meta.get(ModernProtocol.META_CLIENT_CAPABILITIES);
        assertEquals(Map.of(Tasks.EXTENSION, Map.of()), caps.get("extensions"));
        assertEquals(Map.of("taskId", "t-1"), withoutMeta(requests.get(1)));
    }

    @Test
    void givingUpOnATaskCancelsIt() throws Exception {
        try (ModernClient client = serve(Integer.MAX_VALUE)) {
            CompletableFuture<Outcome<Map<String, Object>>> call =
                    client.callTool("slow", Map.of(), Map.of(), null, RequestMeta.local(), null, n -> {}, r -> r);
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> polls.get() >= 1);
            call.cancel(true);
            Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> requests.stream().anyMatch(r -> "tasks/cancel".equals(r.get("method"))));
        }
        Map<String, Object> cancel = requests.stream()
                .filter(r -> "tasks/cancel".equals(r.get("method")))
                .findFirst()
                .orElseThrow();
        assertEquals(Map.of("taskId", "t-1"), withoutMeta(cancel));
        assertTrue(polls.get() >= 1);
    }

    private static Map<?, ?> withoutMeta(Map<String, Object> request) {
        Map<String, Object> params = new HashMap<>(Json.object(request.get("params")));
        params.remove("_meta");
        return params;
    }
}
