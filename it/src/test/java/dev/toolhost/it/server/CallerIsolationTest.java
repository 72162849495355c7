package dev.toolhost.it.server;

import static dev.toolhost.it.server.ServerFixtures.home;
import static dev.toolhost.it.server.ServerFixtures.text;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.it.ModernClient;
import dev.toolhost.it.Peers;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * Issue 13's acceptance: two real clients on one {@code toolhost mcp-server --http} at once, each a legacy
 * session (the MCP Java SDK) or a 2026-07-28 stateless caller (the TypeScript SDK v2), in gateway mode
 * (server-everything behind the hub) and built-in-only mode ({@code --only builtin}): neither reaches the
 * other's processes, approvals or plan, and a downstream server's log messages and elicitation requests reach
 * only the call that caused them (README "What is per caller and what is shared").
 *
 * <p>Every server has a bearer token, so a modern caller is {@code Caller.stateless(token)}. With one
 * configurable token all modern requests are one caller: two modern clients are only paired where the state
 * is per request (plan, approvals, log messages, elicitation), never for process handles; handles bound to two
 * different tokens are checked in {@code ModernDispatcherTest}. A legacy HTTP session's process limit and its
 * processes ending with its {@code DELETE} are checked in {@code LegacySessionProcessesTest}.
 */
class CallerIsolationTest {
    private static final String TOKEN = "it-isolation-token";
    private static final String LOG_LEVEL = "io.modelcontextprotocol/logLevel";
    private static final Pattern SESSION_ID = Pattern.compile("Process running with session ID (\\d+)");
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final AtomicInteger SEQ = new AtomicInteger();

    @TempDir
    static Path tmp;

    private static final Map<String, ServerFixtures.HttpServerProcess> SERVERS = new ConcurrentHashMap<>();

    enum Mode {
        GATEWAY,
        BUILTIN_ONLY
    }

    enum Era {
        LEGACY,
        MODERN
    }

    /**
     * One Toolhost per mode and approval policy, started on first use: {@code open} runs everything without
     * asking ({@code -a never}), otherwise {@code -a untrusted} asks before any command that writes.
     */
    private static synchronized ServerFixtures.HttpServerProcess server(Mode mode, boolean open) throws Exception {
        String key = mode + (open ? "-open" : "-untrusted");
        ServerFixtures.HttpServerProcess running = SERVERS.get(key);
        if (running != null) {
            return running;
        }
        Path home = home(
                tmp.resolve("home-" + key),
                "[mcp_servers.everything]\ncommand = \"" + Peers.bin("mcp-server-everything") + "\"\n");
        Files.createDirectories(work());
        running = new ServerFixtures.HttpServerProcess(
                home,
                Map.of("IT_ISOLATION_TOKEN", TOKEN),
                "--only",
                mode == Mode.GATEWAY ? "builtin,everything" : "builtin",
                "--token-env",
                "IT_ISOLATION_TOKEN",
                "-C",
                work().toString(),
                "-a",
                open ? "never" : "untrusted",
                "-s",
                open ? "danger-full-access" : "workspace-write");
        SERVERS.put(key, running);
        return running;
    }

    private static Path work() {
        return tmp.resolve("work");
    }

    @AfterAll
    static void stop() throws Exception {
        for (ServerFixtures.HttpServerProcess s : SERVERS.values()) {
            s.close();
        }
    }

    static Stream<Arguments> handlePairs() {
        return pairs(List.of(
                List.of(Era.LEGACY, Era.LEGACY), List.of(Era.LEGACY, Era.MODERN), List.of(Era.MODERN, Era.LEGACY)));
    }

    static Stream<Arguments> allPairs() {
        return pairs(List.of(
                List.of(Era.LEGACY, Era.LEGACY),
                List.of(Era.LEGACY, Era.MODERN),
                List.of(Era.MODERN, Era.LEGACY),
                List.of(Era.MODERN, Era.MODERN)));
    }

    static Stream<Arguments> eraPairs() {
        return allPairs().filter(a -> a.get()[0] == Mode.GATEWAY).map(a -> Arguments.of(a.get()[1], a.get()[2]));
    }

