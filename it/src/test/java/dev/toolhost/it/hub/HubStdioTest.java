package dev.toolhost.it.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.mcp.client.CallContext;
import dev.toolhost.mcp.client.McpHub;
import dev.toolhost.mcp.client.ServerRequestHandler;
import dev.toolhost.mcp.client.ToolHub;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The hub against the real server-everything over stdio: calls, progress, server requests, resources, prompts. */
class HubStdioTest {
    static Path logs;
    static Path cwd;
    static McpHub hub;

    @BeforeAll
    static void start() throws Exception {
        logs = Files.createTempDirectory("hub-logs");
        cwd = Files.createTempDirectory("hub-cwd");
        hub = McpHub.builder()
                .server(Servers.everything("everything").withRoots(List.of(cwd.resolve("offered"))))
                .server(Servers.everything("slow").withTimeouts(Duration.ofSeconds(20), Duration.ofSeconds(1)))
                .server(Servers.everything("filtered").withToolFilter(List.of("echo", "get-sum"), List.of("get-sum")))
                .server(Servers.everything("off").withEnabled(false))
                .workingDirectory(cwd)
                .logDirectory(logs)
                .build();
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    static String text(McpSchema.CallToolResult r) {
        return Servers.text(r);
    }

    @Test
    void echoOverStdio() {
        McpSchema.CallToolResult r = hub.call(
                        "mcp__everything__echo", Map.of("message", "hello hub"), CallContext.none())
                .join();
        assertNotEquals(Boolean.TRUE, r.isError());
        assertEquals("Echo: hello hub", text(r));
    }

    @Test
    void toolsAreNamespacedAndCarryTheirServer() {
        ToolHub.HubTool echo = hub.tool("mcp__everything__echo");
        assertNotNull(echo);
        assertEquals("everything", echo.server());
        assertEquals("echo", echo.originalName());
        assertEquals("mcp__everything__echo", echo.tool().name());
    }

    @Test
    void enabledAndDisabledToolsFilterTheList() {
        List<String> filtered = hub.tools().stream()
                .filter(t -> t.server().equals("filtered"))
                .map(ToolHub.HubTool::qualifiedName)
                .toList();
        assertEquals(List.of("mcp__filtered__echo"), filtered);
        assertTrue(hub.call("mcp__filtered__get-sum", Map.of("a", 1, "b", 2), CallContext.none())
                .isCompletedExceptionally());
    }

    @Test
    void disabledServerIsListedButNotStarted() {
        ToolHub.ServerStatus off = hub.servers().stream()
                .filter(s -> s.name().equals("off"))
                .findFirst()
                .orElseThrow();
        assertEquals(ToolHub.ServerStatus.State.DISABLED, off.state());
        assertTrue(hub.tools().stream().noneMatch(t -> t.server().equals("off")));
        assertTrue(hub.processId("off").isEmpty());
    }

    @Test
    void longRunningToolReportsProgressToTheCallContext() {
        List<McpSchema.ProgressNotification> progress = new CopyOnWriteArrayList<>();
        CallContext ctx = new CallContext(progress::add, l -> {}, ServerRequestHandler.declining());
        McpSchema.CallToolResult r = hub.call(
                        "mcp__everything__trigger-long-running-operation", Map.of("duration", 1, "steps", 4), ctx)
                .join();
        assertNotEquals(Boolean.TRUE, r.isError(), text(r));
        assertEquals(4, progress.size(), "one notification per step: " + progress);
        assertEquals(4.0, progress.get(3).progress());
    }

    @Test
    void samplingRequestIsAnsweredByTheCallersHandler() {
        List<String> askedBy = new CopyOnWriteArrayList<>();
        ServerRequestHandler handler = new ServerRequestHandler() {
            @Override
            public McpSchema.ElicitResult elicit(String server, McpSchema.ElicitRequest request) {
                throw new AssertionError("no elicitation expected");
            }

            @Override
            public McpSchema.CreateMessageResult sample(String server, McpSchema.CreateMessageRequest request) {
                askedBy.add(server);
                return new McpSchema.CreateMessageResult(
                        McpSchema.Role.ASSISTANT,
                        new McpSchema.TextContent("sampled by the test"),
                        "test-model",
                        McpSchema.CreateMessageResult.StopReason.END_TURN);
            }
        };
        McpSchema.CallToolResult r = hub.call(
                        "mcp__everything__trigger-sampling-request",
                        Map.of("prompt", "hi"),
                        new CallContext(p -> {}, l -> {}, handler))
                .join();
        assertEquals(List.of("everything"), askedBy);
        assertTrue(text(r).contains("sampled by the test"), text(r));
    }

    @Test
    void elicitationRequestIsAnsweredByTheCallersHandler() {
        List<McpSchema.ElicitRequest> asked = new CopyOnWriteArrayList<>();
        ServerRequestHandler handler = new ServerRequestHandler() {
            @Override
            public McpSchema.ElicitResult elicit(String server, McpSchema.ElicitRequest request) {
                asked.add(request);
                return new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.DECLINE, null);
            }

            @Override
            public McpSchema.CreateMessageResult sample(String server, McpSchema.CreateMessageRequest request) {
                throw new AssertionError("no sampling expected");
            }
        };
        McpSchema.CallToolResult r = hub.call(
                        "mcp__everything__trigger-elicitation-request",
                        Map.of(),
                        new CallContext(p -> {}, l -> {}, handler))
                .join();
        assertEquals(1, asked.size());
        assertNotNull(((McpSchema.ElicitFormRequest) asked.get(0)).requestedSchema());
        assertTrue(text(r).toLowerCase().contains("decline"), text(r));
    }

