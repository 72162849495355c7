package dev.toolhost.mcp.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** The hub with an SDK server mounted in memory, as the host mounts the built-in tools. */
class LocalHubTest {
    private static final McpSchema.JsonSchema OBJECT =
            new McpSchema.JsonSchema("object", Map.of(), null, null, null, null);

    private final List<McpSchema.JSONRPCMessage> sent = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private McpSyncServer server;
    private McpHub hub;

    private static McpServerFeatures.SyncToolSpecification tool(
            String name,
            BiFunction<
                            io.modelcontextprotocol.server.McpSyncServerExchange,
                            McpSchema.CallToolRequest,
                            McpSchema.CallToolResult>
                    handler) {
        return McpServerFeatures.SyncToolSpecification.builder()
                .tool(McpSchema.Tool.builder()
                        .name(name)
                        .description(name)
                        .inputSchema(OBJECT)
                        .build())
                .callHandler(handler)
                .build();
    }

    private static McpSchema.CallToolResult text(String s) {
        return new McpSchema.CallToolResult(List.of(new McpSchema.TextContent(s)), false, null, null);
    }

    private static String text(McpSchema.CallToolResult r) {
        return ((McpSchema.TextContent) r.content().get(0)).text();
    }

    @BeforeEach
    void start() {
        InMemoryTransport pair = InMemoryTransport.create("test");
        server = McpServer.sync(pair.serverProvider())
                .serverInfo("test-server", "1")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
                .tools(
                        tool("echo", (ex, req) -> text("echo " + req.arguments().get("message"))),
                        tool("block", (ex, req) -> {
                            try {
                                release.await(10, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            return text("released");
                        }),
                        tool(
                                "ask",
                                (ex, req) -> text(ex.createElicitation(McpSchema.ElicitRequest.builder(
                                                        "approve?",
                                                        Map.of(
                                                                "type",
                                                                "object",
                                                                "properties",
                                                                Map.of(
                                                                        "decision",
                                                                        Map.of(
                                                                                "type",
                                                                                "string",
                                                                                "enum",
                                                                                List.of("approved", "denied")))))
                                                .build())
                                        .action()
                                        .name())))
                .build();
        hub = McpHub.builder()
                .localServer("builtin", () -> new Recording(pair.clientTransport(), sent))
                .localToolTimeout(Duration.ofMillis(500))
                .logDirectory(null)
                .build();
    }

    @AfterEach
    void stop() {
        release.countDown();
        hub.close();
        server.close();
    }

    @Test
    void localToolsKeepPlainNames() {
        assertEquals(
                List.of("ask", "block", "echo"),
                hub.tools().stream().map(ToolHub.HubTool::qualifiedName).toList());
        assertEquals(
                "echo hi",
                text(hub.call("echo", Map.of("message", "hi"), CallContext.none())
                        .join()));
        ToolHub.ServerStatus status = hub.servers().get(0);
        assertEquals(new ToolHub.ServerStatus("builtin", ToolHub.ServerStatus.State.READY, 3, null), status);
    }

    @Test
    void aBridgeHoldsExactlyOneConfiguredServerAndNoLocalOne() {
        IllegalArgumentException none = assertThrows(
                IllegalArgumentException.class,
                () -> McpHub.builder().bridge().logDirectory(null).build());
        assertTrue(none.getMessage().contains("a bridge serves exactly one MCP server"), none.getMessage());
        IllegalArgumentException local = assertThrows(
                IllegalArgumentException.class,
                () -> McpHub.builder()
                        .bridge()
                        .localServer("builtin", () -> null)
                        .logDirectory(null)
                        .build());
        assertTrue(local.getMessage().contains("and the built-in tools"), local.getMessage());
    }

    @Test
    void unknownToolIsAFailedFuture() {
        CompletableFuture<McpSchema.CallToolResult> f = hub.call("nope", Map.of(), CallContext.none());
        assertTrue(f.isCompletedExceptionally());
    }

    @Test
    void elicitationGoesToTheCallersHandler() {
        ServerRequestHandler approve = new ServerRequestHandler() {
            @Override
            public McpSchema.ElicitResult elicit(String s, McpSchema.ElicitRequest request) {
                return new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.ACCEPT, Map.of("decision", "approved"));
            }

            @Override
            public McpSchema.CreateMessageResult sample(String s, McpSchema.CreateMessageRequest request) {
                throw new UnsupportedOperationException();
            }
        };
        assertEquals(
                "ACCEPT",
                text(hub.call("ask", Map.of(), new CallContext(p -> {}, l -> {}, approve))
                        .join()));
        assertEquals(
                "DECLINE", text(hub.call("ask", Map.of(), CallContext.none()).join()));
    }

    @Test
    void timeWaitingForTheCallersAnswerDoesNotCountTowardTheToolTimeout() {
        HeldAnswer person = new HeldAnswer();
        CompletableFuture<McpSchema.CallToolResult> call =
                hub.call("ask", Map.of(), new CallContext(p -> {}, l -> {}, person));
        await().atMost(Duration.ofSeconds(5)).until(person::asked);
        // Three times the 500 ms tool_timeout_sec with the question: the call must still be waiting, not timed out.
        await().during(Duration.ofMillis(1_500)).atMost(Duration.ofSeconds(3)).until(() -> !call.isDone());
        person.accept(Map.of("decision", "approved"));
        assertEquals("ACCEPT", text(call.join()));
    }

    @Test
    void timeoutReturnsAnErrorAndSendsCancelledWithTheRequestId() {
        McpSchema.CallToolResult r =
                hub.call("block", Map.of(), CallContext.none()).join();
        assertEquals(Boolean.TRUE, r.isError());
        assertTrue(text(r).contains("timed out after 500 ms"), text(r));
        Object callId = sent.stream()
                .filter(m ->
                        m instanceof McpSchema.JSONRPCRequest q && q.method().equals("tools/call"))
                .map(m -> ((McpSchema.JSONRPCRequest) m).id())
                .findFirst()
                .orElseThrow();
        await().atMost(Duration.ofSeconds(5)).until(() -> cancelledIds().contains(callId));
    }

    @Test
    void cancellingTheFutureSendsCancelled() {
        CompletableFuture<McpSchema.CallToolResult> f = hub.call("block", Map.of(), CallContext.none());
        await().atMost(Duration.ofSeconds(5))
                .until(() -> sent.stream()
                        .anyMatch(m -> m instanceof McpSchema.JSONRPCRequest q
                                && q.method().equals("tools/call")));
        f.cancel(true);
        await().atMost(Duration.ofSeconds(5)).until(() -> !cancelledIds().isEmpty());
        release.countDown();
        assertEquals(
                "echo after",
                text(hub.call("echo", Map.of("message", "after"), CallContext.none())
                        .join()));
    }

    @Test
    void toolListChangeRefreshesTheHubAndFiresListeners() {
        AtomicInteger fired = new AtomicInteger();
        hub.addToolsChangedListener(fired::incrementAndGet);
        server.addTool(tool("late", (ex, req) -> text("late")));
        await().atMost(Duration.ofSeconds(5)).until(() -> hub.tool("late") != null);
        assertTrue(fired.get() >= 1);
        assertNotEquals(
                Boolean.TRUE,
                hub.call("late", Map.of(), CallContext.none()).join().isError());
    }

    private List<Object> cancelledIds() {
        return sent.stream()
                .filter(m -> m instanceof McpSchema.JSONRPCNotification n
                        && n.method().equals("notifications/cancelled"))
                .map(m -> McpJsonDefaults.getMapper()
                        .convertValue(
                                ((McpSchema.JSONRPCNotification) m).params(), new TypeRef<Map<String, Object>>() {})
                        .get("requestId"))
                .toList();
    }

    /** Records every message the hub's client sends. */
    private record Recording(McpClientTransport delegate, List<McpSchema.JSONRPCMessage> sent)
            implements McpClientTransport {
        @Override
        public Mono<Void> connect(Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler) {
            return delegate.connect(handler);
        }

        @Override
        public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
            sent.add(message);
            return delegate.sendMessage(message);
        }

        @Override
        public Mono<Void> closeGracefully() {
            return delegate.closeGracefully();
        }

        @Override
        public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
            return delegate.unmarshalFrom(data, typeRef);
        }

        @Override
        public void setExceptionHandler(Consumer<Throwable> handler) {
            delegate.setExceptionHandler(handler);
        }

        @Override
        public List<String> protocolVersions() {
            return delegate.protocolVersions();
        }
    }
}
