package dev.toolhost.it.server;

import static dev.toolhost.it.server.ServerFixtures.home;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.it.ModernClient;
import dev.toolhost.it.Peers;
import dev.toolhost.mcp.client.LosslessStdioClientTransport;
import dev.toolhost.mcp.client.StdioLaunch;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * The gateway between MCP eras, with real peers: a TypeScript SDK v2 client of either era ({@code modern-client.mjs})
 * calls, through {@code toolhost mcp-server} over stdio, a legacy server (server-everything) and a dual-era one
 * ({@code v2-server.mjs}) whose tools ask the client for elicitation and sampling in the middle of a call.
 * A modern caller gets those requests as {@code input_required} rounds (the downstream call parked meanwhile), a
 * legacy caller as requests on its session.
 */
class EraBridgeTest {
    private static final Duration RUN = Duration.ofSeconds(120);
    private static final Map<String, Object> ADA = Map.of(
            "action",
            "accept",
            "content",
            Map.of(
                    "name",
                    "Ada Lovelace",
                    "check",
                    true,
                    "email",
                    "ada@example.com",
                    "integer",
                    1,
                    "number",
                    1.5,
                    "untitledSingleSelectEnum",
                    "option1"));

    @TempDir
    static Path tmp;

    static Path home;

    @BeforeAll
    static void configure() throws Exception {
        home = home(tmp.resolve("home"), """
                [mcp_servers.everything]
                command = "%s"

                [mcp_servers.v2]
                command = "node"
                args = ["%s", "stdio"]
                cwd = "%s"

                [mcp_servers.fixture]
                command = "node"
                args = ["%s"]
                cwd = "%s"

                [mcp_servers.legacyfixture]
                command = "node"
                args = ["%s", "--legacy-only"]
                cwd = "%s"
                """.formatted(
                        Peers.bin("mcp-server-everything"),
                        Peers.peersDir().resolve("scripts/v2-server.mjs"),
                        Peers.peersDir(),
                        Peers.peersDir().resolve("scripts/conformance-fixture.mjs"),
                        Peers.peersDir(),
                        Peers.peersDir().resolve("scripts/conformance-fixture.mjs"),
                        Peers.peersDir()));
    }

    /** modern-client's stdio transport spawning {@code toolhost ARGS} with our home. */
    private static Map<String, Object> toolhost(String... args) {
        List<String> cmd = Peers.toolhost(args);
        return Map.of(
                "type",
                "stdio",
                "command",
                cmd.get(0),
                "args",
                cmd.subList(1, cmd.size()),
                "env",
                Map.of("TOOLHOST_HOME", home.toString()));
    }

    private static ModernClient.Output run(
            String negotiation,
            Map<String, Object> elicitation,
            String samplingText,
            List<Map<String, Object>> operations,
            String... toolhostArgs) {
        return run(negotiation, elicitation, samplingText, null, operations, toolhostArgs);
    }

    private static ModernClient.Output run(
            String negotiation,
            Map<String, Object> elicitation,
            String samplingText,
            String logLevel,
            List<Map<String, Object>> operations,
            String... toolhostArgs) {
        Map<String, Object> spec = new HashMap<>();
        if (logLevel != null) {
            spec.put("logLevel", logLevel);
        }
        spec.put("transport", toolhost(toolhostArgs));
        spec.put("negotiation", negotiation);
        spec.put("operations", operations);
        spec.put("timeoutMs", 60_000);
        if (elicitation != null) {
            spec.put("elicitation", elicitation);
        }
        if (samplingText != null) {
            spec.put("sampling", Map.of("text", samplingText));
        }
        ModernClient.Output out = ModernClient.run(spec, RUN);
        assertEquals(0, out.exitCode(), out.lines().toString());
        return out;
    }

    private static Map<String, Object> call(String tool, Map<String, Object> arguments) {
        return Map.of("op", "call_tool", "name", tool, "arguments", arguments);
    }

    private static JsonNode ok(JsonNode op) {
        assertTrue(op.get("ok").asBoolean(), op.toString());
        return op;
    }