    @Test
    void rootsAreOnlyWhatIsConfigured() {
        McpSchema.CallToolResult r = hub.call("mcp__everything__get-roots-list", Map.of(), CallContext.none())
                .join();
        assertTrue(text(r).contains(cwd.resolve("offered").toUri().toString().replaceAll("/$", "")), text(r));
        assertFalse(text(r).contains(cwd.toUri().toString() + " "), "not the working directory: " + text(r));
        // No roots configured: the capability is not offered at all (the working directory is not a root).
        // server-everything lists get-roots-list only to clients that offer roots.
        assertNull(hub.tool("mcp__slow__get-roots-list"));
    }

    @Test
    void resourcesAreAggregatedAndReadable() {
        List<ToolHub.HubResource> resources = hub.resources();
        assertFalse(resources.isEmpty());
        ToolHub.HubResource first = resources.stream()
                .filter(r -> r.server().equals("everything"))
                .findFirst()
                .orElseThrow();
        McpSchema.ReadResourceResult read =
                hub.readResource(first.resource().uri()).join();
        assertFalse(read.contents().isEmpty());
        assertEquals(first.resource().uri(), read.contents().get(0).uri());
        assertFalse(hub.resourceTemplates().isEmpty());
    }

    @Test
    void promptsAreNamespacedAndGettable() {
        ToolHub.HubPrompt prompt = hub.prompts().stream()
                .filter(p -> p.server().equals("everything"))
                .filter(p -> p.prompt().arguments() == null
                        || p.prompt().arguments().stream().noneMatch(a -> Boolean.TRUE.equals(a.required())))
                .findFirst()
                .orElseThrow();
        assertTrue(prompt.qualifiedName().startsWith("mcp__everything__"));
        McpSchema.GetPromptResult got =
                hub.getPrompt(prompt.qualifiedName(), Map.of()).join();
        assertFalse(got.messages().isEmpty());
    }

    @Test
    void toolTimeoutReturnsAnErrorAndTheServerStaysUsable() {
        McpSchema.CallToolResult r = hub.call(
                        "mcp__slow__trigger-long-running-operation",
                        Map.of("duration", 30, "steps", 30),
                        CallContext.none())
                .orTimeout(10, TimeUnit.SECONDS)
                .join();
        assertEquals(Boolean.TRUE, r.isError());
        assertTrue(text(r).contains("timed out after 1 s"), text(r));
        assertEquals(
                "Echo: still here",
                text(hub.call("mcp__slow__echo", Map.of("message", "still here"), CallContext.none())
                        .join()));
    }

    @Test
    void cancellingTheFutureCancelsTheCall() {
        CompletableFuture<McpSchema.CallToolResult> f = hub.call(
                "mcp__everything__trigger-long-running-operation",
                Map.of("duration", 30, "steps", 30),
                CallContext.none());
        assertTrue(f.cancel(true));
        assertEquals(
                "Echo: after cancel",
                text(hub.call("mcp__everything__echo", Map.of("message", "after cancel"), CallContext.none())
                        .join()));
    }

    @Test
    void serverStatusReportsReadyWithToolCounts() {
        ToolHub.ServerStatus everything = hub.servers().stream()
                .filter(s -> s.name().equals("everything"))
                .findFirst()
                .orElseThrow();
        assertEquals(ToolHub.ServerStatus.State.READY, everything.state());
        assertTrue(everything.toolCount() > 5);
        assertTrue(Files.exists(logs.resolve("mcp-everything.log")), "stderr goes to the server's own log");
    }
}
