package dev.toolhost.exec.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.exec.ExecProcess;
import dev.toolhost.exec.ExecRequest;
import dev.toolhost.exec.ExitStatus;
import dev.toolhost.exec.OutputChunk;
import dev.toolhost.exec.SandboxPolicy;
import dev.toolhost.exec.protocol.RpcCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The exec client against Toolhost's real exec-server over real sockets, with a frame proxy in between
 * where a test needs a network fault or an older server's wire shape.
 */
class RemoteExecBackendTest {
    private static final RpcCodec CODEC = new RpcCodec();
    private static final Map<String, String> ENV = Map.of("PATH", "/usr/bin:/bin", "LC_ALL", "C");

    private static TestExecServer server;
    private FrameProxy proxy;
    private RemoteExecBackend backend;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startServer() throws Exception {
        server = TestExecServer.start(null);
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @AfterEach
    void tearDown() {
        if (backend != null) {
            backend.close();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    private RemoteExecBackend direct() throws Exception {
        backend = RemoteExecBackend.connect(server.uri(), null, ClientOptions.defaults());
        return backend;
    }

    private RemoteExecBackend throughProxy(UnaryOperator<String> filter) throws Exception {
        proxy = new FrameProxy(server.uri());
        proxy.filter(filter);
        backend = RemoteExecBackend.connect(proxy.uri(), null, ClientOptions.defaults());
        return backend;
    }

    private ExecRequest sh(String script) {
        return new ExecRequest(List.of("sh", "-c", script), tmp, ENV, false, false, null);
    }

    private static ExitStatus finish(ExecProcess p) throws Exception {
        return p.completion().get(30, TimeUnit.SECONDS);
    }

    private static String seqLines(int from, int to) {
        StringBuilder b = new StringBuilder();
        for (int i = from; i <= to; i++) {
            b.append(i).append('\n');
        }
        return b.toString();
    }

    private static JsonNode parse(String text) {
        return CODEC.mapper().readTree(text);
    }

    private static boolean isNotification(JsonNode m, String method) {
        return method.equals(m.path("method").asString(""));
    }

    // ---- the four contracts ----

    @Test
    void completeOutputExitAndCloseArePushedWithZeroReads() throws Exception {
        Collector out = new Collector();
        ExitStatus status = finish(direct().start(sh("echo hi; echo err >&2; exit 3"), out));
        assertEquals(3, status.exitCode());
        assertFalse(status.sandboxDenied());
        assertEquals(0, status.bytesLost());
        assertEquals("hi\n", out.stdout());
        assertEquals("err\n", out.stderr());
        assertEquals(0, backend.readsIssued());
    }

    @Test
    void pushedSandboxDenialCompletesWithZeroReads() throws Exception {
        Collector out = new Collector();
        ExecRequest denied = new ExecRequest(
                List.of("sh", "-c", "echo x > " + tmp.resolve("f")), tmp, ENV, false, false, SandboxPolicy.readOnly());
        ExitStatus status = finish(direct().start(denied, out));
        assertTrue(status.sandboxDenied(), "denied: " + status + " output " + out.text());
        assertTrue(out.text().toLowerCase().contains("read-only file system"), out.text());
        assertEquals(0, backend.readsIssued());
    }

    @Test
    void legacyExitWithoutDenialIssuesExactlyOneReadThatLearnsTheDenial() throws Exception {
        // Acts as a legacy server for exits: sandboxDenied is stripped from process/exited only, so the
        // one compatibility read must learn that the process was denied.
        throughProxy(text -> {
            JsonNode m = parse(text);
            if (isNotification(m, "process/exited")) {
                ((ObjectNode) m.get("params")).remove("sandboxDenied");
                return m.toString();
            }
            return text;
        });
        Collector out = new Collector();
        ExecRequest denied = new ExecRequest(
                List.of("sh", "-c", "echo x > " + tmp.resolve("f")), tmp, ENV, false, false, SandboxPolicy.readOnly());
        ExitStatus status = finish(backend.start(denied, out));
        assertTrue(status.sandboxDenied());
        assertEquals(1, backend.readsIssued());
    }

    @Test
    void aFullyLegacyServerIsDrivenWithOneReadPerExit() throws Exception {
        // No sandboxDenied anywhere (exits nor read replies), and fields this client has never heard of in
        // every result and notification: the client reports "not denied" after one read.
        throughProxy(text -> {
            JsonNode m = parse(text.replaceAll(",?\"sandboxDenied\":(true|false)", ""));
            for (String member : List.of("params", "result")) {
                if (m.get(member) instanceof ObjectNode o) {
                    o.putObject("futureField").put("version", 2);
                }
            }
            return m.toString();
        });
        backend.close();
        backend = RemoteExecBackend.connect(
                proxy.uri(), null, ClientOptions.defaults().withCwdAsFileUri(true));
        Collector out = new Collector();
        ExitStatus status = finish(backend.start(sh("pwd; exit 4"), out));
        assertEquals(4, status.exitCode());
        assertFalse(status.sandboxDenied());
        assertEquals(tmp.toRealPath() + "\n", out.text());
        assertEquals(1, backend.readsIssued());
    }

    @Test
    void evictedOutputIsRecoveredFromTheRetainedWindowWithALostMarkerAndNoDuplicates() throws Exception {
        // Every output notification after the first is dropped, so the client sees seq 1 then the exit:
        // one read recovers what the 1 MiB window still holds; the rest is reported lost.
        AtomicInteger outputs = new AtomicInteger();
        throughProxy(text -> {
            JsonNode m = parse(text);
            return isNotification(m, "process/output") && outputs.incrementAndGet() > 1 ? null : text;
        });
        Collector out = new Collector();
        ExitStatus status = finish(backend.start(sh("seq 1 400000"), out));
        String expected = seqLines(1, 400000);
        String got = out.text();
        assertEquals(0, status.exitCode());
        assertEquals(1, backend.readsIssued());
        assertEquals(
                1,
                out.markers().size(),
                out.layout().length() > 200 ? out.layout().substring(0, 200) : out.layout());
        OutputChunk marker = out.markers().get(0);
        int cut = out.markerOffsets().get(0);
        String before = got.substring(0, cut);
        String after = got.substring(cut);
        assertTrue(expected.startsWith(before), "prefix is the first pushed chunk");
        assertTrue(expected.endsWith(after), "suffix is the tail of the output, nothing twice");
        assertTrue(after.length() > 512 * 1024, "recovered from the retained window: " + after.length());
        long missing = expected.length() - before.length() - after.length();
        assertTrue(marker.lostChunks() > 0);
        assertTrue(
                marker.lostBytes() >= marker.lostChunks() && marker.lostBytes() <= missing,
                "lost bytes " + marker.lostBytes() + " is a lower bound of " + missing);
        assertEquals(marker.lostBytes(), status.bytesLost());
    }

    // ---- recovery beyond the four contracts ----

    @Test
    void aDroppedNotificationIsAGapFilledByOneRead() throws Exception {
        AtomicInteger outputs = new AtomicInteger();
        throughProxy(text -> {
            JsonNode m = parse(text);
            return isNotification(m, "process/output") && outputs.incrementAndGet() == 1 ? null : text;
        });
        Collector out = new Collector();
        ExitStatus status = finish(backend.start(sh("seq 1 2000; echo done >&2"), out));
        assertEquals(0, status.exitCode());
        assertEquals(seqLines(1, 2000), out.stdout());
        assertEquals("done\n", out.stderr());
        assertTrue(out.markers().isEmpty());
        assertEquals(1, backend.readsIssued());
    }

    @Test
    void reorderedNotificationsAreDeliveredInSeqOrderWithoutReads() throws Exception {
        // The first output notification is held back and sent after the next message: seq 2 arrives first.
        String[] held = new String[1];
        throughProxy(UnaryOperator.identity());
        proxy.filterMany(text -> {
            JsonNode m = parse(text);
            if (held[0] == null
                    && isNotification(m, "process/output")
                    && m.path("params").path("seq").asLong() == 1) {
                held[0] = text;
                return List.of();
            }
            if (held[0] != null && !held[0].isEmpty()) {
                String first = held[0];
                held[0] = "";
                return List.of(text, first);
            }
            return List.of(text);
        });
        Collector out = new Collector();
        ExitStatus status = finish(backend.start(sh("echo one; echo two >&2; exit 7"), out));
        assertEquals(7, status.exitCode());
        assertEquals("one\n", out.stdout());
        assertEquals("two\n", out.stderr());
        assertEquals("", held[0], "the first output was held back and reordered");
        assertEquals(0, backend.readsIssued());
    }

    @Test
    void aPtyProcessRunsRemotely() throws Exception {
        Collector out = new Collector();
        ExitStatus status = finish(
                direct().start(new ExecRequest(List.of("sh", "-c", "tty; exit 0"), tmp, ENV, true, false, null), out));
        assertEquals(0, status.exitCode());
        assertTrue(out.text().startsWith("/dev/pts/"), out.text());
        assertTrue(out.layout().chars().allMatch(c -> c == 'O'), "pty output is one stream");
        assertEquals(0, backend.readsIssued());
    }

    @Test
    void aLaggingListenerDropsNotificationsAndRecoversWithoutLoss() throws Exception {
        backend = RemoteExecBackend.connect(
                server.uri(), null, ClientOptions.defaults().withBufferedEventsPerProcess(4));
        Path done = tmp.resolve("done");
        CountDownLatch release = new CountDownLatch(1);
        Collector out = new Collector();
        ExecProcess p = backend.start(sh("seq 1 50000; touch " + done), chunk -> {
            out.onOutput(chunk);
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> done.toFile().exists());
        release.countDown();
        ExitStatus status = finish(p);
        assertEquals(0, status.exitCode());
        assertEquals(seqLines(1, 50000), out.text());
        assertTrue(out.markers().isEmpty());
        assertTrue(backend.readsIssued() >= 1);
    }

    @Test
    void aConnectionCutMidStreamResumesWithoutLossOrDuplication() throws Exception {
        AtomicInteger outputs = new AtomicInteger();
        throughProxy(UnaryOperator.identity());
        proxy.filter(text -> {
            JsonNode m = parse(text);
            if (isNotification(m, "process/output") && outputs.incrementAndGet() == 3) {
                proxy.cut();
                return null;
            }
            return text;
        });
        String session = backend.sessionId();
        Collector out = new Collector();
        ExitStatus status = finish(backend.start(sh("seq 1 100000"), out));
        assertEquals(0, status.exitCode());
        assertEquals(seqLines(1, 100000), out.text());
        assertTrue(out.markers().isEmpty());
        assertEquals(2, proxy.connections());
        assertEquals(session, backend.sessionId());
        assertEquals(1, backend.readsIssued());
    }

    @Test
    void aProcessOutlivesADroppedConnectionAndTakesInputAfterTheResume() throws Exception {
        throughProxy(UnaryOperator.identity());
        Collector out = new Collector();
        ExecProcess p = backend.start(
                new ExecRequest(
                        List.of("sh", "-c", "echo ready; read x; echo got $x; seq 1 3000"),
                        tmp,
                        ENV,
                        false,
                        true,
                        null),
                out);
        await().atMost(Duration.ofSeconds(10)).until(() -> out.text().equals("ready\n"));
        proxy.cut();
        await().atMost(Duration.ofSeconds(20)).until(() -> tryWrite(p, "hello\n"));
        ExitStatus status = finish(p);
        assertEquals(0, status.exitCode());
        assertEquals("ready\ngot hello\n" + seqLines(1, 3000), out.text());
        assertEquals(2, proxy.connections());
    }

    @Test
    void aServerThatStaysUnreachableFailsTheProcessWithAClearReasonAfterTheGiveUpTime() throws Exception {
        proxy = new FrameProxy(server.uri());
        backend = RemoteExecBackend.connect(
                proxy.uri(), null, ClientOptions.defaults().withReconnectGiveUp(Duration.ofMillis(500)));
        Collector out = new Collector();
        ExecProcess p = backend.start(
                new ExecRequest(List.of("sh", "-c", "echo ready; read x"), tmp, ENV, false, true, null), out);
        await().atMost(Duration.ofSeconds(10)).until(() -> out.text().equals("ready\n"));
        proxy.close();
        ExitStatus status = finish(p);
        assertTrue(
                status.failure() != null
                        && status.failure().contains(proxy.uri().toString())
                        && status.failure().contains("could not reconnect"),
                String.valueOf(status.failure()));
    }

    @Test
    void closingTheBackendKillsItsProcessesAndCompletesThem() throws Exception {
        Collector out = new Collector();
        ExecProcess p = direct().start(
                        new ExecRequest(List.of("sh", "-c", "echo ready; read x"), tmp, ENV, false, true, null), out);
        await().atMost(Duration.ofSeconds(10)).until(() -> out.text().equals("ready\n"));
        backend.close();
        ExitStatus status = finish(p);
        assertTrue(status.exitCode() == 137 || status.failure() != null, status.toString());
    }

    private static boolean tryWrite(ExecProcess p, String text) {
        try {
            p.write(text.getBytes(StandardCharsets.UTF_8)).get(5, TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void aThousandShortProcessesAllCompleteFromPushedEvents() throws Exception {
        direct();
        int n = 1000;
        List<ExecProcess> running = new ArrayList<>();
        List<Collector> outs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Collector out = new Collector();
            outs.add(out);
            running.add(
                    backend.start(new ExecRequest(List.of("/bin/echo", "n" + i), tmp, ENV, false, false, null), out));
            if (running.size() % 16 == 0) {
                finish(running.get(running.size() - 16));
            }
        }
        for (int i = 0; i < n; i++) {
            assertEquals(0, finish(running.get(i)).exitCode());
            assertEquals("n" + i + "\n", outs.get(i).text());
        }
        assertEquals(0, backend.readsIssued());
    }
}