    private static Stream<Arguments> pairs(List<List<Era>> eras) {
        List<Arguments> out = new ArrayList<>();
        for (Mode mode : Mode.values()) {
            for (List<Era> pair : eras) {
                out.add(Arguments.of(mode, pair.get(0), pair.get(1)));
            }
        }
        return out.stream();
    }

    // ---- (a) process handles ----

    @ParameterizedTest(name = "{0}: A {1}, B {2}")
    @MethodSource("handlePairs")
    void aForeignProcessHandleIsRefusedExactlyLikeAnUnknownOne(Mode mode, Era a, Era b) throws Exception {
        String url = server(mode, true).url();
        try (Client ca = client(a, url, Map.of(), null);
                Client cb = client(b, url, Map.of(), null)) {
            long id = ca.call("exec_command", Map.of("cmd", "cat", "tty", true, "yield_time_ms", 300, "login", false))
                    .sessionId();
            try {
                long other = ca.call(
                                "exec_command", Map.of("cmd", "cat", "tty", true, "yield_time_ms", 300, "login", false))
                        .sessionId();
                ca.call("write_stdin", Map.of("session_id", other, "chars", "\u0003"));
                assertTrue(
                        Math.abs(other - id) > 1 && id > 1 << 20 && other > 1 << 20,
                        "process handles are random, not counters: " + id + ", " + other);

                long unknown = id + 1;
                Reply unknownReply = cb.call("write_stdin", Map.of("session_id", unknown, "chars", "typed-by-B\n"));
                Reply foreign = cb.call("write_stdin", Map.of("session_id", id, "chars", "typed-by-B\n"));
                assertTrue(unknownReply.isError() && foreign.isError(), unknownReply + " / " + foreign);
                assertEquals(
                        unknownReply.text().replace(Long.toString(unknown), "N"),
                        foreign.text().replace(Long.toString(id), "N"),
                        "another caller's handle is refused exactly like an unknown one");
                assertTrue(foreign.text().contains("no running session with ID " + id), foreign.text());

                Reply own = ca.call(
                        "write_stdin", Map.of("session_id", id, "chars", "typed-by-A\n", "yield_time_ms", 1000));
                assertFalse(own.isError(), own.text());
                assertTrue(own.text().contains("typed-by-A"), "A's own process still answers A: " + own.text());
                assertFalse(own.text().contains("typed-by-B"), "nothing B typed reached A's process: " + own.text());
            } finally {
                ca.call("write_stdin", Map.of("session_id", id, "chars", "\u0003"));
            }
        }
    }

    // ---- (b) approvals ----