    /** Elicitation, sampling and progress of a legacy server, for a caller of the given era. */
    private static void legacyServerRoundTrips(String negotiation, String era) {
        ModernClient.Output out = run(
                negotiation,
                ADA,
                "Paris",
                List.of(
                        call("mcp__everything__trigger-elicitation-request", Map.of()),
                        call("mcp__everything__trigger-sampling-request", Map.of("prompt", "Capital of France?")),
                        call("mcp__everything__trigger-long-running-operation", Map.of("duration", 1, "steps", 3))),
                "mcp-server",
                "--only",
                "everything");
        assertEquals(era, out.connected().get("era").asString(), out.connected().toString());
        List<JsonNode> ops = out.operations();

        JsonNode elicited = ok(ops.get(0));
        assertTrue(elicited.get("text").asString().contains("Name: Ada Lovelace"), elicited.toString());
        assertEquals(1, elicited.get("elicitations").size(), elicited.toString());

        JsonNode sampled = ok(ops.get(1));
        assertTrue(sampled.get("text").asString().contains("Paris"), sampled.toString());
        assertEquals(1, sampled.get("samplings").size(), sampled.toString());
        assertTrue(sampled.get("samplings").get(0).toString().contains("Capital of France?"), sampled.toString());

        JsonNode progressed = ok(ops.get(2));
        List<Double> progress = new ArrayList<>();
        progressed.get("progress").forEach(p -> progress.add(p.get("progress").asDouble()));
        // Toolhost sends all three before the result (in order, under the caller's token); the client may miss the
        // last, which arrives in the same read as the result and after the client has stopped listening for it.
        assertEquals(List.of(1.0, 2.0), progress.subList(0, Math.min(2, progress.size())), progressed.toString());
    }

    @Test
    void modernCallerAnswersALegacyServersElicitationAndSamplingAsInputRequiredRounds() {
        legacyServerRoundTrips("2026-07-28", "modern");
    }

    @Test
    void legacyCallerAnswersALegacyServersElicitationAndSamplingOnItsSession() {
        legacyServerRoundTrips("legacy", "legacy");
    }

    /** The trial's case: a person answering slower than tool_timeout_sec (1 s here) does not lose the call. */
    @ParameterizedTest
    @ValueSource(strings = {"2026-07-28", "legacy"})
    void timeTheCallerTakesToAnswerDoesNotCountTowardTheToolTimeout(String negotiation) {
        Map<String, Object> slowAda = new HashMap<>(ADA);
        slowAda.put("delayMs", 2_500);
        ModernClient.Output out = run(
                negotiation,
                slowAda,
                null,
                List.of(call("mcp__everything__trigger-elicitation-request", Map.of())),
                "mcp-server",
                "--only",
                "everything",
                "-c",
                "mcp_servers.everything.tool_timeout_sec=1");
        JsonNode elicited = ok(out.operations().get(0));
        assertTrue(elicited.get("text").asString().contains("Name: Ada Lovelace"), elicited.toString());
    }

    @Test
    void modernCallerWithoutTheCapabilityGetsMissingRequiredClientCapability() {
        ModernClient.Output out = run(
                "2026-07-28",
                null,
                null,
                List.of(
                        call("mcp__everything__trigger-elicitation-request", Map.of()),
                        call("mcp__everything__echo", Map.of("message", "still serving"))),
                "mcp-server",
                "--only",
                "everything");
        JsonNode refused = out.operations().get(0);
        assertFalse(refused.get("ok").asBoolean(), refused.toString());
        assertEquals(-32021, refused.get("error").get("code").asInt(), refused.toString());
        assertTrue(refused.get("error").toString().contains("elicitation"), refused.toString());
        assertTrue(ok(out.operations().get(1)).get("text").asString().contains("still serving"));
    }

    @Test
    void legacyCallerWithoutTheCapabilityGetsAToolErrorFromServersOfEitherEra() {
        // The same tool (its input_required elicitation is elicitation/create on a legacy connection) on a legacy
        // connection and on a 2026-07-28 one: a legacy session knows no -32021.
        for (String server : List.of("legacyfixture", "fixture")) {
            ModernClient.Output out = run(
                    "legacy",
                    null,
                    null,
                    List.of(call("test_streaming_elicitation", Map.of())),
                    "mcp-server",
                    "--bridge",
                    server);
            JsonNode refused = ok(out.operations().get(0));
            assertTrue(refused.get("result").get("isError").asBoolean(), server + ": " + refused);
            assertTrue(
                    refused.get("text").asString().contains("did not declare the elicitation capability"),
                    server + ": " + refused);
        }
        try (McpSyncClient client = ServerFixtures.stdioClient(home, null, "mcp-server", "--bridge", "fixture")) {
            McpError e = assertThrows(
                    McpError.class,
                    () -> client.getPrompt(
                            new McpSchema.GetPromptRequest("test_input_required_result_prompt", Map.of())));
            assertEquals(-32603, e.getJsonRpcError().code(), e.getMessage());
            assertTrue(e.getMessage().contains("did not declare the elicitation capability"), e.getMessage());
        }
    }

