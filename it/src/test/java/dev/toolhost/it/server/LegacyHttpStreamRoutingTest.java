package dev.toolhost.it.server;

import static dev.toolhost.it.server.ServerFixtures.home;
import static dev.toolhost.it.server.ServerFixtures.text;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.it.Peers;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A legacy streamable HTTP server (server-everything in {@code streamableHttp} mode) behind
 * {@code toolhost mcp-server --http}: a request it sends during a tool call comes on that call's POST response
 * stream (2025-11-25 {@code basic/transports}), so with two callers' calls to it in flight at once each caller
 * gets its own elicitation or sampling request, and nothing is declined. Over stdio the same two calls cannot
 * be told apart ({@code CallerIsolationTest} checks that decline).
 */
class LegacyHttpStreamRoutingTest {
    private static final String TOKEN = "it-stream-routing-token";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path tmp;

    private static Process everything;
    private static ServerFixtures.HttpServerProcess gateway;

    @BeforeAll
    static void start() throws Exception {
        int port = freePort();
        ProcessBuilder pb =
                new ProcessBuilder(Peers.bin("mcp-server-everything").toString(), "streamableHttp");
        pb.environment().put("PORT", String.valueOf(port));
        pb.redirectErrorStream(true)
                .redirectOutput(tmp.resolve("everything.log").toFile());
        everything = pb.start();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> listening(port));
        Path home = home(
                tmp.resolve("home"),
                "[mcp_servers.everything]\nurl = \"http://127.0.0.1:" + port + "/mcp\"\nprotocol = \"legacy\"\n");
        gateway = new ServerFixtures.HttpServerProcess(
                home,
                Map.of("IT_STREAM_ROUTING_TOKEN", TOKEN),
                "--only",
                "everything",
                "--token-env",
                "IT_STREAM_ROUTING_TOKEN");
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (everything != null) {
            everything.descendants().forEach(ProcessHandle::destroyForcibly);
            everything.destroyForcibly();
            everything.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void eachCallerGetsTheElicitationItsOwnCallCaused() throws Exception {
        CountDownLatch aAsked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        long declinedBefore = declineLogLines().size();
        try (Caller a = new Caller(Map.of("name", "Ada of A"), () -> {
                    aAsked.countDown();
                    awaitLatch(release);
                });
                Caller b = new Caller(Map.of("name", "Bob of B"), null)) {
            // A's call stays in flight, its elicitation unanswered, while B calls the same tool.
            CompletableFuture<String> aCall =
                    CompletableFuture.supplyAsync(() -> a.call("mcp__everything__trigger-elicitation-request"));
            assertTrue(aAsked.await(WAIT.toSeconds(), TimeUnit.SECONDS), "A was asked for its own call");
            String bReply;
            try {
                bReply = b.call("mcp__everything__trigger-elicitation-request");
            } finally {
                release.countDown();
            }
            String aReply = aCall.get(WAIT.toSeconds(), TimeUnit.SECONDS);

            assertTrue(bReply.contains("Bob of B"), "B's answer came back to B's call: " + bReply);
            assertFalse(bReply.contains("Ada of A") || bReply.contains("declined"), bReply);
            assertTrue(aReply.contains("Ada of A"), "A's answer came back to A's call: " + aReply);
            assertFalse(aReply.contains("Bob of B"), aReply);
            assertEquals(1, a.asked().size(), "A was asked once: " + a.asked());
            assertEquals(1, b.asked().size(), "B was asked once: " + b.asked());
            assertEquals(declinedBefore, declineLogLines().size(), "nothing was declined: " + declineLogLines());
        } finally {
            release.countDown();
        }
    }

    @Test
    void aSamplingRequestReachesTheCallerWhoseCallCausedItWhileAnotherCallIsInFlight() throws Exception {
        CountDownLatch aAsked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (Caller a = new Caller(Map.of("name", "Ada of A"), () -> {
                    aAsked.countDown();
                    awaitLatch(release);
                });
                Caller b = new Caller(Map.of(), null)) {
            CompletableFuture<String> aCall =
                    CompletableFuture.supplyAsync(() -> a.call("mcp__everything__trigger-elicitation-request"));
            assertTrue(aAsked.await(WAIT.toSeconds(), TimeUnit.SECONDS), "A's call is in flight");
            String sampled;
            try {
                sampled = b.call("mcp__everything__trigger-sampling-request", Map.of("prompt", "prompt of B"));
            } finally {
                release.countDown();
            }
            assertTrue(sampled.contains("sampled for B"), "B was asked to sample: " + sampled);
            assertEquals(1, b.sampled().size(), b.sampled().toString());
            assertTrue(b.sampled().get(0).contains("prompt of B"), b.sampled().toString());
            assertEquals(List.of(), a.sampled(), "A was never asked to sample");
            assertTrue(aCall.get(WAIT.toSeconds(), TimeUnit.SECONDS).contains("Ada of A"));
        } finally {
            release.countDown();
        }
    }

    /** The gateway's log lines about requests declined because no single call could be told apart. */
    private static List<String> declineLogLines() throws IOException {
        Path log = tmp.resolve("home").resolve("logs/toolhost.log");
        if (!Files.exists(log)) {
            return List.of();
        }
        try (Stream<String> lines = Files.lines(log)) {
            return lines.filter(l -> l.contains("nothing in the request says which call"))
                    .toList();
        }
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            latch.await(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A legacy session of its own (the MCP Java SDK over streamable HTTP: one caller) with elicitation and
     * sampling; every elicitation is accepted with {@code answer}, after {@code beforeAnswer} (which may block).
     */
    private static final class Caller implements AutoCloseable {
        private final McpSyncClient client;
        private final List<String> asked = new CopyOnWriteArrayList<>();
        private final List<String> sampled = new CopyOnWriteArrayList<>();

        Caller(Map<String, Object> answer, Runnable beforeAnswer) {
            client = ServerFixtures.httpClient(
                    gateway.url(),
                    TOKEN,
                    ServerFixtures.answering(
                            r -> {
                                asked.add(r.message());
                                if (beforeAnswer != null) {
                                    beforeAnswer.run();
                                }
                                return new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.ACCEPT, answer);
                            },
                            r -> {
                                sampled.add(String.valueOf(r.messages()));
                                return ServerFixtures.sampled("sampled for B");
                            }));
        }

        String call(String tool) {
            return call(tool, Map.of());
        }

        String call(String tool, Map<String, Object> arguments) {
            return text(client.callTool(new McpSchema.CallToolRequest(tool, arguments)));
        }

        List<String> asked() {
            return List.copyOf(asked);
        }

        List<String> sampled() {
            return List.copyOf(sampled);
        }

        @Override
        public void close() {
            client.close();
        }
    }
}