    @ParameterizedTest(name = "{0}: A {1}, B {2}")
    @MethodSource("allPairs")
    void approvalsNeverCross(Mode mode, Era a, Era b) throws Exception {
        String url = server(mode, false).url();
        int k = SEQ.incrementAndGet();
        String shared = "touch shared-" + k + ".txt";
        String held = "touch held-" + k + ".txt";
        CountDownLatch bAskedToHold = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Consumer<String> holdOwnApproval = message -> {
            if (message.contains(held)) {
                bAskedToHold.countDown();
                awaitLatch(release);
            }
        };
        // Each answers with a decision its form offers: approved_for_session only to a legacy session.
        String aDecision = a == Era.LEGACY ? "approved_for_session" : "approved";
        try (Client ca = client(a, url, Map.of("decision", aDecision), null);
                Client cb = client(b, url, Map.of("decision", "approved"), holdOwnApproval)) {
            // A legacy B keeps its own approval open (a call in flight) while A is asked about A's command.
            CompletableFuture<Reply> parked = null;
            if (b == Era.LEGACY) {
                parked = CompletableFuture.supplyAsync(() -> cb.call("exec_command", exec(held)));
                assertTrue(bAskedToHold.await(WAIT.toSeconds(), TimeUnit.SECONDS), "B was asked about its own command");
            }
            Reply first = ca.call("exec_command", exec(shared));
            assertFalse(first.isError(), first.text());
            assertEquals(1, ca.asked().size(), "A was asked once: " + ca.asked());
            assertTrue(ca.asked().get(0).contains(shared), ca.asked().toString());
            assertEquals(
                    a == Era.LEGACY,
                    ca.schemas().get(0).contains("approved_for_session"),
                    "approved_for_session is offered to legacy sessions only: "
                            + ca.schemas().get(0));
            assertTrue(Files.deleteIfExists(work().resolve("shared-" + k + ".txt")), "A's approved command ran");
            if (parked != null) {
                release.countDown();
                Reply heldReply = parked.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertFalse(heldReply.isError(), heldReply.text());
                assertEquals(1, cb.asked().size(), "B saw only its own approval request: " + cb.asked());
                assertTrue(cb.asked().get(0).contains(held), cb.asked().toString());
            } else {
                assertEquals(List.of(), cb.asked(), "B never saw A's approval request");
            }
            if (a == Era.LEGACY) {
                Reply again = ca.call("exec_command", exec(shared));
                assertFalse(again.isError(), again.text());
                assertEquals(1, ca.asked().size(), "A's approved_for_session is remembered for A: " + ca.asked());
                assertTrue(Files.deleteIfExists(work().resolve("shared-" + k + ".txt")));
            }

            int bBefore = cb.asked().size();
            Reply second = cb.call("exec_command", exec(shared));
            assertFalse(second.isError(), second.text());
            assertEquals(bBefore + 1, cb.asked().size(), "B is asked about the same command: " + cb.asked());
            assertTrue(cb.asked().get(bBefore).contains(shared), cb.asked().toString());
            assertEquals(1, ca.asked().size(), "A is never asked about B's call: " + ca.asked());
            assertTrue(Files.exists(work().resolve("shared-" + k + ".txt")), "B's approved command ran");
        } finally {
            release.countDown();
        }
    }

    private static Map<String, Object> exec(String cmd) {
        return Map.of("cmd", cmd, "login", false);
    }

    // ---- (c) the plan ----

    @ParameterizedTest(name = "{0}: A {1}, B {2}")
    @MethodSource("allPairs")
    void thePlanNeverCrosses(Mode mode, Era a, Era b) throws Exception {
        String url = server(mode, true).url();
        try (Client ca = client(a, url, Map.of(), null);
                Client cb = client(b, url, Map.of(), null)) {
            Reply set = ca.call(
                    "update_plan",
                    Map.of(
                            "explanation",
                            "A's plan",
                            "plan",
                            List.of(Map.of("step", "secret step of A", "status", "in_progress"))));
            assertFalse(set.isError(), set.text());
            assertTrue(set.text().contains("secret step of A"), set.text());

            Reply seen = cb.call("update_plan", Map.of());
            assertFalse(seen.isError(), seen.text());
            assertTrue(seen.text().contains("(no steps)"), "B has no plan: " + seen.text());
            assertFalse(seen.text().contains("secret step of A") || seen.text().contains("A's plan"), seen.text());

            Reply mine = ca.call("update_plan", Map.of());
            // A legacy session keeps its plan (so B's empty plan above is isolation, not forgetfulness); a
            // 2026-07-28 caller's plan is never kept.
            assertEquals(a == Era.LEGACY, mine.text().contains("secret step of A"), mine.text());
        }
    }

    // ---- (d) log messages ----

    @ParameterizedTest(name = "A {0}, B {1}")
    @MethodSource("eraPairs")
    void aDownstreamLogMessageReachesOnlyTheCallThatCausedIt(Era a, Era b) throws Exception {
        String url = server(Mode.GATEWAY, true).url();
        try (Client ca = client(a, url, Map.of(), null);
                Client cb = client(b, url, Map.of(), null)) {
            InFlight bCall = inFlight(cb);
            try {
                // server-everything logs once at once when simulated logging is switched on (then every 5 s).
                Reply on = ca.call("mcp__everything__toggle-simulated-logging", Map.of());
                try {
                    assertTrue(on.text().startsWith("Started"), on.text());
                    await().atMost(WAIT).until(() -> !ca.logs().isEmpty());
                } finally {
                    if (on.text().startsWith("Started")) {
                        assertTrue(ca.call("mcp__everything__toggle-simulated-logging", Map.of())
                                .text()
                                .startsWith("Stopped"));
                    }
                }
            } finally {
                bCall.finish();
            }
            assertEquals(List.of(), cb.logs(), "B, with a call in flight, got none of A's log messages");
        }
    }

