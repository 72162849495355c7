package dev.toolhost.it.server;

import static dev.toolhost.it.server.ServerFixtures.home;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.it.ModernClient;
import dev.toolhost.it.Peers;
import io.modelcontextprotocol.json.McpJsonDefaults;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
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

    /**
     * A client that neither initializes nor speaks 2026-07-28 is told what to do instead of waiting forever; a ping
     * is answered before the handshake too.
     */
    @Test
    @SuppressWarnings("unchecked")
    void aRequestBeforeInitializeGetsAnErrorSayingHowToStart() throws Exception {
        Path home = home(tmp.resolve("home"), "");
        ProcessBuilder pb = new ProcessBuilder(Peers.toolhost("mcp-server", "--only", "builtin"))
                .redirectError(home.resolve("stderr.log").toFile());
        pb.environment().putAll(ServerFixtures.env(home));
        Process p = pb.start();
        try {
            BufferedWriter in = p.outputWriter(StandardCharsets.UTF_8);
            in.write("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/roots/list_changed\"}\n");
            in.write("{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/list\",\"params\":{}}\n");
            in.write("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"ping\"}\n");
            in.flush();
            BufferedReader out = p.inputReader(StandardCharsets.UTF_8);
            CompletableFuture<List<String>> lines = CompletableFuture.supplyAsync(() -> {
                try {
                    return List.of(String.valueOf(out.readLine()), String.valueOf(out.readLine()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            // Before the fix nothing came back: the wait ends (and the process is killed below) instead of hanging.
            List<String> answers = lines.get(60, TimeUnit.SECONDS);
            Map<String, Object> refused = McpJsonDefaults.getMapper().readValue(answers.get(0), Map.class);
            assertEquals(4, refused.get("id"), answers.toString());
            Map<String, Object> error = (Map<String, Object>) refused.get("error");
            assertEquals(-32600, error.get("code"), answers.toString());
            String message = String.valueOf(error.get("message"));
            assertTrue(message.contains("send an 'initialize' request"), message);
            assertTrue(message.contains("io.modelcontextprotocol/protocolVersion"), message);
            assertEquals(
                    Map.of("jsonrpc", "2.0", "id", 5, "result", Map.of()),
                    McpJsonDefaults.getMapper().readValue(answers.get(1), Map.class));
        } finally {
            p.destroyForcibly(); // ends a read still waiting (the streams close with the process)
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

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
