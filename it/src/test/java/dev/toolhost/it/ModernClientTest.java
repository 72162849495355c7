package dev.toolhost.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The TS SDK v2 client script against the v2 server fixture, directly on stdio and behind nginx on HTTP. */
class ModernClientTest {
    private static final List<Map<String, Object>> OPERATIONS = List.of(
            Map.of("op", "list_tools"),
            Map.of("op", "call_tool", "name", "echo", "arguments", Map.of("message", "hi")),
            Map.of("op", "call_tool", "name", "ask_name"));

    @Test
    void autoNegotiatesModernOnStdioAndAnswersTheElicitation() {
        ModernClient.Output out = ModernClient.run(
                Map.of(
                        "transport",
                        Map.of(
                                "type",
                                "stdio",
                                "command",
                                "node",
                                "args",
                                V2Server.stdioCommand().subList(1, 3)),
                        "negotiation",
                        "auto",
                        "elicitation",
                        Map.of("action", "accept", "content", Map.of("name", "Ada")),
                        "operations",
                        OPERATIONS),
                Duration.ofSeconds(60));

        assertEquals(0, out.exitCode(), out.lines().toString());
        assertEquals("modern", out.connected().get("era").asString());
        assertEquals("2026-07-28", out.connected().get("protocolVersion").asString());
        List<JsonNode> ops = out.operations();
        assertEquals(List.of("echo", "ask_name"), names(ops.get(0).get("tools")));
        assertEquals("Echo: hi", ops.get(1).get("text").asString());
        assertEquals(
                "Hello, Ada!", ops.get(2).get("text").asString(), ops.get(2).toString());
        assertEquals(1, ops.get(2).get("elicitations").size());
    }

    @Test
    void modernCallsSpreadOverTwoReplicasBehindNginx() throws Exception {
        try (V2Server a = new V2Server(true);
                V2Server b = new V2Server(true);
                Nginx lb = Nginx.start(List.of(hostPort(a.url()), hostPort(b.url())), Nginx.Balancing.ROUND_ROBIN)) {
            ModernClient.Output out = ModernClient.run(
                    Map.of(
                            "transport",
                            Map.of("type", "http", "url", lb.url("/mcp")),
                            "negotiation",
                            "2026-07-28",
                            "elicitation",
                            Map.of("action", "decline"),
                            "operations",
                            OPERATIONS),
                    Duration.ofSeconds(60));

            assertEquals("modern", out.connected().get("era").asString());
            List<JsonNode> ops = out.operations();
            assertEquals("Echo: hi", ops.get(1).get("text").asString(), ops.toString());
            // The input_required round and its retry are separate requests: the retry may land on the other replica.
            assertEquals("elicitation decline", ops.get(2).get("text").asString(), ops.toString());
            Set<String> upstreams =
                    lb.accessLog().stream().map(l -> l.split(" ")[0]).collect(Collectors.toSet());
            assertEquals(
                    Set.of(hostPort(a.url()), hostPort(b.url())),
                    upstreams,
                    lb.accessLog().toString());
        }
    }

    private static List<String> names(JsonNode array) {
        return array.valueStream().map(JsonNode::asString).toList();
    }

    private static String hostPort(String url) {
        return url.substring("http://".length(), url.indexOf('/', "http://".length()));
    }
}