    @ParameterizedTest(name = "A {0}")
    @EnumSource(Era.class)
    void aDownstreamLogMessageWhileTwoCallsToTheSameServerAreInFlightReachesNeither(Era a) throws Exception {
        String url = server(Mode.GATEWAY, true).url();
        CountDownLatch bAsked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (Client ca = client(a, url, Map.of(), null);
                Client cb = client(Era.LEGACY, url, Map.of("name", "Bob of B"), message -> {
                    bAsked.countDown();
                    awaitLatch(release);
                })) {
            CompletableFuture<Reply> parked = CompletableFuture.supplyAsync(
                    () -> cb.call("mcp__everything__trigger-elicitation-request", Map.of()));
            assertTrue(bAsked.await(WAIT.toSeconds(), TimeUnit.SECONDS), "B's call to server-everything is in flight");
            try {
                Reply on = ca.call("mcp__everything__toggle-simulated-logging", Map.of());
                assertTrue(on.text().startsWith("Started"), on.text());
                assertTrue(ca.call("mcp__everything__toggle-simulated-logging", Map.of())
                        .text()
                        .startsWith("Stopped"));
            } finally {
                release.countDown();
            }
            assertTrue(parked.get(WAIT.toSeconds(), TimeUnit.SECONDS).text().contains("Bob of B"));
            // The wire does not say which call the log line belongs to: it stays in the server's log.
            assertEquals(List.of(), cb.logs(), "B got none of the log messages A's call caused");
            assertEquals(List.of(), ca.logs(), "nor did A: the log line cannot be told apart from B's");
        } finally {
            release.countDown();
        }
    }

    @Test
    void downstreamProgressReachesOnlyTheCallThatCausedIt() throws Exception {
        String url = server(Mode.GATEWAY, true).url();
        CountDownLatch bAsked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (Legacy ca = new Legacy(url, Map.of(), null);
                Legacy cb = new Legacy(url, Map.of("name", "Bob of B"), message -> {
                    bAsked.countDown();
                    awaitLatch(release);
                })) {
            // Both calls carry the same progress token: only Toolhost's own downstream tokens tell them apart.
            CompletableFuture<Reply> parked = CompletableFuture.supplyAsync(
                    () -> cb.call("mcp__everything__trigger-elicitation-request", Map.of(), "same-token"));
            assertTrue(bAsked.await(WAIT.toSeconds(), TimeUnit.SECONDS), "B's call to server-everything is in flight");
            try {
                Reply done = ca.call(
                        "mcp__everything__trigger-long-running-operation",
                        Map.of("duration", 1, "steps", 3),
                        "same-token");
                assertTrue(done.text().contains("completed"), done.text());
            } finally {
                release.countDown();
            }
            assertTrue(parked.get(WAIT.toSeconds(), TimeUnit.SECONDS).text().contains("Bob of B"));
            await().atMost(WAIT).until(() -> ca.progress().size() == 3);
            assertEquals(List.of(), cb.progress(), "B got none of A's progress");
        } finally {
            release.countDown();
        }
    }

    // ---- (e) elicitation ----

