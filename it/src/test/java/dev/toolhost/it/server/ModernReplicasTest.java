package dev.toolhost.it.server;

import static dev.toolhost.it.server.ServerFixtures.home;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.it.ModernClient;
import dev.toolhost.it.Nginx;
import io.modelcontextprotocol.json.McpJsonDefaults;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * 2026-07-28 clients through a real nginx round-robin in front of two {@code toolhost mcp-server --http} replicas
 * that share {@code --request-state-key-env} (issue 12 section 4): an approval's first round and its retry are
 * served by different replicas; a requestState that was altered, or sealed by a replica with another key, is a
 * clear tool error; a process session's handle is known only to the replica that started it.
 */
class ModernReplicasTest {
    private static final String TOKEN = "it-replicas-token";
    private static final String V = "2026-07-28";
    private static final Duration RUN = Duration.ofSeconds(120);

    @TempDir
    static Path tmp;

    static Path work;
    static ServerFixtures.HttpServerProcess a;
    static ServerFixtures.HttpServerProcess b;
    /** A replica with a key of its own: it cannot open what a and b seal. */
    static ServerFixtures.HttpServerProcess other;

    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        work = Files.createDirectories(tmp.resolve("work"));
        a = replica("a", "one secret shared by a and b");
        b = replica("b", "one secret shared by a and b");
        other = replica("other", "the other replica's own secret");
    }

    private static ServerFixtures.HttpServerProcess replica(String name, String secret) throws Exception {
        return new ServerFixtures.HttpServerProcess(
                home(tmp.resolve("home-" + name), ""),
                Map.of("IT_TOKEN", TOKEN, "IT_STATE_KEY", secret),
                "--only",
                "builtin",
                "--token-env",
                "IT_TOKEN",
                "--request-state-key-env",
                "IT_STATE_KEY",
                "-C",
                work.toString(),
                "-s",
                "workspace-write",
                "-a",
                "untrusted");
    }

    @AfterAll
    static void stop() throws Exception {
        for (var replica : new ServerFixtures.HttpServerProcess[] {a, b, other}) {
            if (replica != null) {
                replica.close();
            }
        }
    }

    private static Map<String, Object> spec(Nginx lb, List<Map<String, Object>> operations) {
        return Map.of(
                "transport",
                Map.of("type", "http", "url", lb.url("/mcp"), "bearerToken", TOKEN),
                "negotiation",
                V,
                "elicitation",
                Map.of("action", "accept", "content", Map.of("decision", "approved")),
                "operations",
                operations);
    }

    /** The access log's lines for {@code tools/call} of {@code tool}, split into fields (upstream first). */
    private static List<String[]> calls(Nginx lb, String tool) {
        return lb.accessLog().stream()
                .map(l -> l.split(" "))
                .filter(f -> f[5].equals("\"tools/call\"") && f[6].equals("\"" + tool + "\""))
                .toList();
    }

    @Test
    void anApprovalRoundTripCompletesWhenItsRetryLandsOnTheOtherReplica() throws Exception {
        try (Nginx lb = Nginx.start(List.of(a.hostPort(), b.hostPort()), Nginx.Balancing.ROUND_ROBIN)) {
            Path made = work.resolve("made-across-replicas");
            ModernClient.Output out = ModernClient.run(
                    spec(
                            lb,
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
                                            "exec_command",
                                            "arguments",
                                            Map.of("cmd", "echo no approval needed", "login", false)))),
                    RUN);

            assertEquals(
                    "modern", out.connected().get("era").asString(), out.lines().toString());
            List<JsonNode> ops = out.operations();
            assertTrue(ops.get(0).get("ok").asBoolean(), ops.get(0).toString());
            JsonNode exec = ops.get(1);
            assertTrue(exec.get("ok").asBoolean(), exec.toString());
            assertFalse(exec.get("result").path("isError").asBoolean(false), exec.toString());
            assertTrue(exec.get("text").asString().contains("made-it"), exec.toString());
            assertEquals(1, exec.get("elicitations").size(), "one input_required round: " + exec);
            assertTrue(Files.exists(made), "the approved command ran");
            assertTrue(
                    ops.get(2).get("text").asString().contains("no approval needed"),
                    ops.get(2).toString());

            List<String[]> execs = calls(lb, "exec_command");
            assertEquals(3, execs.size(), "first round, retry, second call: " + lb.accessLog());
            assertNotEquals(
                    execs.get(0)[0],
                    execs.get(1)[0],
                    "the first round and its retry were served by different replicas: " + lb.accessLog());
            assertEquals(
                    Set.of(a.hostPort(), b.hostPort()),
                    Set.copyOf(lb.accessLog().stream().map(l -> l.split(" ")[0]).toList()),
                    lb.accessLog().toString());
            assertTrue(
                    lb.accessLog().stream().allMatch(l -> l.split(" ")[3].startsWith("2")),
                    lb.accessLog().toString());
        }
    }

    @Test
    void aRetryWithAnAlteredStateOrOneSealedWithAnotherKeyIsAClearToolError() throws Exception {
        Path made = work.resolve("made-by-retry");
        Map<String, Object> arguments = Map.of("cmd", "touch " + made.getFileName(), "login", false);
        Map<String, Object> first = call(a, 1, arguments, null);
        assertEquals("input_required", first.get("resultType"), first.toString());
        String state = (String) first.get("requestState");

        Map<String, Object> foreign = call(other, 2, arguments, state);
        assertEquals(Boolean.TRUE, foreign.get("isError"), foreign.toString());
        assertTrue(
                String.valueOf(foreign.get("content"))
                        .contains("requestState was altered or was sealed by another server with a different key"),
                foreign.toString());

        char[] chars = state.toCharArray();
        chars[chars.length / 2] = chars[chars.length / 2] == 'A' ? 'B' : 'A';
        Map<String, Object> altered = call(b, 3, arguments, new String(chars));
        assertEquals(Boolean.TRUE, altered.get("isError"), altered.toString());
        assertTrue(String.valueOf(altered.get("content")).contains("requestState was altered"), altered.toString());
        assertFalse(Files.exists(made), "nothing ran on a refused state");

        // The untouched state opens on the other replica that shares the key.
        Map<String, Object> done = call(b, 4, arguments, state);
        assertEquals("complete", done.get("resultType"), done.toString());
        assertFalse(Boolean.TRUE.equals(done.get("isError")), done.toString());
        assertTrue(Files.exists(made), "the approved command ran on replica b");
    }

    @Test
    void anAnswerTheApprovalFormDidNotOfferIsRefusedAndNothingRuns() throws Exception {
        Path made = work.resolve("made-by-an-answer-not-offered");
        Map<String, Object> arguments = Map.of("cmd", "touch " + made.getFileName(), "login", false);
        Map<String, Object> first = call(a, 1, arguments, null);
        assertEquals("input_required", first.get("resultType"), first.toString());
        String offered = McpJsonDefaults.getMapper().writeValueAsString(first.get("inputRequests"));
        assertTrue(offered.contains("[\"approved\",\"denied\",\"abort\"]"), offered);

        // A caller without a session is not offered approved_for_session: answering it anyway runs nothing.
        Map<String, Object> retry = call(a, 2, arguments, (String) first.get("requestState"), "approved_for_session");
        assertEquals(Boolean.TRUE, retry.get("isError"), retry.toString());
        assertTrue(
                String.valueOf(retry.get("content"))
                        .contains("decision 'approved_for_session'; expected one of the values offered: approved,"
                                + " denied, abort"),
                retry.toString());
        assertFalse(Files.exists(made), "nothing ran on an answer the form did not offer");
    }

    @Test
    void aProcessSessionIsReachedOnlyOnTheReplicaThatStartedIt() throws Exception {
        List<Map<String, Object>> operations = List.of(
                Map.of(
                        "op",
                        "call_tool",
                        "name",
                        "exec_command",
                        "arguments",
                        Map.of("cmd", "cat", "tty", true, "login", false, "yield_time_ms", 500)),
                Map.of(
                        "op",
                        "call_tool",
                        "name",
                        "write_stdin",
                        "arguments",
                        Map.of(
                                "session_id",
                                Map.of("$fromOp", 0, "path", "structuredContent.session_id"),
                                "chars",
                                "first\n",
                                "yield_time_ms",
                                500)),
                Map.of(
                        "op",
                        "call_tool",
                        "name",
                        "write_stdin",
                        "arguments",
                        Map.of(
                                "session_id",
                                Map.of("$fromOp", 0, "path", "structuredContent.session_id"),
                                "chars",
                                "second\n",
                                "yield_time_ms",
                                500)));
        // Round-robin: the first write_stdin reaches the other replica, the second the one running cat.
        try (Nginx lb = Nginx.start(List.of(a.hostPort(), b.hostPort()), Nginx.Balancing.ROUND_ROBIN)) {
            List<JsonNode> ops = ModernClient.run(spec(lb, operations), RUN).operations();
            assertTrue(ops.get(0).get("text").asString().contains("Process running with session ID"), ops.toString());
            JsonNode lost = ops.get(1);
            assertTrue(lost.get("result").path("isError").asBoolean(false), lost.toString());
            assertTrue(
                    lost.get("text")
                            .asString()
                            .contains("no running session with ID "
                                    + ops.get(0)
                                            .get("result")
                                            .get("structuredContent")
                                            .get("session_id")
                                            .asLong()),
                    lost.toString());
            assertTrue(
                    lost.get("text")
                            .asString()
                            .contains("it runs on another Toolhost replica: process sessions"
                                    + " live on the replica that started them"),
                    lost.toString());
            JsonNode home = ops.get(2);
            assertFalse(home.get("result").path("isError").asBoolean(false), home.toString());
            assertTrue(home.get("text").asString().contains("second"), home.toString());
            String started = calls(lb, "exec_command").get(0)[0];
            List<String[]> writes = calls(lb, "write_stdin");
            assertNotEquals(started, writes.get(0)[0], lb.accessLog().toString());
            assertEquals(started, writes.get(1)[0], lb.accessLog().toString());
        }
        // Sticky by bearer token (the README's configuration): every request of this client reaches one replica.
        try (Nginx lb = Nginx.start(List.of(a.hostPort(), b.hostPort()), Nginx.Balancing.BEARER_TOKEN_HASH)) {
            List<JsonNode> ops = ModernClient.run(spec(lb, operations), RUN).operations();
            for (int i = 1; i <= 2; i++) {
                assertFalse(
                        ops.get(i).get("result").path("isError").asBoolean(false),
                        ops.get(i).toString());
            }
            assertTrue(
                    ops.get(1).get("text").asString().contains("first"),
                    ops.get(1).toString());
            assertTrue(
                    ops.get(2).get("text").asString().contains("second"),
                    ops.get(2).toString());
            assertEquals(
                    1,
                    lb.accessLog().stream().map(l -> l.split(" ")[0]).distinct().count(),
                    lb.accessLog().toString());
        }
    }

    private Map<String, Object> call(
            ServerFixtures.HttpServerProcess replica, int id, Map<String, Object> arguments, String requestState)
            throws Exception {
        return call(replica, id, arguments, requestState, "approved");
    }

    /**
     * One raw 2026-07-28 {@code tools/call} of exec_command, straight to a replica; with a requestState, the
     * approval is answered with {@code decision}. Returns the result.
     */
    @SuppressWarnings("unchecked")
    private Map<String, Object> call(
            ServerFixtures.HttpServerProcess replica,
            int id,
            Map<String, Object> arguments,
            String requestState,
            String decision)
            throws Exception {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("name", "exec_command");
        params.put("arguments", arguments);
        if (requestState != null) {
            params.put(
                    "inputResponses",
                    Map.of("approval", Map.of("action", "accept", "content", Map.of("decision", decision))));
            params.put("requestState", requestState);
        }
        params.put(
                "_meta",
                Map.of(
                        "io.modelcontextprotocol/protocolVersion",
                        V,
                        "io.modelcontextprotocol/clientCapabilities",
                        Map.of("elicitation", Map.of()),
                        "io.modelcontextprotocol/clientInfo",
                        Map.of("name", "it-raw", "version", "1")));
        String body = McpJsonDefaults.getMapper()
                .writeValueAsString(Map.of("jsonrpc", "2.0", "id", id, "method", "tools/call", "params", params));
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(replica.url()))
                        .header("Content-Type", "application/json")
                        .header("Accept", "application/json, text/event-stream")
                        .header("Authorization", "Bearer " + TOKEN)
                        .header("MCP-Protocol-Version", V)
                        .header("Mcp-Method", "tools/call")
                        .header("Mcp-Name", "exec_command")
                        .timeout(RUN)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        String json = response.body();
        if (json.startsWith("id:") || json.startsWith("event:") || json.startsWith(":")) {
            // An SSE reply: its last data line is the response.
            json = json.lines()
                    .filter(l -> l.startsWith("data: "))
                    .reduce((x, y) -> y)
                    .orElseThrow()
                    .substring(6);
        }
        Map<String, Object> message = McpJsonDefaults.getMapper().readValue(json, Map.class);
        assertTrue(message.containsKey("result"), json);
        return (Map<String, Object>) message.get("result");
    }
}
