package dev.toolhost.mcp.server;

import static dev.toolhost.mcp.server.RawStdioClient.JSON;
import static dev.toolhost.mcp.server.RawStdioClient.request;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.builtin.BuiltinTools;
import dev.toolhost.config.ApprovalPolicy;
import dev.toolhost.config.ConfigLoader;
import dev.toolhost.config.ConfigRequest;
import dev.toolhost.config.SandboxMode;
import dev.toolhost.config.ToolhostConfig;
import dev.toolhost.exec.ExecBackend;
import dev.toolhost.exec.ExecBackends;
import dev.toolhost.mcp.client.McpHub;
import dev.toolhost.mcp.client.ServerRequestHandler;
import dev.toolhost.mcp.core.RequestStates;
import dev.toolhost.mcp.server.modern.ModernDispatcher;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** One stdio connection, both eras: 2026-07-28 lines go to the dispatcher, initialize and the rest to the SDK session. */
class DualEraStdioTest {
    @TempDir
    Path work;

    @TempDir
    Path home;

    private McpHub hub;
    private ModernDispatcher modern;
    private HubServer server;
    private RawStdioClient client;

    @BeforeEach
    void start() throws Exception {
        ToolhostConfig config = ConfigLoader.load(new ConfigRequest(
                        home.resolve("config.toml"),
                        null,
                        List.of(),
                        SandboxMode.DANGER_FULL_ACCESS,
                        ApprovalPolicy.NEVER,
                        work,
                        false))
                .config();
        ExecBackend exec = ExecBackends.create(config);
        BuiltinTools builtin =
                BuiltinTools.create(config, exec, RequestStates.random(Duration.ofMinutes(5), Clock.systemUTC()));
        hub = McpHub.builder()
                .workingDirectory(work)
                .localTools("builtin", builtin)
                .closeAlso(builtin)
                .closeAlso(exec)
                .defaultRequestHandler(ServerRequestHandler.declining())
                .build();
        McpSchema.Implementation info = new McpSchema.Implementation("toolhost", "test");
        modern = new ModernDispatcher(hub, JSON, new ModernDispatcher.Options(info, null));
        client = new RawStdioClient();
        var transport = new LosslessStdioServerTransportProvider(JSON, client.serverIn, client.serverOut)
                .modernEndpoint(modern);
        server = HubServer.start(McpServer.async(transport), hub, new HubServer.Options(info, 8, null), JSON);
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        server.close();
        modern.close();
        hub.close();
    }

    private static Map<String, Object> modernRequest(Object id, String method, Map<String, Object> params) {
        Map<String, Object> p = new HashMap<>(params);
        p.put(
                "_meta",
                Map.of(
                        "io.modelcontextprotocol/protocolVersion",
                        "2026-07-28",
                        "io.modelcontextprotocol/clientCapabilities",
                        Map.of()));
        return request(id, method, p);
    }

    @Test
    @SuppressWarnings("unchecked")
    void modernRequestsAreServedStatelesslyAndInitializeStillGivesALegacySession() throws Exception {
        client.send(modernRequest(1, "server/discover", Map.of()));
        Map<String, Object> discover =
                (Map<String, Object>) client.response(1, new ArrayList<>()).get("result");
        assertEquals(List.of("2026-07-28"), discover.get("supportedVersions"));
        assertEquals("complete", discover.get("resultType"));

        client.send(modernRequest(
                2,
                "tools/call",
                Map.of("name", "exec_command", "arguments", Map.of("cmd", "echo modern-hello", "login", false))));
        Map<String, Object> call =
                (Map<String, Object>) client.response(2, new ArrayList<>()).get("result");
        assertEquals("complete", call.get("resultType"));
        assertTrue(String.valueOf(call.get("content")).contains("modern-hello"), call.toString());

        assertEquals("2025-11-25", client.initialize("2025-11-25", Map.of()));
        client.send(request(3, "tools/list", null));
        Map<String, Object> legacy =
                (Map<String, Object>) client.response(3, new ArrayList<>()).get("result");
        assertTrue(String.valueOf(legacy.get("tools")).contains("exec_command"));
        assertTrue(!legacy.containsKey("resultType"), "a legacy session gets legacy results");

        client.send(modernRequest(4, "tools/list", Map.of()));
        Map<String, Object> again =
                (Map<String, Object>) client.response(4, new ArrayList<>()).get("result");
        assertEquals("private", again.get("cacheScope"), "modern lines are still modern after an initialize");
    }