    @ParameterizedTest(name = "A {0}, B {1}")
    @MethodSource("eraPairs")
    void aDownstreamElicitationReachesOnlyTheCallerWhoseCallCausedIt(Era a, Era b) throws Exception {
        String url = server(Mode.GATEWAY, true).url();
        try (Client ca = client(a, url, Map.of("name", "Ada of A"), null);
                Client cb = client(b, url, Map.of("name", "Bob of B"), null)) {
            InFlight bCall = inFlight(cb);
            Reply asked;
            try {
                asked = ca.call("mcp__everything__trigger-elicitation-request", Map.of());
            } finally {
                bCall.finish();
            }
            // A legacy caller is asked on its session; a 2026-07-28 caller in an input_required round (the
            // downstream call waits for the retry): either way A, and only A.
            assertEquals(1, ca.asked().size(), "A was asked: " + ca.asked());
            assertTrue(asked.text().contains("Ada of A"), "A's answer came back to A's call: " + asked.text());
            assertFalse(asked.text().contains("Bob of B"), asked.text());
            assertEquals(List.of(), cb.asked(), "B was never asked");
        }
    }

    @ParameterizedTest(name = "A {0}")
    @EnumSource(Era.class)
    void anElicitationWhileTwoCallsToTheSameServerAreInFlightIsDeclinedAndReachesNeither(Era a) throws Exception {
        String url = server(Mode.GATEWAY, true).url();
        CountDownLatch bAsked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (Client ca = client(a, url, Map.of("name", "Ada of A"), null);
                Client cb = client(Era.LEGACY, url, Map.of("name", "Bob of B"), message -> {
                    bAsked.countDown();
                    awaitLatch(release);
                })) {
            // B's own elicitation keeps B's call to server-everything in flight while A calls the same server.
            CompletableFuture<Reply> parked = CompletableFuture.supplyAsync(
                    () -> cb.call("mcp__everything__trigger-elicitation-request", Map.of()));
            assertTrue(bAsked.await(WAIT.toSeconds(), TimeUnit.SECONDS), "B was asked for its own call");
            long loggedBefore = declineLogLines("elicitation/create").size();
            Reply declined;
            try {
                declined = ca.call("mcp__everything__trigger-elicitation-request", Map.of());
            } finally {
                release.countDown();
            }
            assertEquals(List.of(), ca.asked(), "A was not asked");
            assertTrue(declined.text().contains("declined"), declined.text());
            assertTrue(
                    declined.text().contains("calls to it were in flight"), "the decline says why: " + declined.text());
            // The decline is in the log file too, once, at WARN: server, method and calls in flight, not the content.
            List<String> logged = declineLogLines("elicitation/create");
            assertEquals(loggedBefore + 1, logged.size(), logged.toString());
            String line = logged.get(logged.size() - 1);
            assertTrue(line.contains("WARN"), line);
            assertTrue(line.contains("MCP server 'everything' sent elicitation/create while 2 calls"), line);
            assertFalse(line.contains("Please provide inputs"), "the request's content is not logged: " + line);
            Reply bReply = parked.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertTrue(bReply.text().contains("Bob of B"), bReply.text());
            assertEquals(1, cb.asked().size(), "B saw only its own request: " + cb.asked());
        } finally {
            release.countDown();
        }
    }

    @Test
    void aDownstreamSamplingRequestReachesOnlyTheCallerWhoseCallCausedIt() throws Exception {
        String url = server(Mode.GATEWAY, true).url();
        CountDownLatch bAsked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (Legacy ca = new Legacy(url, Map.of(), null);
                Legacy cb = new Legacy(url, Map.of("name", "Bob of B"), message -> {
                    bAsked.countDown();
                    awaitLatch(release);
                })) {
            InFlight bCall = inFlight(cb);
            Reply sampled;
            try {
                sampled = ca.call("mcp__everything__trigger-sampling-request", Map.of("prompt", "prompt of A"));
            } finally {
                bCall.finish();
            }
            assertEquals(1, ca.sampled().size(), "A was asked to sample: " + ca.sampled());
            assertTrue(sampled.text().contains("sampled by the client that was asked"), sampled.text());
            assertEquals(List.of(), cb.sampled(), "B was never asked to sample");

            // With B's call to the same server in flight, nobody can be told apart: refused with the reason.
            CompletableFuture<Reply> parked = CompletableFuture.supplyAsync(
                    () -> cb.call("mcp__everything__trigger-elicitation-request", Map.of()));
            assertTrue(bAsked.await(WAIT.toSeconds(), TimeUnit.SECONDS), "B's call to server-everything is in flight");
            Reply refused;
            try {
                refused = ca.call("mcp__everything__trigger-sampling-request", Map.of("prompt", "prompt of A"));
            } finally {
                release.countDown();
            }
            assertTrue(refused.text().contains("calls to it were in flight"), refused.text());
            assertEquals(1, ca.sampled().size(), "A was not asked again: " + ca.sampled());
            assertTrue(parked.get(WAIT.toSeconds(), TimeUnit.SECONDS).text().contains("Bob of B"));
            assertEquals(List.of(), cb.sampled(), "B was never asked to sample");
        } finally {
            release.countDown();
        }
    }

