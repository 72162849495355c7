package dev.toolhost.it.server;

import static dev.toolhost.it.server.ServerFixtures.home;
import static dev.toolhost.it.server.ServerFixtures.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.it.Nginx;
import dev.toolhost.it.Peers;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Legacy (session) clients through a real nginx in front of two {@code toolhost mcp-server --http} replicas started
 * with {@code --replica-id}: nginx routes each {@code Mcp-Session-Id} by its replica prefix (the configuration the
 * README documents), so every session keeps working on the replica that started it (issue 12 section 4).
 */
class LegacyReplicasTest {
    private static final int SESSIONS = 6;
    private static final int CALLS = 8;

    @TempDir
    Path tmp;

    @Test
    void everyLegacySessionStaysOnTheReplicaThatStartedIt() throws Exception {
        Path work = Files.createDirectories(tmp.resolve("work"));
        for (int s = 0; s < SESSIONS; s++) {
            Files.writeString(work.resolve("note-" + s + ".txt"), "note of session " + s + "\n");
        }
        try (var a = new ServerFixtures.HttpServerProcess(
                        home(tmp.resolve("home-a"), ""),
                        Map.of(),
                        "--only",
                        "builtin",
                        "--replica-id",
                        "a",
                        "-C",
                        work.toString(),
                        "-s",
                        "read-only");
                var b = new ServerFixtures.HttpServerProcess(
                        home(tmp.resolve("home-b"), ""),
                        Map.of(),
                        "--only",
                        "builtin",
                        "--replica-id",
                        "b",
                        "-C",
                        work.toString(),
                        "-s",
                        "read-only")) {
            Map<String, String> routes = new LinkedHashMap<>();
            routes.put("a", a.hostPort());
            routes.put("b", b.hostPort());
            try (Nginx lb = Nginx.startWithSessionRoutes(routes)) {
                List<McpSyncClient> clients = new ArrayList<>();
                try {
                    for (int s = 0; s < SESSIONS; s++) {
                        clients.add(ServerFixtures.httpClient(lb.url("/mcp"), null));
                    }
                    // Interleaved, so that each replica sees requests of several sessions in turn.
                    for (int i = 0; i < CALLS; i++) {
                        for (int s = 0; s < SESSIONS; s++) {
                            McpSchema.CallToolResult read = clients.get(s)
                                    .callTool(new McpSchema.CallToolRequest(
                                            "read_file", Map.of("path", "note-" + s + ".txt")));
                            assertFalse(Boolean.TRUE.equals(read.isError()), text(read));
                            assertTrue(text(read).contains("note of session " + s), text(read));
                        }
                    }
                    for (McpSyncClient c : clients) {
                        assertTrue(c.listTools().tools().stream()
                                .anyMatch(t -> t.name().equals("read_file")));
                    }
                } finally {
                    clients.forEach(McpSyncClient::closeGracefully);
                }

                List<String> log = lb.accessLog();
                Map<String, String> sessionUpstreams = new LinkedHashMap<>();
                Map<String, Integer> requests = new LinkedHashMap<>();
                for (String line : log) {
                    String[] f = line.split(" ");
                    String session = f[4].replace("\"", "");
                    assertFalse(f[3].equals("404"), "a request missed its session: " + line + "\n" + log);
                    if (session.equals("-")) {
                        continue; // initialize: round-robined, it mints the id on whichever replica it reaches
                    }
                    String route = session.substring(0, session.indexOf('.'));
                    assertEquals(routes.get(route), f[0], "session " + session + " reached another replica: " + line);
                    sessionUpstreams.put(session, f[0]);
                    requests.merge(session, 1, Integer::sum);
                }
                assertEquals(SESSIONS, sessionUpstreams.size(), log.toString());
                assertEquals(
                        Set.of(a.hostPort(), b.hostPort()),
                        Set.copyOf(sessionUpstreams.values()),
                        "the sessions were spread over both replicas: " + sessionUpstreams);
                requests.forEach((session, n) ->
                        assertTrue(n > CALLS, session + " made its calls through nginx: " + String.join("\n", log)));
            }
        }
    }

    @Test
    void aSessionWhoseReplicaDiedGets404WithAJsonRpcErrorSoItsClientStartsANewOne() throws Exception {
        Map<String, ServerFixtures.HttpServerProcess> replicas = new LinkedHashMap<>();
        try {
            for (String r : List.of("a", "b")) {
                replicas.put(
                        r,
                        new ServerFixtures.HttpServerProcess(
                                home(tmp.resolve("home-" + r), ""), Map.of(), "--only", "builtin", "--replica-id", r));
            }
            Map<String, String> routes = new LinkedHashMap<>();
            replicas.forEach((r, p) -> routes.put(r, p.hostPort()));
            try (Nginx lb = Nginx.startWithSessionRoutes(routes)) {
                HttpResponse<String> init = post(
                        lb,
                        null,
                        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                                + "\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"it\",\"version\":\"1\"}}}");
                assertEquals(200, init.statusCode(), init.body());
                String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
                replicas.get(session.substring(0, session.indexOf('.'))).kill();

                HttpResponse<String> gone =
                        post(lb, session, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}");
                assertEquals(404, gone.statusCode(), gone.body());
                assertEquals(
                        "application/json",
                        gone.headers().firstValue("Content-Type").orElse(""));
                var error = McpJsonDefaults.getMapper().readValue(gone.body(), Map.class);
                assertEquals("2.0", error.get("jsonrpc"), gone.body());
                assertTrue(String.valueOf(error.get("error")).contains("Session not found"), gone.body());

                // A new session reaches the replica that is left.
                HttpResponse<String> again = post(
                        lb,
                        null,
                        "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                                + "\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"it\",\"version\":\"1\"}}}");
                assertEquals(200, again.statusCode(), again.body());
            }
        } finally {
            for (var p : replicas.values()) {
                p.close();
            }
        }
    }

    private static HttpResponse<String> post(Nginx lb, String session, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(lb.url("/mcp")))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (session != null) {
            b.header("Mcp-Session-Id", session);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aReplicaIdThatCannotRouteOrWithoutHttpIsAUsageError() throws Exception {
        Map<String, String> env = ServerFixtures.env(home(tmp.resolve("home"), ""));
        ServerFixtures.Result dotted = ServerFixtures.run(
                env,
                Duration.ofSeconds(60),
                Peers.toolhost("mcp-server", "--http", "127.0.0.1:0", "--replica-id", "a.b"));
        assertEquals(2, dotted.exitCode(), dotted.output());
        assertTrue(
                dotted.output().contains("--replica-id must be 1 to 32 letters, digits, '-' or '_', got 'a.b'"),
                dotted.output());
        ServerFixtures.Result stdio =
                ServerFixtures.run(env, Duration.ofSeconds(60), Peers.toolhost("mcp-server", "--replica-id", "a"));
        assertEquals(2, stdio.exitCode(), stdio.output());
        assertTrue(stdio.output().contains("--replica-id needs --http"), stdio.output());
    }
}
