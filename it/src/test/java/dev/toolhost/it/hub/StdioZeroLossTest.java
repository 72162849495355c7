package dev.toolhost.it.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.it.Peers;
import dev.toolhost.mcp.client.CallContext;
import dev.toolhost.mcp.client.LosslessStdioClientTransport;
import dev.toolhost.mcp.client.McpHub;
import dev.toolhost.mcp.client.StdioLaunch;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #8, client side: the SDK's stdio client transport drops a message when two threads send at
 * once (java-sdk #304, #686, #875). Toolhost's transport must lose nothing, whatever the concurrency.
 */
class StdioZeroLossTest {
    @TempDir
    Path logs;

    /** server-everything behind Toolhost's stdio transport, without the hub. */
    private LosslessStdioClientTransport everything(String name) {
        return new LosslessStdioClientTransport(new StdioLaunch(
                name,
                List.of(Peers.bin("mcp-server-everything").toString()),
                Map.of("PATH", System.getenv("PATH")),
                null,
                logs.resolve(name + ".log")));
    }

    @Test
    void thousandsOfConcurrentCallsThroughTheHubAllComeBack() {
        try (McpHub hub = McpHub.builder()
                .logDirectory(logs)
                .server(Servers.everything("e"))
                .build()) {
            int n = 5_000; // more than the transport's queue capacity: senders must wait, not fail
            List<CompletableFuture<McpSchema.CallToolResult>> calls = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                calls.add(hub.call("mcp__e__echo", Map.of("message", "m" + i), CallContext.none()));
            }
            for (int i = 0; i < n; i++) {
                McpSchema.CallToolResult r =
                        calls.get(i).orTimeout(60, TimeUnit.SECONDS).join();
                assertEquals("Echo: m" + i, Servers.text(r));
            }
        }
    }

    @Test
    void sdkClientOverOurTransportSurvivesManyThreadsSendingAtOnce() throws Exception {
        LosslessStdioClientTransport transport = everything("e");
        McpSyncClient client =
                McpClient.sync(transport).requestTimeout(Duration.ofSeconds(60)).build();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            client.initialize();
            List<Future<Integer>> workers = new ArrayList<>();
            for (int w = 0; w < 16; w++) {
                int worker = w;
                workers.add(pool.submit(() -> {
                    int ok = 0;
                    for (int i = 0; i < 150; i++) {
                        String message = worker + "-" + i;
                        McpSchema.CallToolResult r =
                                client.callTool(new McpSchema.CallToolRequest("echo", Map.of("message", message)));
                        if (("Echo: " + message)
                                .equals(((McpSchema.TextContent) r.content().get(0)).text())) {
                            ok++;
                        }
                    }
                    return ok;
                }));
            }
            int total = 0;
            for (Future<Integer> f : workers) {
                total += f.get(90, TimeUnit.SECONDS);
            }
            assertEquals(16 * 150, total);
            for (int i = 0; i < 1_000; i++) {
                McpSchema.CallToolResult r =
                        client.callTool(new McpSchema.CallToolRequest("echo", Map.of("message", "seq" + i)));
                assertEquals(
                        "Echo: seq" + i, ((McpSchema.TextContent) r.content().get(0)).text());
            }
        } finally {
            pool.shutdownNow();
            client.closeGracefully();
        }
    }

    @Test
    void deathOfTheServerFailsEveryPendingSdkRequestAtOnceNamingIt() throws Exception {
        LosslessStdioClientTransport transport = everything("doomed");
        McpSyncClient client =
                McpClient.sync(transport).requestTimeout(Duration.ofSeconds(60)).build();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            client.initialize();
            List<Future<McpSchema.CallToolResult>> pending = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                pending.add(pool.submit(() -> client.callTool(new McpSchema.CallToolRequest(
                        "trigger-long-running-operation", Map.of("duration", 30, "steps", 30)))));
            }
            // Whether each call is still queued or already in flight when the server dies, it must fail.
            ProcessHandle.of(transport.pid()).orElseThrow().destroyForcibly();
            for (Future<McpSchema.CallToolResult> f : pending) {
                ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(5, TimeUnit.SECONDS));
                assertTrue(
                        String.valueOf(e.getCause().getMessage()).contains("MCP server 'doomed'"),
                        String.valueOf(e.getCause()));
            }
            assertTrue(transport.terminationReason().contains("exited with code"), transport.terminationReason());
        } finally {
            pool.shutdownNow();
            client.close();
        }
    }
}