    /** The gateway's log-file lines about declining {@code method} requests that no single call could be given. */
    private static List<String> declineLogLines(String method) throws Exception {
        Path log = tmp.resolve("home-" + Mode.GATEWAY + "-open").resolve("logs/toolhost.log");
        if (!Files.exists(log)) {
            return List.of();
        }
        try (Stream<String> lines = Files.lines(log)) {
            return lines.filter(l -> l.contains("sent " + method + " while")).toList();
        }
    }

    /** A built-in call by {@code c} that stays in flight until {@link InFlight#finish()}. */
    private static InFlight inFlight(Client c) {
        int k = SEQ.incrementAndGet();
        Path started = work().resolve("started-" + k);
        Path release = work().resolve("release-" + k);
        CompletableFuture<Reply> call = CompletableFuture.supplyAsync(() -> c.call(
                "exec_command",
                Map.of(
                        "cmd",
                        "touch " + started.getFileName() + "; while [ ! -f " + release.getFileName()
                                + " ]; do sleep 0.05; done; echo released",
                        "login",
                        false,
                        "yield_time_ms",
                        60_000)));
        await().atMost(WAIT).until(() -> Files.exists(started) || call.isDone());
        assertFalse(call.isDone(), "B's call is in flight: " + call.getNow(null));
        return new InFlight(call, release);
    }

    private record InFlight(CompletableFuture<Reply> call, Path release) {
        void finish() throws Exception {
            Files.writeString(release, "");
            Reply r = call.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertTrue(r.text().contains("released"), r.text());
        }
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            latch.await(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- the two kinds of client ----

    /**
     * @param answer        the content every elicitation is accepted with
     * @param beforeAnswer  called with each elicitation's message before it is answered (legacy only: it may
     *                      block, keeping the call in flight), or null
     */
    private static Client client(Era era, String url, Map<String, Object> answer, Consumer<String> beforeAnswer) {
        return era == Era.LEGACY ? new Legacy(url, answer, beforeAnswer) : new Modern(url, answer);
    }

    record Reply(String text, boolean isError) {
        long sessionId() {
            Matcher m = SESSION_ID.matcher(text);
            assertTrue(m.find(), "a process session was started: " + text);
            return Long.parseLong(m.group(1));
        }
    }

    /** A client of one era: what it was asked (elicitation messages and schemas) and which log messages it got. */
    private interface Client extends AutoCloseable {
        Reply call(String tool, Map<String, Object> arguments);

        List<String> asked();

        List<String> schemas();

        List<String> logs();

        @Override
        void close();
    }

    /**
     * A legacy session (the MCP Java SDK over streamable HTTP) with elicitation and sampling, logging at debug,
     * recording progress.
     */
    private static final class Legacy implements Client {
        private final McpSyncClient client;
        private final List<String> asked = new CopyOnWriteArrayList<>();
        private final List<String> schemas = new CopyOnWriteArrayList<>();
        private final List<String> logs = new CopyOnWriteArrayList<>();
        private final List<McpSchema.ProgressNotification> progress = new CopyOnWriteArrayList<>();
        private final List<String> sampled = new CopyOnWriteArrayList<>();

        Legacy(String url, Map<String, Object> answer, Consumer<String> beforeAnswer) {
            UnaryOperator<McpClient.SyncSpec> answering = ServerFixtures.answering(
                    r -> {
                        asked.add(r.message());
                        schemas.add(String.valueOf(r.requestedSchema()));
                        if (beforeAnswer != null) {
                            beforeAnswer.accept(r.message());
                        }
                        return new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.ACCEPT, answer);
                    },
                    r -> {
                        sampled.add(String.valueOf(r.messages()));
                        return ServerFixtures.sampled("sampled by the client that was asked");
                    });
            client = ServerFixtures.httpClient(
                    url,
                    TOKEN,
                    spec -> answering
                            .apply(spec)
                            .loggingConsumer(n -> logs.add(String.valueOf(n.data())))
                            .progressConsumer(progress::add));
            client.setLoggingLevel(McpSchema.LoggingLevel.DEBUG);
        }

        @Override
        public Reply call(String tool, Map<String, Object> arguments) {
            return call(tool, arguments, null);
        }

        /** A call with {@code _meta.progressToken} (none when null). */
        Reply call(String tool, Map<String, Object> arguments, String progressToken) {
            McpSchema.CallToolResult r = client.callTool(new McpSchema.CallToolRequest(
                    tool, arguments, progressToken == null ? null : Map.of("progressToken", progressToken)));
            return new Reply(text(r), Boolean.TRUE.equals(r.isError()));
        }

        List<String> sampled() {
            return List.copyOf(sampled);
        }

        List<McpSchema.ProgressNotification> progress() {
            return List.copyOf(progress);
        }

        @Override
        public List<String> asked() {
            return List.copyOf(asked);
        }

        @Override
        public List<String> schemas() {
            return List.copyOf(schemas);
        }

        @Override
        public List<String> logs() {
            return List.copyOf(logs);
        }

        @Override
        public void close() {
            client.close();
        }
    }

