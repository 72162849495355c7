package dev.toolhost.exec.local;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.exec.ExecException;
import dev.toolhost.exec.ExecProcess;
import dev.toolhost.exec.ExecRequest;
import dev.toolhost.exec.ExitStatus;
import dev.toolhost.exec.OutputChunk;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LocalExecBackendTest {
    private final LocalExecBackend backend = new LocalExecBackend();
    private final List<OutputChunk> chunks = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        backend.close();
    }

    static ExecRequest request(boolean tty, boolean pipeStdin, String... argv) {
        return new ExecRequest(List.of(argv), Path.of("/tmp"), System.getenv(), tty, pipeStdin, null);
    }

    private String text(String stream) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        chunks.stream().filter(c -> stream == null || c.stream().equals(stream)).forEach(c -> out.writeBytes(c.data()));
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void runsAProcessAndReportsStreamsAndExitCode() throws Exception {
        ExecProcess p = backend.start(request(false, false, "sh", "-c", "echo hi; echo err >&2; exit 3"), chunks::add);
        ExitStatus status = p.completion().get(10, TimeUnit.SECONDS);
        assertEquals(new ExitStatus(3, false, 0, null), status);
        assertEquals("hi\n", text("stdout"));
        assertEquals("err\n", text("stderr"));
    }

    @Test
    void pipedStdinReachesTheProcess() throws Exception {
        ExecProcess p = backend.start(request(false, true, "sh", "-c", "read line; echo got:$line"), chunks::add);
        p.write("abc\n".getBytes(StandardCharsets.UTF_8)).get(5, TimeUnit.SECONDS);
        assertEquals(0, p.completion().get(10, TimeUnit.SECONDS).exitCode());
        assertEquals("got:abc\n", text("stdout"));
    }

    @Test
    void withoutPipeStdinStdinIsDevNullAndWritesFail() throws Exception {
        ExecProcess p = backend.start(request(false, false, "sh", "-c", "readlink /proc/self/fd/0; cat"), chunks::add);
        assertEquals(0, p.completion().get(10, TimeUnit.SECONDS).exitCode());
        assertEquals("/dev/null\n", text("stdout"), "as Codex: a non-PTY command without a pipe reads /dev/null");
        assertTrue(p.write("x".getBytes(StandardCharsets.UTF_8)).isCompletedExceptionally());
    }

    @Test
    void ptyRoundTrip() throws Exception {
        ExecProcess p = backend.start(request(true, false, "sh"), chunks::add);
        p.write("echo hi-$((40+2))\n".getBytes(StandardCharsets.UTF_8));
        await().atMost(Duration.ofSeconds(10)).until(() -> text("pty").contains("hi-42"));
        p.write("exit 5\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(5, p.completion().get(10, TimeUnit.SECONDS).exitCode());
        assertTrue(chunks.stream().allMatch(c -> c.stream().equals("pty")));
    }

    @Test
    void terminateKillsWithExitCode137() throws Exception {
        ExecProcess p = backend.start(request(false, false, "sleep", "60"), chunks::add);
        p.terminate();
        assertEquals(137, p.completion().get(10, TimeUnit.SECONDS).exitCode());
    }

    @Test
    void terminateKillsAPtyProcess() throws Exception {
        ExecProcess p = backend.start(request(true, false, "sleep", "60"), chunks::add);
        p.terminate();
        assertEquals(137, p.completion().get(10, TimeUnit.SECONDS).exitCode());
    }

    @Test
    void badCwdAndMissingProgramAreClearErrors() {
        ExecException e = assertThrows(
                ExecException.class,
                () -> backend.start(
                        new ExecRequest(List.of("true"), Path.of("/nonexistent-dir"), Map.of(), false, false, null),
                        chunks::add));
        assertEquals("cwd '/nonexistent-dir' is not a directory", e.getMessage());
        ExecException e2 = assertThrows(
                ExecException.class, () -> backend.start(request(false, false, "no-such-program-xyz"), chunks::add));
        assertTrue(
                e2.getMessage().startsWith("failed to start 'no-such-program-xyz': not found on the PATH"),
                e2.getMessage());
    }

    @Test
    void backgroundChildHoldingTheOutputDoesNotHangCompletion() throws Exception {
        ExecProcess p = backend.start(request(false, false, "sh", "-c", "echo start; sleep 30 &"), chunks::add);
        ExitStatus s = p.completion().get(10, TimeUnit.SECONDS);
        assertEquals(0, s.exitCode());
        assertFalse(s.sandboxDenied());
        assertEquals("start\n", text("stdout"));
    }
}
