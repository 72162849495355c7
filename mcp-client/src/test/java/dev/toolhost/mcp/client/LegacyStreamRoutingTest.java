package dev.toolhost.mcp.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.toolhost.config.McpServerConfig;
import dev.toolhost.mcp.client.modern.HttpHooks;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * Legacy streamable HTTP (2025-11-25 {@code basic/transports}): a server's request on one of our calls' POST
 * response streams (or that stream resumed with {@code Last-Event-ID}) reaches that call's caller, even with another
 * caller's call to the same server in flight; one on the standalone GET stream still cannot be told apart and is
 * declined. The server is the JDK's HTTP server scripted as a legacy server: each tool call waits until every call
 * the test makes has arrived, so that they are all in flight when the server asks.
 */
class LegacyStreamRoutingTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private ScriptedServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void eachCallersElicitationReachesOnlyThatCaller() throws Exception {
        server = new ScriptedServer(2);
        try (McpHub hub = hub(false)) {
            Person ada = new Person("ada");
            Person bob = new Person("bob");
            CompletableFuture<McpSchema.CallToolResult> a = hub.call("mcp__s__ask", Map.of(), ada.context());
            CompletableFuture<McpSchema.CallToolResult> b = hub.call("mcp__s__ask", Map.of(), bob.context());
            assertTrue(text(a).contains("\"name\":\"ada\""), text(a));
            assertTrue(text(b).contains("\"name\":\"bob\""), text(b));
            assertEquals(1, ada.asked.size(), ada.asked.toString());
            assertEquals(1, bob.asked.size(), bob.asked.toString());
        }
    }

    @Test
    void aRequestOnAResumedStreamStillReachesItsCaller() throws Exception {
        server = new ScriptedServer(2);
        try (McpHub hub = hub(false)) {
            Person ada = new Person("ada");
            Person bob = new Person("bob");
            CompletableFuture<McpSchema.CallToolResult> a = hub.call("mcp__s__resume", Map.of(), ada.context());
            CompletableFuture<McpSchema.CallToolResult> b = hub.call("mcp__s__resume", Map.of(), bob.context());
            assertTrue(text(a).contains("\"name\":\"ada\""), text(a));
            assertTrue(text(b).contains("\"name\":\"bob\""), text(b));
            assertEquals(2, server.resumptions.size(), "both streams were resumed: " + server.resumptions);
        }
    }

    /** A refusal goes back as the SDK session would send it: an McpError's own error, else -32603 with its message. */
    @Test
    void aCallersRefusalToSampleReachesTheServerAsThatCallersError() throws Exception {
        server = new ScriptedServer(2);
        try (McpHub hub = hub(false)) {
            Person ada = new Person("ada");
            Person bob = new Person("bob");
            CompletableFuture<McpSchema.CallToolResult> a = hub.call("mcp__s__sample", Map.of(), ada.context());
            CompletableFuture<McpSchema.CallToolResult> b = hub.call("mcp__s__sample", Map.of(), bob.context());
            assertTrue(text(a).contains("\"code\":-32042") && text(a).contains("ada will not sample"), text(a));
            assertTrue(text(b).contains("\"code\":-32603") && text(b).contains("bob cannot sample"), text(b));
        }
    }

    @Test
    void forwardedRootsAreEachCallersOwn() throws Exception {
        server = new ScriptedServer(2);
        try (McpHub hub = hub(true)) {
            CompletableFuture<McpSchema.CallToolResult> a =
                    hub.call("mcp__s__roots", Map.of(), new Person("ada").context());
            CompletableFuture<McpSchema.CallToolResult> b =
                    hub.call("mcp__s__roots", Map.of(), new Person("bob").context());
            assertTrue(text(a).contains("file:///ada") && !text(a).contains("bob"), text(a));
            assertTrue(text(b).contains("file:///bob") && !text(b).contains("ada"), text(b));
        }
    }

    @Test
    void aRequestOnTheStandaloneStreamIsStillDeclinedWhileTwoCallsAreInFlight() throws Exception {
        server = new ScriptedServer(2);
        try (McpHub hub = hub(false)) {
            Person ada = new Person("ada");
            Person bob = new Person("bob");
            CompletableFuture<McpSchema.CallToolResult> a = hub.call("mcp__s__aside", Map.of(), ada.context());
            CompletableFuture<McpSchema.CallToolResult> b = hub.call("mcp__s__aside", Map.of(), bob.context());
            for (String t : List.of(text(a), text(b))) {
                assertTrue(t.contains("decline") && t.contains("which call it belongs to"), t);
            }
            assertEquals(List.of(), ada.asked);
            assertEquals(List.of(), bob.asked);
        }
    }

    /** The relation lasts while the server's request is unanswered and our request's stream is open. */
    @Test
    void theTransportForgetsARelationOnceAnsweredOrWhenTheStreamEnds() throws Exception {
        server = new ScriptedServer(1);
        ResumingStreamableHttpTransport transport = new ResumingStreamableHttpTransport(
                URI.create(server.url()),
                HttpHooks.headers(Map.of()),
                Duration.ofSeconds(5),
                McpJsonDefaults.getMapper());
        Map<Object, Object> relatedOnArrival = new ConcurrentHashMap<>();
        BlockingQueue<McpSchema.JSONRPCMessage> received = new LinkedBlockingQueue<>();
        transport
                .connect(messages -> messages.doOnNext(m -> {
                    if (m instanceof McpSchema.JSONRPCRequest r) {
                        Object related = transport.relatedRequest(r.id());
                        relatedOnArrival.put(r.id(), related == null ? "none" : related);
                    }
                    received.add(m);
                }))
                .block();
        try {
            transport.sendMessage(request("init", "initialize", Map.of())).block();
            take(received);
            transport
                    .sendMessage(new McpSchema.JSONRPCNotification(
                            McpSchema.JSONRPC_VERSION, "notifications/initialized", null))
                    .block();

            transport
                    .sendMessage(request("c1", "tools/call", Map.of("name", "ask")))
                    .block();
            McpSchema.JSONRPCRequest asked = (McpSchema.JSONRPCRequest) take(received);
            assertEquals("c1", relatedOnArrival.get(asked.id()));
            transport
                    .sendMessage(new McpSchema.JSONRPCResponse(
                            McpSchema.JSONRPC_VERSION, asked.id(), Map.of("action", "decline"), null))
                    .block();
            assertNull(transport.relatedRequest(asked.id()), "forgotten once answered");
            take(received); // c1's result

            server.arrived = new CountDownLatch(1);
            transport
                    .sendMessage(request("c2", "tools/call", Map.of("name", "unanswered")))
                    .block();
            McpSchema.JSONRPCRequest ignored = (McpSchema.JSONRPCRequest) take(received);
            assertEquals("c2", relatedOnArrival.get(ignored.id()));
            take(received); // c2's result, then the stream ends
            Awaitility.await().atMost(WAIT).until(() -> transport.relatedRequest(ignored.id()) == null);

            server.arrived = new CountDownLatch(1);
            server.standalone.add(ScriptedServer.request("s-standalone", "roots/list"));
            McpSchema.JSONRPCRequest aside = (McpSchema.JSONRPCRequest) take(received);
            assertEquals("none", relatedOnArrival.get(aside.id()), "the standalone stream relates to nothing");
        } finally {
            transport.close();
        }
    }

    private static McpSchema.JSONRPCRequest request(String id, String method, Map<String, Object> params) {
        return new McpSchema.JSONRPCRequest(McpSchema.JSONRPC_VERSION, method, id, params);
    }

    private static McpSchema.JSONRPCMessage take(BlockingQueue<McpSchema.JSONRPCMessage> q) throws Exception {
        McpSchema.JSONRPCMessage m = q.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        if (m == null) {
            throw new AssertionError("no message from the server within " + WAIT);
        }
        return m;
    }

    private McpHub hub(boolean forwardRoots) {
        McpServerConfig http = McpServerConfig.http("s", server.url()).withProtocol(McpServerConfig.PROTOCOL_LEGACY);
        McpServerConfig config = !forwardRoots
                ? http
                : new McpServerConfig(
                        http.name(),
                        http.command(),
                        http.args(),
                        http.env(),
                        http.envVars(),
                        http.cwd(),
                        http.url(),
                        http.bearerTokenEnvVar(),
                        http.httpHeaders(),
                        http.envHttpHeaders(),
                        http.enabled(),
                        http.required(),
                        http.startupTimeout(),
                        http.toolTimeout(),
                        http.enabledTools(),
                        http.disabledTools(),
                        http.roots(),
                        true,
                        http.maxMessageBytes(),
                        http.oauth(),
                        http.protocol());
        return McpHub.builder()
                .logDirectory(dir)
                .eraCache(null)
                .onWarning(w -> {})
                .server(config)
                .build();
    }

    private static String text(CompletableFuture<McpSchema.CallToolResult> call) throws Exception {
        McpSchema.CallToolResult r = call.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        return r.content().stream()
                .map(c -> c instanceof McpSchema.TextContent t ? t.text() : "")
                .reduce("", String::concat);
    }

    /** A caller of its own ({@code callerKey}): accepts every elicitation with its name; its roots are its name. */
    private static final class Person implements ServerRequestHandler {
        final String name;
        final List<String> asked = new CopyOnWriteArrayList<>();

        Person(String name) {
            this.name = name;
        }

        CallContext context() {
            return new CallContext(p -> {}, l -> {}, this);
        }

        @Override
        public McpSchema.ElicitResult elicit(String server, McpSchema.ElicitRequest request) {
            asked.add(request.message());
            return new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.ACCEPT, Map.of("name", name));
        }

        /** Ada refuses with an error of her own; Bob cannot sample at all. */
        @Override
        public McpSchema.CreateMessageResult sample(String server, McpSchema.CreateMessageRequest request) {
            if (name.equals("ada")) {
                throw new McpError(new McpSchema.JSONRPCResponse.JSONRPCError(-32042, "ada will not sample", null));
            }
            throw new UnsupportedOperationException("bob cannot sample");
        }

        @Override
        public McpSchema.ListRootsResult listRoots(String server) {
            return new McpSchema.ListRootsResult(List.of(new McpSchema.Root("file:///" + name, name)));
        }

        @Override
        public String callerKey() {
            return name;
        }
    }

    /**
     * A legacy streamable HTTP server with one session. Its tools ask on their call's POST stream ({@code ask},
     * {@code roots}, {@code sample}), on that stream resumed after it ended with an event id ({@code resume}), or on the standalone
     * GET stream ({@code aside}), and answer with what they were told (the result, or the error); {@code unanswered} asks and answers at once.
     */
    private static final class ScriptedServer implements AutoCloseable {
        private final HttpServer http;
        private final ExecutorService threads = Executors.newCachedThreadPool();
        private final Map<String, CompletableFuture<Map<String, Object>>> answers = new ConcurrentHashMap<>();
        final BlockingQueue<String> standalone = new LinkedBlockingQueue<>();
        final List<String> resumptions = new CopyOnWriteArrayList<>();
        volatile CountDownLatch arrived;
        private volatile boolean closed;

        ScriptedServer(int calls) throws IOException {
            arrived = new CountDownLatch(calls);
            http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            http.setExecutor(threads);
            http.createContext("/mcp", exchange -> {
                try (exchange) {
                    switch (exchange.getRequestMethod()) {
                        case "POST" -> post(exchange);
                        case "GET" -> get(exchange);
                        default -> exchange.sendResponseHeaders(200, -1);
                    }
                } catch (IOException | RuntimeException | InterruptedException e) {
                    // the client went away: nothing to answer
                }
            });
            http.start();
        }

        String url() {
            return "http://127.0.0.1:" + http.getAddress().getPort() + "/mcp";
        }

        private void post(HttpExchange exchange) throws IOException, InterruptedException {
            @SuppressWarnings("unchecked")
            Map<String, Object> body = JSON.readValue(exchange.getRequestBody().readAllBytes(), Map.class);
            Object id = body.get("id");
            Object method = body.get("method");
            if (method == null) { // the answer to one of our requests
                answers.computeIfAbsent(String.valueOf(id), k -> new CompletableFuture<>())
                        .complete(body);
                exchange.sendResponseHeaders(202, -1);
                return;
            }
            if (id == null) { // a notification
                exchange.sendResponseHeaders(202, -1);
                return;
            }
            switch (String.valueOf(method)) {
                case "initialize" -> {
                    exchange.getResponseHeaders().set("Mcp-Session-Id", "session-1");
                    json(
                            exchange,
                            response(
                                    id,
                                    Map.of(
                                            "protocolVersion",
                                            "2025-11-25",
                                            "capabilities",
                                            Map.of("tools", Map.of()),
                                            "serverInfo",
                                            Map.of("name", "scripted", "version", "1"))));
                }
                case "tools/list" ->
                    json(
                            exchange,
                            response(
                                    id,
                                    Map.of(
                                            "tools",
                                            List.of("ask", "roots", "sample", "resume", "aside", "unanswered").stream()
                                                    .map(n ->
                                                            Map.of("name", n, "inputSchema", Map.of("type", "object")))
                                                    .toList())));
                case "tools/call" -> call(exchange, String.valueOf(id), (Map<?, ?>) body.get("params"));
                default -> json(exchange, response(id, Map.of()));
            }
        }

        private void call(HttpExchange exchange, String id, Map<?, ?> params) throws IOException, InterruptedException {
            OutputStream out = sse(exchange);
            arrived.countDown();
            arrived.await(WAIT.toSeconds(), TimeUnit.SECONDS);
            String asked = "s-" + id;
            switch (String.valueOf(params.get("name"))) {
                case "ask" -> event(out, null, request(asked, "elicitation/create"));
                case "roots" -> event(out, null, request(asked, "roots/list"));
                case "sample" -> event(out, null, request(asked, "sampling/createMessage"));
                case "aside" -> standalone.add(request(asked, "elicitation/create"));
                case "unanswered" -> {
                    event(out, null, request(asked, "elicitation/create"));
                    event(out, null, toolResult(id, "not waiting"));
                    return;
                }
                case "resume" -> {
                    // An event id, a short retry, and the stream ends before the answer: the client resumes it.
                    out.write(("retry: 10\nid: ev-" + id + "\ndata:\n\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    return;
                }
                default -> throw new IllegalStateException("unknown tool");
            }
            event(out, null, toolResult(id, answerTo(asked)));
        }

        private void get(HttpExchange exchange) throws IOException, InterruptedException {
            String last = exchange.getRequestHeaders().getFirst("Last-Event-ID");
            OutputStream out = sse(exchange);
            if (last != null) {
                String id = last.substring("ev-".length());
                resumptions.add(id);
                String asked = "s-" + id;
                event(out, "ev2-" + id, request(asked, "elicitation/create"));
                event(out, "ev3-" + id, toolResult(id, answerTo(asked)));
                return;
            }
            while (!closed) {
                String message = standalone.poll(100, TimeUnit.MILLISECONDS);
                if (message != null) {
                    event(out, null, message);
                }
            }
        }

        private String answerTo(String asked) {
            Map<String, Object> answer = answers.computeIfAbsent(asked, k -> new CompletableFuture<>())
                    .orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS)
                    .join();
            return JSON.writeValueAsString(answer.containsKey("error") ? answer.get("error") : answer.get("result"));
        }

        static String request(String id, String method) {
            Map<String, Object> params = switch (method) {
                case "roots/list" -> Map.of();
                case "sampling/createMessage" ->
                    Map.of(
                            "messages",
                            List.of(Map.of("role", "user", "content", Map.of("type", "text", "text", "hi"))),
                            "maxTokens",
                            10);
                default ->
                    Map.of(
                            "message",
                            "who are you?",
                            "requestedSchema",
                            Map.of("type", "object", "properties", Map.of("name", Map.of("type", "string"))));
            };
            return JSON.writeValueAsString(Map.of("jsonrpc", "2.0", "id", id, "method", method, "params", params));
        }

        private static String toolResult(String id, String text) {
            return response(id, Map.of("content", List.of(Map.of("type", "text", "text", text))));
        }

        private static String response(Object id, Map<String, Object> result) {
            return JSON.writeValueAsString(Map.of("jsonrpc", "2.0", "id", id, "result", result));
        }

        private static OutputStream sse(HttpExchange exchange) throws IOException {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            return exchange.getResponseBody();
        }

        private static void event(OutputStream out, String eventId, String data) throws IOException {
            out.write(((eventId == null ? "" : "id: " + eventId + "\n") + "data: " + data + "\n\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        private static void json(HttpExchange exchange, String body) throws IOException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
        }

        @Override
        public void close() {
            closed = true;
            http.stop(0);
            threads.shutdownNow();
        }
    }
}
