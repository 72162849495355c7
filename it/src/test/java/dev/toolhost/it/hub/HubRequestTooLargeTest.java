package dev.toolhost.it.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.config.McpServerConfig;
import dev.toolhost.it.Peers;
import dev.toolhost.mcp.client.CallContext;
import dev.toolhost.mcp.client.McpHub;
import dev.toolhost.mcp.client.ToolHub;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 16 item 8: a 413 from a remote server names the size limit; it is not a dropped connection. */
class HubRequestTooLargeTest {
    @TempDir
    Path home;

    @Test
    void a413NamesTheSizeLimitOnceAndKeepsTheSession() throws Exception {
        int port = Servers.freePort();
        ProcessBuilder pb = new ProcessBuilder(Peers.toolhost(
                "mcp-server", "--only", "builtin", "--http", "127.0.0.1:" + port, "--max-request-bytes", "65536"));
        pb.environment().put("TOOLHOST_HOME", home.toString());
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process server = pb.start();
        List<String> warnings = new CopyOnWriteArrayList<>();
        try {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        try (Socket s = new Socket("127.0.0.1", port)) {
                            return true;
                        } catch (IOException e) {
                            return false;
                        }
                    });
            try (McpHub hub = McpHub.builder()
                    .logDirectory(home)
                    .onWarning(warnings::add)
                    .server(McpServerConfig.http("remote", "http://127.0.0.1:" + port + "/mcp"))
                    .build()) {
                assertEquals(
                        ToolHub.ServerStatus.State.READY,
                        hub.servers().get(0).state(),
                        hub.servers().toString());
                McpSchema.CallToolResult r = hub.call(
                                "mcp__remote__read_file", Map.of("path", "x".repeat(100_000)), CallContext.none())
                        .get(60, TimeUnit.SECONDS);
                assertEquals(Boolean.TRUE, r.isError());
                String text = Servers.text(r);
                assertTrue(text.contains("refused the request as too large (HTTP 413 Content Too Large)"), text);
                assertTrue(
                        text.contains("the arguments (100011 bytes as JSON) are over the server's size limit"), text);
                assertFalse(text.contains("dropped the connection"), text);
                assertFalse(text.contains("restarted"), text);
                assertTrue(warnings.stream().noneMatch(w -> w.contains("remote")), warnings.toString());
                assertEquals(
                        ToolHub.ServerStatus.State.READY, hub.servers().get(0).state());
            }
        } finally {
            server.destroyForcibly();
        }
    }
}
