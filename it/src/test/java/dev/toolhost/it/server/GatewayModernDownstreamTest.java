package dev.toolhost.it.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.it.ModernClient;
import dev.toolhost.it.Peers;
import dev.toolhost.it.V2Server;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * {@code toolhost mcp-server} in front of a 2026-07-28 downstream server (the TS SDK v2 fixture over stdio): its
 * input-required result reaches the upstream client of either era (a legacy client gets {@code elicitation/create}
 * on its session, a modern one an {@code input_required} result) and the retry completes the call downstream; its
 * list changes reach the upstream listeners.
 */
class GatewayModernDownstreamTest {
    @TempDir
    Path home;

    @ParameterizedTest
    @ValueSource(strings = {"legacy", "2026-07-28"})
    void anUpstreamClientOfEitherEraAnswersTheDownstreamElicitation(String upstreamEra) throws Exception {
        List<String> v2 = V2Server.stdioCommand();
        Files.writeString(
                home.resolve("config.toml"),
                "[mcp_servers.m]\ncommand = \"" + v2.get(0) + "\"\nargs = [\""
                        + String.join("\", \"", v2.subList(1, v2.size())) + "\"]\nstartup_timeout_sec = 30\n");
        List<String> gateway = Peers.toolhost("mcp-server");
        Map<String, Object> spec = Map.of(
                "transport",
                        Map.of(
                                "type",
                                "stdio",
                                "command",
                                gateway.get(0),
                                "args",
                                new ArrayList<>(gateway.subList(1, gateway.size())),
                                "env",
                                Map.of("TOOLHOST_HOME", home.toString(), "PATH", System.getenv("PATH"))),
                "negotiation", upstreamEra,
                "elicitation", Map.of("action", "accept", "content", Map.of("name", "Ada")),
                "operations", List.of(Map.of("op", "call_tool", "name", "mcp__m__ask_name", "arguments", Map.of())),
                "timeoutMs", 90_000);
        ModernClient.Output out = ModernClient.run(spec, Duration.ofSeconds(120));
        assertEquals(
                upstreamEra.equals("legacy") ? "legacy" : "modern",
                out.connected().path("era").asString());
        JsonNode call = out.operations().get(0);
        assertTrue(call.path("ok").asBoolean(), call.toString());
        assertEquals("Hello, Ada!", call.path("text").asString(), call.toString());
        assertEquals(1, call.path("elicitations").size(), call.toString());
        assertEquals(
                "What is your name?",
                call.path("elicitations").get(0).path("params").path("message").asString());
        assertTrue(
                Files.readString(home.resolve("cache/mcp-eras.json")).contains("2026-07-28"),
                "the downstream server was found modern");
    }

    private static final String META = "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\","
            + "\"io.modelcontextprotocol/clientCapabilities\":{}}";

    /**
     * The downstream server (the conformance fixture, 2026-07-28 over stdio) adds a tool, then a prompt: each
     * change reaches a 2026-07-28 {@code subscriptions/listen} stream on the gateway, and the list the gateway
     * serves then has the new item. Every call also makes the hub fetch its lists (the fixture's {@code ttlMs} is
     * 0), so the server's {@code list_changed} meets a fetch already under way: it must not be lost to it.
     */
    @Test
    void aDownstreamListChangeReachesAnUpstreamListener() throws Exception {
        Files.writeString(home.resolve("config.toml"), """
                [mcp_servers.fixture]
                command = "node"
                args = ["%s"]
                cwd = "%s"
                startup_timeout_sec = 30
                """.formatted(
                        Peers.peersDir().resolve("scripts/conformance-fixture.mjs"), Peers.peersDir()));
        ProcessBuilder pb = new ProcessBuilder(Peers.toolhost("mcp-server"))
                .redirectError(home.resolve("gateway.log").toFile());
        pb.environment().put("TOOLHOST_HOME", home.toString());
        Process p = pb.start();
        try (var in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                var out = p.getOutputStream()) {
            send(
                    out,
                    "\"listen-1\"",
                    "subscriptions/listen",
                    "\"notifications\":{\"toolsListChanged\":true,\"promptsListChanged\":true}");
            String ack = ServerFixtures.readLine(in);
            assertTrue(
                    ack.contains("notifications/subscriptions/acknowledged")
                            && ack.contains("\"toolsListChanged\":true")
                            && ack.contains("\"promptsListChanged\":true"),
                    ack);

            String toolChanged = callAndAwait(in, out, 2, "mcp__fixture__test_trigger_tool_change", "tools");
            assertTrue(toolChanged.contains("\"io.modelcontextprotocol/subscriptionId\":\"listen-1\""), toolChanged);
            send(out, "3", "tools/list", null);
            String tools = awaitId(in, 3);
            assertTrue(tools.contains("\"mcp__fixture__dynamic_tool_1\""), tools);

            String promptChanged = callAndAwait(in, out, 4, "mcp__fixture__test_trigger_prompt_change", "prompts");
            assertTrue(
                    promptChanged.contains("\"io.modelcontextprotocol/subscriptionId\":\"listen-1\""), promptChanged);
            send(out, "5", "prompts/list", null);
            String prompts = awaitId(in, 5);
            assertTrue(prompts.contains("\"mcp__fixture__dynamic_prompt_2\""), prompts);
        } finally {
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Calls {@code tool} and reads until both its answer and {@code notifications/LIST/list_changed} came. */
    private static String callAndAwait(BufferedReader in, OutputStream out, int id, String tool, String list)
            throws Exception {
        send(out, String.valueOf(id), "tools/call", "\"name\":\"" + tool + "\",\"arguments\":{}");
        String changed = null;
        boolean answered = false;
        while (changed == null || !answered) {
            String line = ServerFixtures.readLine(in);
            if (line.contains("\"notifications/" + list + "/list_changed\"")) {
                changed = line;
            } else if (line.contains("\"id\":" + id + ",") || line.endsWith("\"id\":" + id + "}")) {
                assertTrue(line.contains("\"result\"") && !line.contains("\"isError\":true"), line);
                answered = true;
            }
        }
        return changed;
    }

    private static String awaitId(BufferedReader in, int id) throws Exception {
        while (true) {
            String line = ServerFixtures.readLine(in);
            if (line.contains("\"id\":" + id + ",") || line.endsWith("\"id\":" + id + "}")) {
                return line;
            }
        }
    }

    private static void send(OutputStream out, String id, String method, String params) throws IOException {
        String body = params == null ? META : params + "," + META;
        out.write(("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":{" + body + "}}\n")
                .getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
