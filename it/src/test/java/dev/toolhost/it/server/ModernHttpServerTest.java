package dev.toolhost.it.server;

import static dev.toolhost.it.server.ServerFixtures.home;
import static dev.toolhost.it.server.ServerFixtures.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.it.ModernClient;
import dev.toolhost.it.Peers;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * The TypeScript SDK v2 client, speaking 2026-07-28, against {@code toolhost mcp-server --http} while a legacy
 * (Java SDK) session is open on the same endpoint: built-in and proxied tools listed and called, and an
 * approval answered as an input_required round trip.
 */
class ModernHttpServerTest {
    private static final String TOKEN = "it-modern-token-1";

    @TempDir
    static Path tmp;

    static Path work;
    static ServerFixtures.HttpServerProcess server;

    @BeforeAll
    static void start() throws Exception {
        Path home = home(
                tmp.resolve("home"),
                "[mcp_servers.everything]\ncommand = \"" + Peers.bin("mcp-server-everything") + "\"\n");
        work = Files.createDirectories(tmp.resolve("work"));
        server = new ServerFixtures.HttpServerProcess(
                home,
                Map.of("IT_MCP_TOKEN", TOKEN),
                "--only",
                "builtin,everything",
                "--token-env",
                "IT_MCP_TOKEN",
                "-C",
                work.toString(),
                "-s",
                "workspace-write",
                "-a",
                "untrusted");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-07-28", "auto"})
    void theV2ClientIsServedStatelesslyBesideALegacySession(String negotiation) throws Exception {
        try (McpSyncClient legacy = ServerFixtures.httpClient(server.url(), TOKEN)) {
            Path made = work.resolve("made-" + negotiation);
            ModernClient.Output out = ModernClient.run(
                    Map.of(
                            "transport", Map.of("type", "http", "url", server.url(), "bearerToken", TOKEN),
                            "negotiation", negotiation,
                            "elicitation", Map.of("action", "accept", "content", Map.of("decision", "approved")),
                            "operations",
                                    List.of(
                                            Map.of("op", "list_tools"),
                                            Map.of(
                                                    "op",
                                                    "call_tool",
                                                    "name",
                                                    "exec_command",
                                                    "arguments",
                                                    Map.of(
                                                            "cmd",
                                                            "touch " + made.getFileName() + " && echo made-it",
                                                            "login",
                                                            false)),
                                            Map.of(
                                                    "op",
                                                    "call_tool",
                                                    "name",
                                                    "mcp__everything__echo",
                                                    "arguments",
                                                    Map.of("message", "through the hub")))),
                    Duration.ofSeconds(120));

            assertEquals(0, out.exitCode(), out.lines().toString());
            assertEquals(
                    "modern",
                    out.connected().get("era").asString(),
                    out.connected().toString());
            assertEquals("2026-07-28", out.connected().get("protocolVersion").asString());
            List<JsonNode> ops = out.operations();
            List<String> tools = ops.get(0)
                    .get("tools")
                    .valueStream()
                    .map(JsonNode::asString)
                    .toList();
            assertTrue(tools.contains("exec_command") && tools.contains("mcp__everything__echo"), tools.toString());

            JsonNode exec = ops.get(1);
            assertTrue(exec.get("ok").asBoolean(), exec.toString());
            assertTrue(exec.get("text").asString().contains("made-it"), exec.toString());
            assertEquals(1, exec.get("elicitations").size(), "the approval was one input_required round: " + exec);
            assertTrue(Files.exists(made), "the approved command ran");
            assertTrue(
                    ops.get(2).get("text").asString().contains("through the hub"),
                    ops.get(2).toString());

            McpSchema.CallToolResult echo = legacy.callTool(
                    new McpSchema.CallToolRequest("mcp__everything__echo", Map.of("message", "legacy still served")));
            assertFalse(Boolean.TRUE.equals(echo.isError()), text(echo));
            assertTrue(text(echo).contains("legacy still served"), text(echo));
        }
    }
}
