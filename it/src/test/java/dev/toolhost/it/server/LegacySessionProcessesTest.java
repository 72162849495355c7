package dev.toolhost.it.server;

import static dev.toolhost.it.server.ServerFixtures.home;
import static dev.toolhost.it.server.ServerFixtures.text;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A legacy HTTP session's {@code exec_command} processes (README "What is per caller and what is shared"): one
 * session filling its limit of running processes never refuses another session's command, and a session its
 * client ends ({@code DELETE}) takes its processes with it at once. Session A is raw HTTP (to own its
 * {@code Mcp-Session-Id} and see the {@code DELETE}'s answer), session B the MCP Java SDK.
 */
class LegacySessionProcessesTest {
    private static final int PER_CALLER = 64;
    /**
     * Sleeps (5 minutes and a bit) no other test runs: the argument marks one test's processes, so that one that
     * failed and left some behind does not fail the other.
     */
    private static final String FULL_SHARE = "300." + ProcessHandle.current().pid() + "01";

    private static final String IN_FLIGHT = "300." + ProcessHandle.current().pid() + "02";

    private static final String TERMINATED = "300." + ProcessHandle.current().pid() + "03";

    private static final String INIT = ServerFixtures.RAW_INIT;

    @TempDir
    static Path tmp;

    static ServerFixtures.HttpServerProcess server;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        server = unsandboxedServer("");
    }

    /** {@code toolhost mcp-server --http} with only the built-in tools, no sandbox and no approvals. */
    private static ServerFixtures.HttpServerProcess unsandboxedServer(String name) throws Exception {
        Path work = Files.createDirectories(tmp.resolve("work" + name));
        return new ServerFixtures.HttpServerProcess(
                home(tmp.resolve("home" + name), ""),
                Map.of(),
                "--only",
                "builtin",
                "-C",
                work.toString(),
                "-a",
                "never",
                "-s",
                "danger-full-access");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        // Without a sandbox nothing kills them with the server: a failed run leaves none behind.
        Stream.of(FULL_SHARE, IN_FLIGHT, TERMINATED).flatMap(m -> processes(m)).forEach(ProcessHandle::destroy);
    }

    private static HttpRequest.Builder request(String session) {
        return request(server.url(), session);
    }

    private static HttpRequest.Builder request(String url, String session) {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(url)).header("Accept", "application/json, text/event-stream");
        if (session != null) {
            b.header("Mcp-Session-Id", session).header("MCP-Protocol-Version", "2025-11-25");
        }
        return b;
    }

    private static HttpRequest post(String body, String session) {
        return post(server.url(), body, session);
    }

    private static HttpRequest post(String url, String body, String session) {
        return request(url, session)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    private static HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String openSession() throws Exception {
        return openSession(server.url());
    }

    private static String openSession(String url) throws Exception {
        HttpResponse<String> init = send(post(url, INIT, null));
        assertEquals(200, init.statusCode(), init.body());
        String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
        send(post(url, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}", session));
        return session;
    }

    private static HttpResponse<String> delete(String session) throws Exception {
        return send(request(session).DELETE().build());
    }

    private static HttpRequest exec(String session, int id, String cmd, boolean tty, long yieldMs) {
        return exec(server.url(), session, id, cmd, tty, yieldMs);
    }

    private static HttpRequest exec(String url, String session, int id, String cmd, boolean tty, long yieldMs) {
        return post(
                url,
                "{\"jsonrpc\":\"2.0\",\"id\":" + id
                        + ",\"method\":\"tools/call\",\"params\":{\"name\":\"exec_command\","
                        + "\"arguments\":{\"cmd\":\"" + cmd + "\",\"login\":false,\"tty\":" + tty
                        + ",\"yield_time_ms\":" + yieldMs + "}}}",
                session);
    }

    /** An exec_command on {@code session} that returns at once, leaving {@code cmd} running: the response body. */
    private static String execAndYield(String session, int id, String cmd, boolean tty) throws Exception {
        HttpResponse<String> r = send(exec(session, id, cmd, tty, 0));
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    /** Live processes whose arguments include {@code marker}. */
    private static Stream<ProcessHandle> processes(String marker) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info()
                        .arguments()
                        .map(args -> Arrays.asList(args).contains(marker))
                        .orElse(false));
    }

    private static long running(String marker) {
        return processes(marker).count();
    }

    @Test
    void oneSessionAtItsProcessLimitNeverRefusesAnotherAndItsDeleteEndsItsProcessesAtOnce() throws Exception {
        String a = openSession();
        for (int i = 0; i < PER_CALLER; i++) {
            // One of them in a terminal: a tty session ends with the session too.
            String body = execAndYield(a, 10 + i, "sleep " + FULL_SHARE, i == 0);
            assertTrue(body.contains("Process running with session ID"), body);
        }
        String refused = execAndYield(a, 9, "sleep " + FULL_SHARE, false);
        assertTrue(
                refused.contains("this caller already has " + PER_CALLER + " sessions running (the limit per caller"),
                refused);
        await().atMost(Duration.ofSeconds(30)).until(() -> running(FULL_SHARE) == PER_CALLER);

        try (McpSyncClient b = ServerFixtures.httpClient(server.url(), null)) {
            McpSchema.CallToolResult quick = b.callTool(new McpSchema.CallToolRequest(
                    "exec_command", Map.of("cmd", "echo quick", "login", false, "yield_time_ms", 10_000)));
            assertFalse(Boolean.TRUE.equals(quick.isError()), "A's full share never refuses B: " + text(quick));
            assertTrue(
                    text(quick).contains("Process exited with code 0")
                            && text(quick).contains("quick"),
                    text(quick));
        }

        HttpResponse<String> deleted = delete(a);
        assertEquals(200, deleted.statusCode(), deleted.body());
        // The idle sweep would end them only after minutes (LegacySessions.IDLE); the DELETE ends them now.
        await().atMost(Duration.ofSeconds(15)).until(() -> running(FULL_SHARE) == 0);
    }

    @Test
    void aServerEndedBySigtermLeavesNoUnsandboxedProcessBehind() throws Exception {
        ServerFixtures.HttpServerProcess own = unsandboxedServer("-terminated");
        try {
            String session = openSession(own.url());
            HttpResponse<String> r = send(exec(own.url(), session, 2, "sleep " + TERMINATED, false, 0));
            assertEquals(200, r.statusCode(), r.body());
            await().atMost(Duration.ofSeconds(30)).until(() -> running(TERMINATED) == 1);
        } finally {
            own.close(); // SIGTERM
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> running(TERMINATED) == 0);
    }

    @Test
    void aCallInFlightWhenItsSessionIsDeletedLeavesNoProcessBehind() throws Exception {
        String a = openSession();
        // It would return after two minutes and leave its command running as a session of a caller that is gone.
        CompletableFuture<HttpResponse<String>> inFlight =
                http.sendAsync(exec(a, 2, "sleep " + IN_FLIGHT, false, 120_000), HttpResponse.BodyHandlers.ofString());
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> running(IN_FLIGHT) == 1);
            assertEquals(200, delete(a).statusCode());
            await().atMost(Duration.ofSeconds(15)).until(() -> running(IN_FLIGHT) == 0);
        } finally {
            inFlight.cancel(true);
        }
    }
}
