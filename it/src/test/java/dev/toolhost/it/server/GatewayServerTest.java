package dev.toolhost.it.server;

import static dev.toolhost.it.server.ServerFixtures.home;
import static dev.toolhost.it.server.ServerFixtures.stdioClient;
import static dev.toolhost.it.server.ServerFixtures.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.it.Peers;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Agent to agent: a second Toolhost has the first ({@code toolhost mcp-server --only builtin}) configured
 * as an external MCP server and serves its tools; approvals the first asks for travel back through the
 * second to the client that made the call.
 */
class GatewayServerTest {
    @TempDir
    Path tmp;

    Path work;
    Path secondHome;

    @BeforeEach
    void configure() throws Exception {
        work = Files.createDirectories(tmp.resolve("work"));
        Files.writeString(work.resolve("notes.txt"), "written before the gateway started\n");
        Path firstHome = home(tmp.resolve("first-home"), "");
        List<String> first = Peers.toolhost(
                "mcp-server",
                "--only",
                "builtin",
                "-C",
                work.toString(),
                "-a",
                "untrusted",
                "-s",
                "danger-full-access");
        secondHome = home(
                tmp.resolve("second-home"),
                "[mcp_servers.first]\n"
                        + "command = " + toml(first.get(0)) + "\n"
                        + "args = ["
                        + first.subList(1, first.size()).stream()
                                .map(GatewayServerTest::toml)
                                .collect(Collectors.joining(", "))
                        + "]\n"
                        + "env = { TOOLHOST_HOME = " + toml(firstHome.toString()) + " }\n"
                        + "startup_timeout_sec = 60\n");
    }

    private static String toml(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @Test
    void secondToolhostServesAndCallsTheFirstOnesBuiltinTools() {
        try (McpSyncClient client = stdioClient(secondHome, null, "mcp-server", "--only", "first")) {
            List<String> names = client.listTools().tools().stream()
                    .map(McpSchema.Tool::name)
                    .toList();
            assertTrue(names.contains("mcp__first__read_file"), names.toString());
            McpSchema.CallToolResult result = client.callTool(
                    new McpSchema.CallToolRequest("mcp__first__read_file", Map.of("path", "notes.txt")));
            assertFalse(Boolean.TRUE.equals(result.isError()), text(result));
            assertTrue(text(result).contains("written before the gateway started"), text(result));
        }
    }

    @Test
    void anApprovalAskedByTheFirstIsAnsweredByTheCallingClient() throws Exception {
        List<String> asked = new CopyOnWriteArrayList<>();
        try (McpSyncClient client = stdioClient(
                secondHome,
                request -> {
                    asked.add(request.message());
                    return new McpSchema.ElicitResult(
                            McpSchema.ElicitResult.Action.ACCEPT, Map.of("decision", "approved"));
                },
                "mcp-server",
                "--only",
                "first")) {
            McpSchema.CallToolResult result = client.callTool(
                    new McpSchema.CallToolRequest("mcp__first__exec_command", Map.of("cmd", "touch approved.txt")));
            assertFalse(Boolean.TRUE.equals(result.isError()), text(result));
            assertEquals(1, asked.size(), "one approval request reached the client: " + asked);
            assertTrue(asked.get(0).contains("touch approved.txt"), asked.get(0));
            assertTrue(Files.exists(work.resolve("approved.txt")), "the approved command ran: " + text(result));
        }
    }

    @Test
    void aClientWithoutElicitationGetsADenialThatSaysWhy() {
        try (McpSyncClient client = stdioClient(secondHome, null, "mcp-server", "--only", "first")) {
            McpSchema.CallToolResult result = client.callTool(
                    new McpSchema.CallToolRequest("mcp__first__exec_command", Map.of("cmd", "touch denied.txt")));
            assertTrue(Boolean.TRUE.equals(result.isError()), text(result));
            assertTrue(text(result).contains("elicitation"), "the denial says why: " + text(result));
            assertFalse(Files.exists(work.resolve("denied.txt")));
        }
    }
}