    @Test
    void callersOfBothErasAnswerADualEraServersElicitation() {
        for (String negotiation : List.of("2026-07-28", "legacy")) {
            ModernClient.Output out = run(
                    negotiation,
                    Map.of("action", "accept", "content", Map.of("name", "Ada")),
                    null,
                    List.of(call("mcp__v2__ask_name", Map.of())),
                    "mcp-server",
                    "--only",
                    "v2");
            JsonNode greeted = ok(out.operations().get(0));
            assertEquals("Hello, Ada!", greeted.get("text").asString(), negotiation + ": " + greeted);
        }
    }

    @Test
    void theBridgeServesOneServerUnderItsOwnNamesToBothEras() {
        for (String negotiation : List.of("2026-07-28", "legacy")) {
            ModernClient.Output out = run(
                    negotiation,
                    ADA,
                    null,
                    List.of(
                            Map.of("op", "list_tools"),
                            call("echo", Map.of("message", "bridged")),
                            call("trigger-elicitation-request", Map.of())),
                    "mcp-server",
                    "--bridge",
                    "everything");
            JsonNode listed = ok(out.operations().get(0));
            List<String> tools = new ArrayList<>();
            listed.get("tools").forEach(t -> tools.add(t.asString()));
            assertTrue(tools.contains("echo") && tools.contains("trigger-elicitation-request"), tools.toString());
            assertTrue(
                    tools.stream()
                            .noneMatch(t -> t.startsWith("mcp__") || t.equals("exec_command") || t.equals("agent")),
                    tools.toString());
            assertEquals(
                    "Echo: bridged", ok(out.operations().get(1)).get("text").asString());
            assertTrue(ok(out.operations().get(2)).get("text").asString().contains("Ada Lovelace"), negotiation);
        }
    }

    @Test
    void theHttpBridgeNamesItsServerOnStderrAndAnUnknownToolGetsARemoteCallersHint() throws Exception {
        try (ServerFixtures.HttpServerProcess bridge =
                new ServerFixtures.HttpServerProcess(home, Map.of(), "--bridge", "fixture")) {
            assertTrue(
                    bridge.stderr().contains("bridging MCP server 'fixture', serving MCP (streamable HTTP) on "),
                    bridge.stderr());
            Map<String, Object> unknown = ServerFixtures.modernRequest(
                    bridge.url(), "tools/call", Map.of("name", "no_such_tool", "arguments", Map.of()), Map.of());
            String message = String.valueOf(((Map<?, ?>) unknown.get("error")).get("message"));
            assertTrue(message.contains("unknown tool 'no_such_tool'"), unknown.toString());
            assertTrue(message.contains("tools/list"), message);
            assertFalse(message.contains("toolhost tools"), "a remote client has no toolhost CLI: " + message);
        }
    }

