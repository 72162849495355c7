package dev.toolhost.mcp.server;

import static dev.toolhost.mcp.server.RawStdioClient.JSON;
import static dev.toolhost.mcp.server.RawStdioClient.request;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.mcp.client.CallContext;
import dev.toolhost.mcp.client.ToolHub;
import dev.toolhost.mcp.core.Futures;
import dev.toolhost.mcp.core.McpRequest;
import dev.toolhost.mcp.core.Outcome;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HubServerTest {
    private final TwoToolHub hub = new TwoToolHub();
    private RawStdioClient client;
    private HubServer server;

    private void start(int callLimit, Map<String, Object> capabilities) throws Exception {
        client = new RawStdioClient();
        var transport = new LosslessStdioServerTransportProvider(JSON, client.serverIn, client.serverOut);
        server = HubServer.start(
                McpServer.async(transport),
                hub,
                new HubServer.Options(new McpSchema.Implementation("toolhost", "test"), callLimit, null),
                JSON);
        client.initialize("2025-11-25", capabilities);
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (client != null) {
            client.close();
        }
    }

    private List<String> toolNames(int id) throws Exception {
        client.send(request(id, "tools/list", null));
        List<?> tools =
                (List<?>) ((Map<?, ?>) client.response(id, new ArrayList<>()).get("result")).get("tools");
        return tools.stream().map(t -> (String) ((Map<?, ?>) t).get("name")).toList();
    }

    private static String text(Map<String, Object> response) {
        return String.valueOf(((Map<?, ?>) response.get("result")).get("content"));
    }

    @Test
    void servesTheHubsToolsAndTellsClientsWhenTheyChange() throws Exception {
        start(8, Map.of());
        assertEquals(
                List.of("mcp__down__echo", "mcp__down__slow"),
                toolNames(1).stream().sorted().toList());
        hub.add(tool("mcp__down__added"));
        Map<String, Object> notification = client.read();
        assertEquals("notifications/tools/list_changed", notification.get("method"));
        assertTrue(toolNames(2).contains("mcp__down__added"));
    }

    @Test
    void progressGoesToTheCallersTokenAndLogsToItsSession() throws Exception {
        start(8, Map.of());
        client.send(request(1, "logging/setLevel", Map.of("level", "debug")));
        client.response(1, new ArrayList<>());
        client.send(request(
                2,
                "tools/call",
                Map.of(
                        "name",
                        "mcp__down__echo",
                        "arguments",
                        Map.of("text", "hi"),
                        "_meta",
                        Map.of("progressToken", "mine"))));
        List<Map<String, Object>> seen = new ArrayList<>();
        Map<String, Object> response = client.response(2, seen);
        assertTrue(text(response).contains("hi"), response.toString());
        Map<?, ?> progress = (Map<?, ?>) seen.stream()
                .filter(m -> m.get("method").equals("notifications/progress"))
                .findFirst()
                .orElseThrow()
                .get("params");
        assertEquals("mine", progress.get("progressToken"));
        assertEquals("half way", progress.get("message"));
        assertTrue(seen.stream().anyMatch(m -> m.get("method").equals("notifications/message")), seen.toString());
    }

    @Test
    void aCancelledCallIsCancelledInTheHub() throws Exception {
        start(8, Map.of());
        client.send(request(5, "tools/call", Map.of("name", "mcp__down__slow", "arguments", Map.of())));
        await().atMost(Duration.ofSeconds(5)).until(() -> !hub.slowCalls.isEmpty());
        client.send(Map.of("jsonrpc", "2.0", "method", "notifications/cancelled", "params", Map.of("requestId", 5)));
        await().atMost(Duration.ofSeconds(5)).until(() -> hub.slowCalls.get(0).isCancelled());
    }

    @Test
    void callsBeyondThePerSessionLimitAreRefusedWithAClearError() throws Exception {
        start(1, Map.of());
        client.send(request(1, "tools/call", Map.of("name", "mcp__down__slow", "arguments", Map.of())));
        await().atMost(Duration.ofSeconds(5)).until(() -> !hub.slowCalls.isEmpty());
        client.send(request(2, "tools/call", Map.of("name", "mcp__down__echo", "arguments", Map.of("text", "x"))));
        Map<String, Object> refused = client.response(2, new ArrayList<>());
        assertEquals(Boolean.TRUE, ((Map<?, ?>) refused.get("result")).get("isError"));
        assertTrue(
                text(refused).contains("too many concurrent tool calls on this MCP session: the limit is 1"),
                text(refused));
        hub.slowCalls
                .get(0)
                .complete(McpSchema.CallToolResult.builder()
                        .addTextContent("slow done")
                        .build());
        assertTrue(text(client.response(1, new ArrayList<>())).contains("slow done"));
        client.send(request(3, "tools/call", Map.of("name", "mcp__down__echo", "arguments", Map.of("text", "again"))));
        assertTrue(text(client.response(3, new ArrayList<>())).contains("again"), "the slot is free again");
    }

    @Test
    void downstreamElicitationIsAskedOfTheCallingClient() throws Exception {
        start(8, Map.of("elicitation", Map.of()));
        client.send(request(1, "tools/call", Map.of("name", "mcp__down__echo", "arguments", Map.of("ask", true))));
        Map<String, Object> elicit = client.read();
        assertEquals("elicitation/create", elicit.get("method"));
        client.send(Map.of(
                "jsonrpc",
                "2.0",
                "id",
                elicit.get("id"),
                "result",
                Map.of("action", "accept", "content", Map.of("decision", "approved"))));
        assertTrue(text(client.response(1, new ArrayList<>())).contains("ACCEPT"));
    }

    @Test
    void aClientWithoutElicitationGetsARefusalThatSaysWhy() throws Exception {
        start(8, Map.of());
        client.send(request(1, "tools/call", Map.of("name", "mcp__down__echo", "arguments", Map.of("ask", true))));
        String text = text(client.response(1, new ArrayList<>()));
        assertTrue(text.contains("did not declare the elicitation capability"), text);
    }

    @Test
    void aClientThatDeclaredUrlElicitationOnlyIsNotAskedAForm() throws Exception {
        start(8, Map.of("elicitation", Map.of("url", Map.of())));
        client.send(request(1, "tools/call", Map.of("name", "mcp__down__echo", "arguments", Map.of("ask", true))));
        String text = text(client.response(1, new ArrayList<>()));
        assertTrue(text.contains("did not declare the elicitation capability (form mode)"), text);
    }

    private static McpSchema.Tool tool(String name) {
        return McpSchema.Tool.builder()
                .name(name)
                .inputSchema(JSON, "{\"type\":\"object\"}")
                .build();
    }

    /** A hub with an echo tool (progress, a log line, optionally an elicitation) and a tool that never ends. */
    private static final class TwoToolHub implements ToolHub {
        final List<CompletableFuture<McpSchema.CallToolResult>> slowCalls = new CopyOnWriteArrayList<>();
        private final List<HubTool> tools = new CopyOnWriteArrayList<>(List.of(
                new HubTool("mcp__down__echo", "down", "echo", HubServerTest.tool("mcp__down__echo")),
                new HubTool("mcp__down__slow", "down", "slow", HubServerTest.tool("mcp__down__slow"))));
        private final List<Runnable> toolListeners = new CopyOnWriteArrayList<>();

        void add(McpSchema.Tool tool) {
            tools.add(new HubTool(tool.name(), "down", tool.name(), tool));
            toolListeners.forEach(Runnable::run);
        }

        @Override
        public List<HubTool> tools() {
            return List.copyOf(tools);
        }

        @Override
        public CompletableFuture<Outcome<McpSchema.CallToolResult>> callTool(McpRequest request, CallContext ctx) {
            return Futures.map(call(request.name(), request.arguments(), ctx), Outcome::complete);
        }

        @Override
        public CompletableFuture<McpSchema.CallToolResult> call(
                String name, Map<String, Object> args, CallContext ctx) {
            if (name.equals("mcp__down__slow")) {
                CompletableFuture<McpSchema.CallToolResult> f = new CompletableFuture<>();
                slowCalls.add(f);
                return f;
            }
            return CompletableFuture.supplyAsync(() -> {
                if (Boolean.TRUE.equals(args.get("ask"))) {
                    try {
                        var answer = ctx.requests()
                                .elicit(
                                        "down",
                                        McpSchema.ElicitRequest.builder()
                                                .message("ok?")
                                                .requestedSchema(Map.of("type", "object"))
                                                .build());
                        return McpSchema.CallToolResult.builder()
                                .addTextContent(answer.action().toString())
                                .build();
                    } catch (RuntimeException e) {
                        return McpSchema.CallToolResult.builder()
                                .addTextContent(e.getMessage())
                                .isError(true)
                                .build();
                    }
                }
                ctx.progress().accept(new McpSchema.ProgressNotification("hub-token", 1.0, 2.0, "half way"));
                ctx.logging()
                        .accept(new McpSchema.LoggingMessageNotification(
                                McpSchema.LoggingLevel.INFO, "down", "working"));
                return McpSchema.CallToolResult.builder()
                        .addTextContent("echo " + args.get("text"))
                        .build();
            });
        }

        @Override
        public List<ServerStatus> servers() {
            return List.of();
        }

        @Override
        public List<HubResource> resources() {
            return List.of();
        }

        @Override
        public List<HubResourceTemplate> resourceTemplates() {
            return List.of();
        }

        @Override
        public CompletableFuture<McpSchema.ReadResourceResult> readResource(String uri) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("no resources"));
        }

        @Override
        public List<HubPrompt> prompts() {
            return List.of();
        }

        @Override
        public CompletableFuture<McpSchema.GetPromptResult> getPrompt(String name, Map<String, Object> arguments) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("no prompts"));
        }

        @Override
        public void addToolsChangedListener(Runnable listener) {
            toolListeners.add(listener);
        }

        @Override
        public void addResourcesChangedListener(Runnable listener) {}

        @Override
        public void addPromptsChangedListener(Runnable listener) {}

        @Override
        public void close() {}
    }
}
