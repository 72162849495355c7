package dev.toolhost.it.server;

import static dev.toolhost.it.server.ServerFixtures.home;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.it.ModernClient;
import dev.toolhost.it.Peers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * The TypeScript SDK v2 client, speaking 2026-07-28, against {@code toolhost mcp-server} on stdio: built-in and
 * proxied tools listed and called, and an approval answered as an input_required round trip.
 */
class ModernStdioServerTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"2026-07-28", "auto"})
    void theV2ClientListsAndCallsToolsAndAnswersAnApprovalStatelessly(String negotiation) throws Exception {
        Path home = home(
                tmp.resolve("home"),
                "[mcp_servers.everything]\ncommand = \"" + Peers.bin("mcp-server-everything") + "\"\n");
        Path work = Files.createDirectories(tmp.resolve("work"));
        List<String> cmd = Peers.toolhost(
                "-C",
                work.toString(),
                "-s",
                "workspace-write",
                "-a",
                "untrusted",
                "mcp-server",
                "--only",
                "builtin,everything");
        ModernClient.Output out = ModernClient.run(
                Map.of(
                        "transport",
                                Map.of(
                                        "type",
                                        "stdio",
                                        "command",
                                        cmd.get(0),
                                        "args",
                                        cmd.subList(1, cmd.size()),
                                        "env",
                                        Map.of("TOOLHOST_HOME", home.toString())),
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
                                                Map.of("cmd", "touch made && echo made-it", "login", false)),
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
                "modern", out.connected().get("era").asString(), out.connected().toString());
        assertEquals("2026-07-28", out.connected().get("protocolVersion").asString());
        assertEquals("toolhost", out.connected().get("serverInfo").get("name").asString());
        List<JsonNode> ops = out.operations();

        List<String> tools =
                ops.get(0).get("tools").valueStream().map(JsonNode::asString).toList();
        assertTrue(tools.contains("exec_command") && tools.contains("mcp__everything__echo"), tools.toString());
        assertEquals(tools.stream().sorted().toList(), tools, "tools/list is in a deterministic (name) order");

        JsonNode exec = ops.get(1);
        assertTrue(exec.get("ok").asBoolean(), exec.toString());
        assertFalse(exec.get("result").path("isError").asBoolean(false), exec.toString());
        assertTrue(exec.get("text").asString().contains("made-it"), exec.toString());
        assertEquals(1, exec.get("elicitations").size(), "the approval was one input_required round: " + exec);
        assertTrue(
                exec.get("elicitations")
                        .get(0)
                        .get("params")
                        .get("message")
                        .asString()
                        .contains("touch made"),
                exec.toString());
        assertTrue(Files.exists(work.resolve("made")), "the approved command ran");

        JsonNode echo = ops.get(2);
        assertTrue(echo.get("ok").asBoolean(), echo.toString());
        assertTrue(echo.get("text").asString().contains("through the hub"), echo.toString());
    }
}
