package dev.toolhost.it.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.it.ModernClient;
import dev.toolhost.it.Peers;
import dev.toolhost.it.V2Server;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * {@code toolhost mcp-server} in front of a 2026-07-28 downstream server (the TS SDK v2 fixture over stdio): its
 * input-required result reaches the upstream client of either era (a legacy client gets {@code elicitation/create}
 * on its session, a modern one an {@code input_required} result) and the retry completes the call downstream.
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
}