    /**
     * A 2026-07-28 caller (the TypeScript SDK v2, pinned modern, with the bearer token): each call is one run of
     * the client, asking for log messages at debug and accepting every elicitation (input_required round).
     */
    private static final class Modern implements Client {
        private final String url;
        private final Map<String, Object> answer;
        private final List<String> asked = new CopyOnWriteArrayList<>();
        private final List<String> schemas = new CopyOnWriteArrayList<>();
        private final List<String> logs = new CopyOnWriteArrayList<>();

        Modern(String url, Map<String, Object> answer) {
            this.url = url;
            this.answer = answer;
        }

        @Override
        public Reply call(String tool, Map<String, Object> arguments) {
            Map<String, Object> spec = new HashMap<>();
            spec.put("transport", Map.of("type", "http", "url", url, "bearerToken", TOKEN));
            spec.put("negotiation", "2026-07-28");
            spec.put("elicitation", Map.of("action", "accept", "content", answer));
            spec.put(
                    "operations",
                    List.of(Map.of(
                            "op",
                            "call_tool",
                            "name",
                            tool,
                            "arguments",
                            arguments,
                            "meta",
                            Map.of(LOG_LEVEL, "debug"))));
            ModernClient.Output out = ModernClient.run(spec, Duration.ofSeconds(90));
            assertEquals(
                    "modern", out.connected().get("era").asString(), out.lines().toString());
            JsonNode op = out.operations().get(0);
            for (JsonNode e : op.get("elicitations")) {
                asked.add(e.get("params").get("message").asString());
                schemas.add(e.get("params").path("requestedSchema").toString());
            }
            for (JsonNode l : op.get("logs")) {
                logs.add(l.get("data").toString());
            }
            if (!op.get("ok").asBoolean()) {
                return new Reply(op.get("error").toString(), true);
            }
            return new Reply(
                    op.get("text").asString(), op.path("result").path("isError").asBoolean(false));
        }

        @Override
        public List<String> asked() {
            return List.copyOf(asked);
        }

        @Override
        public List<String> schemas() {
            return List.copyOf(schemas);
        }

        @Override
        public List<String> logs() {
            return List.copyOf(logs);
        }

        @Override
        public void close() {
            // nothing stays open between a stateless caller's requests
        }
    }
}