    @Test
    @Timeout(60) // before the fix the request got no answer at all: the read would wait forever
    @SuppressWarnings("unchecked")
    void aRequestBeforeInitializeIsAnsweredWithAnErrorSayingHowToStartAndPingIsAnswered() throws Exception {
        client.send(Map.of("jsonrpc", "2.0", "method", "notifications/roots/list_changed"));
        client.send(request(4, "tools/list", Map.of()));
        Map<String, Object> refused = client.read();
        assertEquals(4, refused.get("id"), "a notification gets no answer; the request does: " + refused);
        Map<String, Object> error = (Map<String, Object>) refused.get("error");
        assertEquals(-32600, error.get("code"), refused.toString());
        String message = (String) error.get("message");
        assertTrue(message.contains("'initialize'"), message);
        assertTrue(message.contains("io.modelcontextprotocol/protocolVersion"), message);
        assertTrue(message.contains("server/discover"), message);

        client.send(request(5, "ping", null));
        assertEquals(Map.of("jsonrpc", "2.0", "id", 5, "result", Map.of()), client.read());

        assertEquals("2025-11-25", client.initialize("2025-11-25", Map.of()));
        client.send(request(6, "tools/list", null));
        Map<String, Object> listed = client.response(6, new ArrayList<>());
        assertTrue(String.valueOf(listed.get("result")).contains("exec_command"), listed.toString());
        client.send(request(7, "ping", null));
        assertEquals(Map.of(), client.response(7, new ArrayList<>()).get("result"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void legacyToolsCallWithNonObjectArgumentsIsInvalidParamsNamingTheFieldAsOnHttp() throws Exception {
        assertEquals("2025-11-25", client.initialize("2025-11-25", Map.of()));
        int id = 10;
        for (Object arguments : List.of("x", List.of(1))) {
            client.send(request(id, "tools/call", Map.of("name", "read_file", "arguments", arguments)));
            Map<String, Object> refused = client.response(id++, new ArrayList<>());
            Map<String, Object> error = (Map<String, Object>) refused.get("error");
            assertEquals(-32602, error.get("code"), refused.toString());
            assertEquals("tools/call: params.arguments must be an object", error.get("message"), refused.toString());
        }
        client.send(request(id, "tools/list", null));
        assertTrue(String.valueOf(client.response(id, new ArrayList<>()).get("result"))
                .contains("read_file"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aListenSubscriptionIsAcknowledgedAndEndsWithNotificationsCancelled() throws Exception {
        client.send(
                modernRequest("l1", "subscriptions/listen", Map.of("notifications", Map.of("toolsListChanged", true))));
        Map<String, Object> ack = client.read();
        assertEquals("notifications/subscriptions/acknowledged", ack.get("method"));
        assertEquals(
                "l1",
                ((Map<String, Object>) ((Map<String, Object>) ack.get("params")).get("_meta"))
                        .get("io.modelcontextprotocol/subscriptionId"));
        client.send(Map.of("jsonrpc", "2.0", "method", "notifications/cancelled", "params", Map.of("requestId", "l1")));
        client.send(modernRequest(9, "tools/list", Map.of()));
        Map<String, Object> next = client.read();
        assertEquals(9, next.get("id"), "a cancelled subscription gets no response (not even an error): " + next);
    }

    @Test
    void cancellingAModernRequestStopsItsCommand() throws Exception {
        client.send(modernRequest(
                7,
                "tools/call",
                Map.of(
                        "name",
                        "exec_command",
                        "arguments",
                        Map.of(
                                "cmd",
                                "echo $$ > pid.tmp && mv pid.tmp pid && exec sleep 60",
                                "login",
                                false,
                                "yield_time_ms",
                                60_000))));
        Path pidFile = work.resolve("pid");
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(pidFile));
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the command runs");

        client.send(Map.of("jsonrpc", "2.0", "method", "notifications/cancelled", "params", Map.of("requestId", 7)));

        await().atMost(Duration.ofSeconds(20))
                .until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
        client.send(modernRequest(8, "tools/list", Map.of()));
        Map<String, Object> next = client.read();
        assertEquals(8, next.get("id"), "the cancelled request is not answered: " + next);
    }

    /**
     * A legacy client's {@code notifications/roots/list_changed} is not answered with a {@code roots/list} (the SDK's
     * default): nothing would use the answer, as a caller's roots are asked of it during the call that needs them.
     */
    @Test
    void rootsListChangedFromALegacyClientAsksItForNothing() throws Exception {
        client.initialize("2025-11-25", Map.of("roots", Map.of("listChanged", true)));
        client.send(Map.of("jsonrpc", "2.0", "method", "notifications/roots/list_changed"));
        client.send(request(7, "ping", null));
        List<Map<String, Object>> seen = new ArrayList<>();
        client.response(7, seen);
        client.send(request(8, "tools/list", null));
        client.response(8, seen);
        assertTrue(seen.stream().noneMatch(m -> "roots/list".equals(m.get("method"))), seen.toString());
    }
}