    @Test
    void traceContextCompletionsAndStructuredContentPassThroughUnchanged() {
        // A legacy caller (the Java SDK): _meta trace keys travel to the server, its structured content comes back.
        try (McpSyncClient client = ServerFixtures.stdioClient(home, null, "mcp-server", "--bridge", "fixture")) {
            McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest(
                    "echo_meta",
                    Map.of(),
                    Map.of("traceparent", TRACEPARENT, "tracestate", "vendor=1", "baggage", "user=ada")));
            assertEquals(
                    "{\"traceparent\":\"" + TRACEPARENT + "\",\"tracestate\":\"vendor=1\",\"baggage\":"
                            + "\"user=ada\"}",
                    ServerFixtures.text(result));
            // As the server sent it (the hub speaks 2026-07-28 to this dual-era server, where any JSON value is
            // allowed), unchanged by Toolhost even to a legacy caller.
            assertEquals(List.of(1, "two", Map.of("three", 3)), result.structuredContent());
            McpSchema.CompleteResult completed = client.completeCompletion(new McpSchema.CompleteRequest(
                    new McpSchema.PromptReference("test_prompt_with_arguments"),
                    new McpSchema.CompleteRequest.CompleteArgument("arg1", "par")));
            assertEquals(
                    List.of("paris", "park", "party"), completed.completion().values());
        }
        // A modern caller: the same completion through the 2026-07-28 dispatcher.
        ModernClient.Output out = run(
                "2026-07-28",
                null,
                null,
                List.of(Map.of(
                        "op",
                        "complete",
                        "ref",
                        Map.of("type", "ref/resource", "uri", "test://template/{id}/data"),
                        "argument",
                        Map.of("name", "id", "value", "12"))),
                "mcp-server",
                "--bridge",
                "fixture");
        JsonNode completed = ok(out.operations().get(0));
        assertEquals("[\"123\"]", completed.get("values").toString());
    }

    @Test
    void logMessagesOfACallReachThatRequestInBothEras() {
        for (String negotiation : List.of("2026-07-28", "legacy")) {
            ModernClient.Output out = run(
                    negotiation,
                    null,
                    null,
                    "info",
                    List.of(call("test_tool_with_logging", Map.of()), call("test_simple_text", Map.of())),
                    "mcp-server",
                    "--bridge",
                    "fixture");
            List<String> logged = new ArrayList<>();
            ok(out.operations().get(0))
                    .get("logs")
                    .forEach(l -> logged.add(l.get("data").asString()));
            assertEquals(
                    List.of("Tool execution started", "Tool processing data", "Tool execution completed"),
                    logged,
                    negotiation);
            assertEquals(0, ok(out.operations().get(1)).get("logs").size(), negotiation);
        }
    }

    @Test
    void resourceUpdatesReachSubscribersOfBothEras() throws Exception {
        // A legacy server's resources/subscribe (a 2026-07-28 server has none). Legacy caller: on its session.
        List<String> updated = new CopyOnWriteArrayList<>();
        var launch = new StdioLaunch(
                "toolhost",
                Peers.toolhost("mcp-server", "--bridge", "legacyfixture"),
                ServerFixtures.env(home),
                null,
                home.resolve("legacy-subscriber.log"));
        try (McpSyncClient client = McpClient.sync(new LosslessStdioClientTransport(launch))
                .requestTimeout(Duration.ofSeconds(30))
                .initializationTimeout(Duration.ofSeconds(30))
                .resourcesUpdateConsumer(contents -> contents.forEach(c -> updated.add(c.uri())))
                .build()) {
            client.initialize();
            assertTrue(client.getServerCapabilities().resources().subscribe(), "the bridge offers subscriptions");
            client.subscribeResource(new McpSchema.SubscribeRequest("test://watched-resource"));
            client.callTool(new McpSchema.CallToolRequest("touch_watched_resource", Map.of()));
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !updated.isEmpty());
            assertEquals("test://watched-resource", updated.get(0));
        }

        // 2026-07-28: subscriptions/listen with resourceSubscriptions, then the update on that stream.
        String meta = "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\","
                + "\"io.modelcontextprotocol/clientCapabilities\":{}}";
        ProcessBuilder pb = new ProcessBuilder(Peers.toolhost("mcp-server", "--bridge", "legacyfixture"))
                .redirectError(home.resolve("modern-subscriber.log").toFile());
        pb.environment().put("TOOLHOST_HOME", home.toString());
        Process p = pb.start();
        try (var in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                var out = p.getOutputStream()) {
            out.write(("{\"jsonrpc\":\"2.0\",\"id\":\"listen-1\",\"method\":\"subscriptions/listen\",\"params\":{"
                            + "\"notifications\":{\"resourceSubscriptions\":[\"test://watched-resource\"]}," + meta
                            + "}}\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            String ack = ServerFixtures.readLine(in);
            assertTrue(
                    ack.contains("notifications/subscriptions/acknowledged")
                            && ack.contains("\"resourceSubscriptions\":[\"test://watched-resource\"]")
                            && ack.contains("\"io.modelcontextprotocol/subscriptionId\":\"listen-1\""),
                    ack);
            out.write(("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":"
                            + "\"touch_watched_resource\",\"arguments\":{}," + meta + "}}\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            List<String> lines = new ArrayList<>();
            while (lines.stream().noneMatch(l -> l.contains("notifications/resources/updated"))
                    || lines.stream().noneMatch(l -> l.contains("\"id\":2"))) {
                lines.add(ServerFixtures.readLine(in));
            }
            String update = lines.stream()
                    .filter(l -> l.contains("notifications/resources/updated"))
                    .findFirst()
                    .orElseThrow();
            assertTrue(
                    update.contains("\"uri\":\"test://watched-resource\"")
                            && update.contains("\"io.modelcontextprotocol/subscriptionId\":\"listen-1\""),
                    update);
        } finally {
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static final String TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
}
