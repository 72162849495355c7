package dev.toolhost.it.server;

import static dev.toolhost.it.server.ServerFixtures.home;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.it.Peers;
import dev.toolhost.it.agent.ScriptedModelServer;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client's {@code notifications/cancelled} over streamable HTTP ends the running call, through the
 * gateway and on the built-in-only server (the SDK's HTTP session has no handler for it;
 * {@code RequestCancellation} supplies one), and the call gets no response; a 2026-07-28 call ends when its
 * client closes the connection. Raw HTTP, so the test controls exactly when the cancel is sent.
 */
class HttpCancellationTest {
    private static final String ACCEPT = "application/json, text/event-stream";

    @TempDir
    Path tmp;

    @Test
    void aCancelledCallEndsLongBeforeTheToolWouldHave() throws Exception {
        Path home = home(
                tmp.resolve("home"),
                "[mcp_servers.everything]\ncommand = \"" + Peers.bin("mcp-server-everything") + "\"\n");
        try (var server = new ServerFixtures.HttpServerProcess(home, Map.of(), "--only", "everything")) {
            HttpClient http = HttpClient.newHttpClient();
            URI uri = URI.create(server.url());
            String session = initialize(http, uri);

            // 60 steps of 1 s: without the cancel this call would stream for a minute.
            HttpResponse<Stream<String>> call = http.send(post(uri, session, """
                    {"jsonrpc":"2.0","id":7,"method":"tools/call","params":{
                     "name":"mcp__everything__trigger-long-running-operation",
                     "arguments":{"duration":60,"steps":60},"_meta":{"progressToken":"p7"}}}"""), HttpResponse.BodyHandlers.ofLines());
            List<String> lines = new CopyOnWriteArrayList<>();
            Thread reader = new Thread(() -> call.body().forEach(lines::add), "call-stream");
            reader.setDaemon(true);
            reader.start();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> lines.stream().anyMatch(l -> l.contains("notifications/progress")));

            HttpResponse<String> cancel = http.send(post(uri, session, """
                    {"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":7,"reason":"test"}}"""), HttpResponse.BodyHandlers.ofString());
            assertEquals(202, cancel.statusCode(), cancel.body());

            // The call's stream ends without a response: a cancelled request is not answered, not even with an error.
            await().atMost(Duration.ofSeconds(30)).until(() -> !reader.isAlive());
            assertTrue(
                    lines.stream().noneMatch(l -> l.contains("\"id\":7")),
                    "the cancelled call got no response: " + lines);
        }
    }

    @Test
    void aCancelledBuiltinCallStopsTheCommandItStarted() throws Exception {
        Path home = home(tmp.resolve("home"), "");
        Path pidFile = tmp.resolve("pid");
        try (var server =
                new ServerFixtures.HttpServerProcess(home, Map.of(), "--only", "builtin", "-s", "danger-full-access")) {
            HttpClient http = HttpClient.newHttpClient();
            URI uri = URI.create(server.url());
            String session = initialize(http, uri);

            String cmd = "echo $$ > " + pidFile + ".tmp && mv " + pidFile + ".tmp " + pidFile + " && exec sleep 60";
            CompletableFuture<HttpResponse<String>> call = http.sendAsync(
                    post(
                            uri,
                            session,
                            "{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"tools/call\",\"params\":{"
                                    + "\"name\":\"exec_command\",\"arguments\":{\"cmd\":\"" + cmd
                                    + "\",\"login\":false,"
                                    + "\"yield_time_ms\":60000}}}"),
                    HttpResponse.BodyHandlers.ofString());
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(pidFile));
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the command runs");

            HttpResponse<String> cancel = http.send(post(uri, session, """
                    {"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":8,"reason":"test"}}"""), HttpResponse.BodyHandlers.ofString());
            assertEquals(202, cancel.statusCode(), cancel.body());
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
            // The call's SSE stream ends, without a response (spec basic/utilities/cancellation).
            String stream = call.get(30, TimeUnit.SECONDS).body();
            assertFalse(stream.contains("\"id\":8"), "the cancelled call got no response: " + stream);
        }
    }

    @Test
    void aCancelledAgentTurnStopsTheCommandItsModelStarted() throws Exception {
        Path home = home(tmp.resolve("home"), "");
        Path pidFile = tmp.resolve("pid");
        String cmd = "echo $$ > " + pidFile + ".tmp && mv " + pidFile + ".tmp " + pidFile + " && exec sleep 60";
        try (ScriptedModelServer model = ScriptedModelServer.start()) {
            model.reply(
                    ScriptedModelServer.calls(ScriptedModelServer.call(
                            "c1", "exec_command", Map.of("cmd", cmd, "login", false, "yield_time_ms", 60000))),
                    ScriptedModelServer.text("done"));
            // The server allows what the turn asks for: a client can only narrow the server's own settings.
            List<String> args =
                    new ArrayList<>(List.of("--only", "builtin,agent", "-s", "danger-full-access", "-a", "never"));
            for (String o : model.configOverrides("responses")) {
                args.add("-c");
                args.add(o);
            }
            try (var server = new ServerFixtures.HttpServerProcess(home, Map.of(), args.toArray(String[]::new))) {
                HttpClient http = HttpClient.newHttpClient();
                URI uri = URI.create(server.url());
                String session = initialize(http, uri);

                CompletableFuture<HttpResponse<String>> turn =
                        http.sendAsync(post(uri, session, """
                                {"jsonrpc":"2.0","id":10,"method":"tools/call","params":{"name":"agent",
                                 "arguments":{"prompt":"wait a minute","approval-policy":"never"}}}"""), HttpResponse.BodyHandlers.ofString());
                await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(pidFile));
                long pid = Long.parseLong(Files.readString(pidFile).trim());

                HttpResponse<String> cancel = http.send(post(uri, session, """
                        {"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":10,"reason":"test"}}"""), HttpResponse.BodyHandlers.ofString());
                assertEquals(202, cancel.statusCode(), cancel.body());
                await().atMost(Duration.ofSeconds(30))
                        .until(() ->
                                ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
                String stream = turn.get(30, TimeUnit.SECONDS).body();
                assertFalse(stream.contains("\"id\":10"), "the cancelled turn got no response: " + stream);
                assertEquals(
                        1, model.requests().size(), "the turn ended with its command: the model was not asked again");
            }
        }
    }

    @Test
    void aModernCallWhoseClientClosesTheConnectionStopsTheCommandItStarted() throws Exception {
        Path home = home(tmp.resolve("home"), "");
        Path pidFile = tmp.resolve("pid");
        try (var server = new ServerFixtures.HttpServerProcess(
                home, Map.of(), "--only", "builtin", "-a", "never", "-s", "danger-full-access")) {
            URI uri = URI.create(server.url());
            String cmd = "echo $$ > " + pidFile + ".tmp && mv " + pidFile + ".tmp " + pidFile + " && exec sleep 60";
            String body = "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"tools/call\",\"params\":{"
                    + "\"name\":\"exec_command\",\"arguments\":{\"cmd\":\"" + cmd
                    + "\",\"login\":false,\"yield_time_ms\":60000},\"_meta\":{"
                    + "\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\","
                    + "\"io.modelcontextprotocol/clientCapabilities\":{}}}}";
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            String head = "POST " + uri.getPath() + " HTTP/1.1\r\nHost: 127.0.0.1:" + uri.getPort()
                    + "\r\nContent-Type: application/json\r\nAccept: " + ACCEPT
                    + "\r\nMCP-Protocol-Version: 2026-07-28\r\nMcp-Method: tools/call\r\nMcp-Name: exec_command"
                    + "\r\nContent-Length: " + bytes.length + "\r\n\r\n";
            // A raw connection, so that the test decides when the client goes away: before any keep-alive is due.
            try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
                socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().write(bytes);
                await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(pidFile));
            }
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
        }
    }

    /** Opens an MCP session and returns its id. */
    private static String initialize(HttpClient http, URI uri) throws Exception {
        HttpResponse<String> init = http.send(post(uri, null, """
                {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18",
                 "capabilities":{},"clientInfo":{"name":"cancel-test","version":"1"}}}"""), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, init.statusCode(), init.body());
        String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
        http.send(
                post(uri, session, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}"),
                HttpResponse.BodyHandlers.discarding());
        return session;
    }

    private static HttpRequest post(URI uri, String session, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/json")
                .header("Accept", ACCEPT)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (session != null) {
            b.header("Mcp-Session-Id", session);
        }
        return b.build();
    }
}
