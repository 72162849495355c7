package dev.toolhost.exec.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.toolhost.exec.ExecException;
import dev.toolhost.exec.ExecRequest;
import dev.toolhost.exec.ExitStatus;
import dev.toolhost.exec.SandboxPolicy;
import dev.toolhost.exec.local.LocalExecBackend;
import dev.toolhost.exec.local.ProcessIo;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real bubblewrap sandboxes (bwrap must be installed, as in CI). */
class BwrapSandboxTest {
    private final LocalExecBackend backend = new LocalExecBackend();
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();

    @TempDir
    Path work;

    @AfterEach
    void close() {
        backend.close();
    }

    private ExitStatus run(SandboxPolicy sandbox, String script) throws Exception {
        var req = new ExecRequest(List.of("sh", "-c", script), work, System.getenv(), false, false, sandbox);
        return backend.start(req, c -> {
                    synchronized (output) {
                        output.writeBytes(c.data());
                    }
                })
                .completion()
                .get(20, TimeUnit.SECONDS);
    }

    @Test
    void readOnlyDeniesWritesOutsideAndReportsDenial() throws Exception {
        ExitStatus s = run(SandboxPolicy.readOnly(), "touch /etc/toolhost-x");
        assertTrue(s.exitCode() != 0);
        assertTrue(s.sandboxDenied(), output.toString(StandardCharsets.UTF_8));
        assertFalse(Files.exists(Path.of("/etc/toolhost-x")));
    }

    @Test
    void plainFailureIsNotADenial() throws Exception {
        assertEquals(new ExitStatus(1, false, 0, null), run(SandboxPolicy.readOnly(), "false"));
        assertEquals(new ExitStatus(0, false, 0, null), run(SandboxPolicy.readOnly(), "echo fine"));
    }

    @Test
    void unsandboxedFailureWithDenialTextIsNeverADenial() throws Exception {
        assertFalse(run(null, "echo 'Permission denied' >&2; exit 1").sandboxDenied());
    }

    @Test
    void workspaceWriteAllowsRootsButNotOutsideOrGit() throws Exception {
        Path root = Files.createDirectory(work.resolve("ws"));
        Files.createDirectory(root.resolve(".git"));
        Path outside = Files.createDirectories(Path.of("/var/tmp")
                .resolve("toolhost-outside-" + ProcessHandle.current().pid()));
        try {
            SandboxPolicy policy = new SandboxPolicy(SandboxPolicy.Type.WORKSPACE_WRITE, List.of(root), false, true);
            assertEquals(
                    0, run(policy, "echo data > " + root.resolve("inside.txt")).exitCode());
            assertEquals("data\n", Files.readString(root.resolve("inside.txt")));
            ExitStatus denied = run(policy, "echo data > " + outside.resolve("x.txt"));
            assertTrue(denied.sandboxDenied());
            assertFalse(Files.exists(outside.resolve("x.txt")));
            assertTrue(run(policy, "touch " + root.resolve(".git/config")).sandboxDenied());
        } finally {
            Files.deleteIfExists(outside);
        }
    }

    /** As root (containers, CI) bwrap would keep every capability: {@code mount -o remount,rw /} must still fail. */
    @Test
    void rootCannotRemountItsWayOut() throws Exception {
        assumeTrue((int) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0, "needs root, as CI runs");
        Path root = Files.createDirectory(work.resolve("ws"));
        Path outside = Files.createDirectories(Path.of("/var/tmp")
                .resolve("toolhost-remount-" + ProcessHandle.current().pid()));
        try {
            for (SandboxPolicy policy : List.of(
                    SandboxPolicy.readOnly(),
                    new SandboxPolicy(SandboxPolicy.Type.WORKSPACE_WRITE, List.of(root), false, true))) {
                Path escape = outside.resolve("escape-" + policy.type().wireName() + ".txt");
                ExitStatus s = run(
                        policy,
                        "grep CapEff /proc/self/status; mount -o remount,rw / && echo ESCAPED > " + escape
                                + "; mount -t tmpfs none " + outside + " && echo MOUNTED; touch " + escape);
                String out = output.toString(StandardCharsets.UTF_8);
                assertTrue(out.contains("CapEff:\t0000000000000000"), out);
                assertFalse(out.contains("MOUNTED"), out);
                assertTrue(s.sandboxDenied(), out);
                assertFalse(Files.exists(escape), out);
                output.reset();
            }
            assertEquals(0, run(SandboxPolicy.readOnly(), "echo still works").exitCode());
            assertEquals("still works\n", output.toString(StandardCharsets.UTF_8));
        } finally {
            try (var files = Files.list(outside)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(outside);
        }
    }

    @Test
    void rootCannotSetSysctls() throws Exception {
        assumeTrue((int) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0, "needs root, as CI runs");
        // Writes the value back that is already there: harmless even where the sandbox would let it through.
        String script = "v=$(cat /proc/sys/kernel/domainname); printf %s \"$v\" > /proc/sys/kernel/domainname"
                + " && echo SET; cat /proc/sys/kernel/domainname >/dev/null && echo READABLE";
        for (SandboxPolicy policy : List.of(
                SandboxPolicy.readOnly(),
                new SandboxPolicy(SandboxPolicy.Type.WORKSPACE_WRITE, List.of(work), false, true))) {
            ExitStatus s = run(policy, script);
            String out = output.toString(StandardCharsets.UTF_8);
            assertFalse(out.contains("SET"), out);
            assertTrue(out.contains("Read-only file system") && out.contains("READABLE"), out);
            assertEquals(0, s.exitCode(), out);
            output.reset();
        }
    }

    @Test
    void networkIsCutUnlessAllowed() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                while (!listener.isClosed()) {
                    try {
                        listener.accept().close();
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            // bash's /dev/tcp connects without needing curl or nc.
            String connect = "exec bash -c 'exec 3<>/dev/tcp/127.0.0.1/" + listener.getLocalPort() + "'";
            Path root = Files.createDirectory(work.resolve("net"));
            assertTrue(run(SandboxPolicy.workspaceWrite(List.of(root), false), connect)
                            .exitCode()
                    != 0);
            assertEquals(
                    0,
                    run(SandboxPolicy.workspaceWrite(List.of(root), true), connect)
                            .exitCode());
        }
    }

    @Test
    void missingBwrapIsAnErrorNeverAnUnsandboxedRun() {
        var sandbox = new BwrapSandbox(Optional.empty());
        ExecException e = assertThrows(
                ExecException.class,
                () -> sandbox.wrap(SandboxPolicy.readOnly(), List.of("true"), work, Map.of(), false));
        assertTrue(e.getMessage().contains("bubblewrap (bwrap) is not installed"), e.getMessage());
        var noBwrap = new LocalExecBackend(new ProcessIo(sandbox));
        assertThrows(
                ExecException.class,
                () -> noBwrap.start(
                        new ExecRequest(List.of("true"), work, Map.of(), false, false, SandboxPolicy.readOnly()),
                        c -> {}));
    }

    @Test
    void denialRules() {
        assertFalse(SandboxDenial.denied(0, true));
        assertTrue(SandboxDenial.denied(159, false));
        assertFalse(SandboxDenial.denied(126, false));
        SandboxDenial d = new SandboxDenial();
        byte[] a = "... Read-only fi".getBytes(StandardCharsets.UTF_8);
        byte[] b = "le system\n".getBytes(StandardCharsets.UTF_8);
        d.accept(a, 0, a.length);
        d.accept(b, 0, b.length);
        assertTrue(d.denied(1));
    }
}
