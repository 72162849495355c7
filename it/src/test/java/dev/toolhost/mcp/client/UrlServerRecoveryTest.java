package dev.toolhost.mcp.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.config.McpServerConfig;
import dev.toolhost.it.Peers;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code url} server that was unreachable for a while (server-everything in {@code streamableHttp} mode, stopped
 * and started again on the same port) is tried again by a call once the cool-down has passed, and is used again
 * without restarting the hub; while it is down, the error says when it is tried again, in words (trial 28b,
 * finding 3). In the hub's package for {@code McpHub.Builder.urlRetryCooldown} (package-private), so that the test
 * does not wait the 30 s.
 */
class UrlServerRecoveryTest {
    private static final Duration COOL_DOWN = Duration.ofSeconds(3);

    @TempDir
    Path logs;

    @Test
    void anHttpServerThatWasDownIsTriedAgainAfterTheCoolDownAndComesBack() throws Exception {
        int port = freePort();
        Process server = serve(port);
        List<String> failures = new CopyOnWriteArrayList<>();
        try (McpHub hub = McpHub.builder()
                .logDirectory(logs)
                .onWarning(w -> {})
                .urlRetryCooldown(COOL_DOWN)
                .server(McpServerConfig.http("web", "http://127.0.0.1:" + port + "/mcp"))
                .build()) {
            assertEquals("Echo: up", echo(hub, "up"));
            stop(server);
            server.waitFor();
            // The call that finds it gone, the restart that cannot connect, and one while it is given up on.
            for (int i = 0; i < 3; i++) {
                failures.add(echo(hub, "down"));
            }
            assertEquals(ToolHub.ServerStatus.State.FAILED, hub.servers().get(0).state());
            for (String failure : failures) {
                assertFalse(failure.startsWith("Echo"), failures.toString());
                assertFalse(failure.contains(": null"), failures.toString());
                assertFalse(failure.contains("Exception"), failures.toString());
            }
            assertTrue(
                    failures.get(2).contains("cannot connect to http://127.0.0.1:" + port + "/mcp (connection refused"),
                    failures.toString());
            assertTrue(failures.get(2).contains("Toolhost tries it again on a call in "), failures.toString());

            server = serve(port);
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> echo(hub, "back"), "Echo: back"::equals);
            assertEquals(ToolHub.ServerStatus.State.READY, hub.servers().get(0).state());
        } finally {
            stop(server);
        }
    }

    private static String echo(McpHub hub, String message) {
        McpSchema.CallToolResult r = hub.call("mcp__web__echo", Map.of("message", message), CallContext.none())
                .join();
        return ((McpSchema.TextContent) r.content().get(0)).text();
    }

    private static Process serve(int port) throws IOException {
        return Peers.serverEverything("streamableHttp", port);
    }

    private static void stop(Process p) {
        Peers.stopTree(p);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
