package dev.toolhost.it.server;

import static dev.toolhost.it.server.ServerFixtures.env;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code toolhost mcp-server} over stdio, driven by real clients. */
class StdioServerTest {
    @TempDir
    Path tmp;

    @Test
    void javaSdkClientListsAndCallsTheBuiltinTools() throws Exception {
        Path home = home(tmp.resolve("home"), "");
        Path work = Files.createDirectories(tmp.resolve("work"));
        Files.writeString(work.resolve("hello.txt"), "hello from the file\n");
        try (McpSyncClient client = stdioClient(home, null, "mcp-server", "--only", "builtin", "-C", work.toString())) {
            List<String> names = client.listTools().tools().stream()
                    .map(McpSchema.Tool::name)
                    .toList();
            assertTrue(
                    names.containsAll(List.of("exec_command", "apply_patch", "read_file", "update_plan")),
                    names.toString());
            assertFalse(names.contains("agent"), "--only builtin serves the built-in tools alone: " + names);
            McpSchema.CallToolResult result =
                    client.callTool(new McpSchema.CallToolRequest("read_file", Map.of("path", "hello.txt")));
            assertFalse(Boolean.TRUE.equals(result.isError()), text(result));
            assertTrue(text(result).contains("hello from the file"), text(result));
        }
    }

    @Test
    void withoutConfigItServesTheBuiltinToolsAndTheAgentTools() throws Exception {
        Path home = home(tmp.resolve("home"), "");
        try (McpSyncClient client = stdioClient(home, null, "mcp-server")) {
            List<String> names = client.listTools().tools().stream()
                    .map(McpSchema.Tool::name)
                    .toList();
            assertTrue(names.containsAll(List.of("read_file", "agent", "agent-reply")), names.toString());
            McpSchema.CallToolResult result =
                    client.callTool(new McpSchema.CallToolRequest("agent", Map.of("prompt", "say hi")));
            assertTrue(Boolean.TRUE.equals(result.isError()), "no model is configured: " + text(result));
            assertTrue(
                    text(result).startsWith("no model is configured on this MCP server: its owner must set one"),
                    "the error says who configures a model: " + text(result));
            // The client can neither edit the server's config nor pass its flags; the path is none of its business.
            assertFalse(text(result).contains(home.toString()), text(result));
            assertFalse(text(result).contains("--model"), text(result));
        }
    }

    @Test
    void inspectorCliListsAndCallsToolsOverStdio() throws Exception {
        Path home = home(tmp.resolve("home"), "");
        Map<String, String> env = env(home);
        env.put("MCP_CATALOG_PATH", tmp.resolve("catalog.json").toString());
        List<String> server = new ArrayList<>(Peers.toolhost("mcp-server", "--only", "builtin"));
        List<String> list = new ArrayList<>(List.of(Peers.bin("mcp-inspector").toString(), "--cli"));
        list.addAll(server);
        list.addAll(List.of("--method", "tools/list"));
        var listed = ServerFixtures.run(env, Duration.ofSeconds(60), list);
        assertEquals(0, listed.exitCode(), listed.output());
        assertTrue(listed.output().contains("\"apply_patch\""), listed.output());

        List<String> call = new ArrayList<>(List.of(Peers.bin("mcp-inspector").toString(), "--cli"));
        call.addAll(server);
        call.addAll(List.of(
                "--method",
                "tools/call",
                "--tool-name",
                "update_plan",
                "--tool-arg",
                "explanation=from the inspector"));
        var called = ServerFixtures.run(env, Duration.ofSeconds(60), call);
        assertEquals(0, called.exitCode(), called.output());
        assertTrue(called.output().contains("\"content\""), called.output());
        assertFalse(called.output().contains("\"isError\": true"), called.output());
    }

    @Test
    void clientsAskingForOlderAndNewestProtocolVersionsEachGetTheirs() throws Exception {
        Path home = home(tmp.resolve("home"), "");
        for (String version : List.of("2025-06-18", "2025-11-25")) {
            List<String> args = new ArrayList<>(List.of("--init-only", "--protocol", version, "--"));
            args.addAll(Peers.toolhost("mcp-server", "--only", "builtin"));
            Map<String, Object> summary = ServerFixtures.node(env(home), Duration.ofSeconds(60), "mcp-load.mjs", args);
            assertEquals(version, summary.get("protocolVersion"), summary.toString());
        }
    }
}
