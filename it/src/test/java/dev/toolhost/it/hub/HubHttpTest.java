package dev.toolhost.it.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.config.McpServerConfig;
import dev.toolhost.it.Peers;
import dev.toolhost.mcp.client.CallContext;
import dev.toolhost.mcp.client.McpHub;
import dev.toolhost.mcp.client.ToolHub;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hub against server-everything over streamable HTTP, and over legacy HTTP+SSE via fallback. */
class HubHttpTest {
    @TempDir
    Path logs;

    private static Process serve(String mode, int port) throws IOException {
        return Peers.serverEverything(mode, port);
    }

    private static void stop(Process p) {
        Peers.stopTree(p);
    }

    @Test
    void echoOverStreamableHttpWithProgress() throws Exception {
        int port = Servers.freePort();
        Process server = serve("streamableHttp", port);
        try (McpHub hub = McpHub.builder()
                .logDirectory(logs)
                .server(McpServerConfig.http("web", "http://127.0.0.1:" + port + "/mcp"))
                .build()) {
            assertEquals(
                    ToolHub.ServerStatus.State.READY,
                    hub.servers().get(0).state(),
                    hub.servers().toString());
            assertEquals(
                    "Echo: over http",
                    Servers.text(hub.call("mcp__web__echo", Map.of("message", "over http"), CallContext.none())
                            .join()));
            List<McpSchema.ProgressNotification> progress = new CopyOnWriteArrayList<>();
            McpSchema.CallToolResult r = hub.call(
                            "mcp__web__trigger-long-running-operation",
                            Map.of("duration", 1, "steps", 2),
                            new CallContext(
                                    progress::add, l -> {}, dev.toolhost.mcp.client.ServerRequestHandler.declining()))
                    .join();
            assertTrue(r.isError() == null || !r.isError(), Servers.text(r));
            assertEquals(2, progress.size());
        } finally {
            stop(server);
        }
    }

    @Test
    void droppedHttpServerFailsTheCallAndReconnectsOnTheNextOne() throws Exception {
        int port = Servers.freePort();
        Process server = serve("streamableHttp", port);
        try (McpHub hub = McpHub.builder()
                .logDirectory(logs)
                .onWarning(w -> {})
                .server(McpServerConfig.http("web", "http://127.0.0.1:" + port + "/mcp"))
                .build()) {
            stop(server);
            server.waitFor();
            McpSchema.CallToolResult failed = hub.call("mcp__web__echo", Map.of("message", "lost"), CallContext.none())
                    .join();
            assertEquals(Boolean.TRUE, failed.isError());
            assertTrue(Servers.text(failed).contains("mcp__web__echo"), Servers.text(failed));
            assertEquals(ToolHub.ServerStatus.State.FAILED, hub.servers().get(0).state());
            server = serve("streamableHttp", port);
            assertEquals(
                    "Echo: back",
                    Servers.text(hub.call("mcp__web__echo", Map.of("message", "back"), CallContext.none())
                            .join()));
        } finally {
            stop(server);
        }
    }

    /**
     * server-everything answers a session it does not know (after a restart) with HTTP 400 and a JSON-RPC error,
     * {@code "Bad Request: No valid session ID provided"}, not the spec's 404: the hub takes it as a lost session,
     * starts a new one and sends the call once more (trial 28b, finding 2).
     */
    @Test
    void restartedLegacyStreamableServerGetsANewSessionAndTheCallGoesThrough() throws Exception {
        int port = Servers.freePort();
        Process server = serve("streamableHttp", port);
        List<String> warnings = new CopyOnWriteArrayList<>();
        try (McpHub hub = McpHub.builder()
                .logDirectory(logs)
                .onWarning(warnings::add)
                .server(McpServerConfig.http("web", "http://127.0.0.1:" + port + "/mcp"))
                .build()) {
            assertEquals(
                    "Echo: before",
                    Servers.text(hub.call("mcp__web__echo", Map.of("message", "before"), CallContext.none())
                            .join()));
            stop(server);
            server.waitFor();
            server = serve("streamableHttp", port);
            // Four callers at once on the lost session: one new session, each call sent once more on it.
            List<CompletableFuture<McpSchema.CallToolResult>> calls = IntStream.range(0, 4)
                    .mapToObj(i -> hub.call("mcp__web__echo", Map.of("message", "after " + i), CallContext.none()))
                    .toList();
            for (int i = 0; i < calls.size(); i++) {
                assertEquals("Echo: after " + i, Servers.text(calls.get(i).join()), warnings.toString());
            }
            assertEquals(
                    "Echo: and again",
                    Servers.text(hub.call("mcp__web__echo", Map.of("message", "and again"), CallContext.none())
                            .join()));
            assertEquals(ToolHub.ServerStatus.State.READY, hub.servers().get(0).state());
            assertEquals(
                    1,
                    warnings.stream()
                            .filter(w -> w.contains("no longer knows Toolhost's session"))
                            .count(),
                    warnings.toString());
        } finally {
            stop(server);
        }
    }

    @Test
    void legacySseServerIsReachedThroughTheFallback() throws Exception {
        int port = Servers.freePort();
        Process server = serve("sse", port);
        try (McpHub hub = McpHub.builder()
                .logDirectory(logs)
                .server(McpServerConfig.http("old", "http://127.0.0.1:" + port + "/sse"))
                .build()) {
            assertEquals(
                    ToolHub.ServerStatus.State.READY,
                    hub.servers().get(0).state(),
                    hub.servers().toString());
            assertEquals(
                    "Echo: over sse",
                    Servers.text(hub.call("mcp__old__echo", Map.of("message", "over sse"), CallContext.none())
                            .join()));
        } finally {
            stop(server);
        }
    }

    @Test
    void unreachableHttpServerIsAWarningNamingIt() {
        List<String> warnings = new CopyOnWriteArrayList<>();
        int port = Servers.freePort();
        try (McpHub hub = McpHub.builder()
                .logDirectory(logs)
                .onWarning(warnings::add)
                .server(McpServerConfig.http("nowhere", "http://127.0.0.1:" + port + "/mcp"))
                .build()) {
            ToolHub.ServerStatus s = hub.servers().get(0);
            assertEquals(ToolHub.ServerStatus.State.FAILED, s.state());
            assertTrue(s.detail().contains("MCP server 'nowhere'"), s.detail());
            assertTrue(warnings.stream().anyMatch(w -> w.contains("'nowhere'")), warnings.toString());
        }
    }
}
