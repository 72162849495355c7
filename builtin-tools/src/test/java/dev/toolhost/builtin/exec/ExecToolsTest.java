package dev.toolhost.builtin.exec;

import static dev.toolhost.builtin.TestSupport.config;
import static dev.toolhost.builtin.TestSupport.run;
import static dev.toolhost.builtin.TestSupport.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.builtin.SessionState;
import dev.toolhost.builtin.TestSupport.ScriptedApprover;
import dev.toolhost.builtin.policy.ApprovalDecision;
import dev.toolhost.builtin.policy.Approver;
import dev.toolhost.builtin.policy.WritableRoots;
import dev.toolhost.config.ApprovalPolicy;
import dev.toolhost.config.SandboxMode;
import dev.toolhost.config.ToolhostConfig;
import dev.toolhost.exec.ChildEnvironment;
import dev.toolhost.exec.local.LocalExecBackend;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** exec_command and write_stdin with real processes through the local exec backend. */
class ExecToolsTest {
    @TempDir
    Path dir;

    LocalExecBackend backend;
    CommandSessions sessions;
    final SessionState session = new SessionState("s1");

    @BeforeEach
    void setUp() {
        backend = new LocalExecBackend();
        sessions = new CommandSessions();
    }

    @AfterEach
    void tearDown() {
        sessions.closeAll();
        backend.close();
    }

    private ExecRunner runner(ToolhostConfig cfg) {
        return new ExecRunner(backend, sessions, ChildEnvironment.build(cfg.shellEnvironmentPolicy()));
    }

    private McpSchema.CallToolResult exec(ToolhostConfig cfg, Approver approver, Map<String, Object> args) {
        return run(new ExecCommandTool(cfg, WritableRoots.from(cfg), runner(cfg)), args, session, approver);
    }

    private McpSchema.CallToolResult exec(Map<String, Object> args) {
        return exec(
                config(dir, SandboxMode.DANGER_FULL_ACCESS, ApprovalPolicy.NEVER),
                new ScriptedApprover(ApprovalDecision.DENIED),
                args);
    }

    private McpSchema.CallToolResult exec(SessionState caller, Map<String, Object> args) {
        ToolhostConfig cfg = config(dir, SandboxMode.DANGER_FULL_ACCESS, ApprovalPolicy.NEVER);
        return run(
                new ExecCommandTool(cfg, WritableRoots.from(cfg), runner(cfg)),
                args,
                caller,
                new ScriptedApprover(ApprovalDecision.DENIED));
    }

    private McpSchema.CallToolResult write(SessionState s, Map<String, Object> args) {
        ToolhostConfig cfg = config(dir, SandboxMode.DANGER_FULL_ACCESS, ApprovalPolicy.NEVER);
        return run(new WriteStdinTool(runner(cfg)), args, s, new ScriptedApprover(ApprovalDecision.DENIED));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> structured(McpSchema.CallToolResult r) {
        return (Map<String, Object>) r.structuredContent();
    }

    @Test
    void aQuickCommandReportsExitCodeWallTimeAndOutput() {
        McpSchema.CallToolResult r = exec(Map.of("cmd", "echo out; echo err >&2; exit 3", "login", false));
        assertFalse(r.isError(), text(r));
        assertTrue(text(r).startsWith("Process exited with code 3\nWall time: "), text(r));
        assertTrue(text(r).contains("out") && text(r).contains("err"), text(r));
        assertEquals(3, structured(r).get("exit_code"));
        assertNull(structured(r).get("session_id"));
        assertEquals(0, sessions.liveCount());
    }

    @Test
    void runsInTheWorkdir() throws Exception {
        Files.createDirectories(dir.resolve("sub"));
        McpSchema.CallToolResult r = exec(Map.of("cmd", "pwd", "workdir", "sub", "login", false));
        assertTrue(text(r).contains(dir.resolve("sub").toRealPath().toString()), text(r));
        McpSchema.CallToolResult bad = exec(Map.of("cmd", "pwd", "workdir", "nope"));
        assertTrue(bad.isError());
        assertTrue(text(bad).contains("nope") && text(bad).contains("not a directory"), text(bad));
    }

    @Test
    void aLongRunningCommandContinuesWithWriteStdin() {
        McpSchema.CallToolResult first = exec(Map.of(
                "cmd", "echo ready; read line; echo got:$line", "login", false, "tty", true, "yield_time_ms", 300));
        assertTrue(text(first).startsWith("Process running with session ID "), text(first));
        assertTrue(text(first).contains("ready"), text(first));
        long id = (Long) structured(first).get("session_id");
        assertTrue(id > 1_000_000, "process session ids are random, not counters: " + id);
        assertEquals(1, sessions.liveCount());

        McpSchema.CallToolResult other =
                write(new SessionState("someone-else"), Map.of("session_id", id, "chars", "x\n"));
        McpSchema.CallToolResult unknown = write(session, Map.of("session_id", id + 1, "chars", "x\n"));
        assertTrue(other.isError(), "another caller cannot reach this process");
        assertEquals(
                text(unknown).replace(String.valueOf(id + 1), "N"),
                text(other).replace(String.valueOf(id), "N"),
                "another caller's id is refused exactly like an unknown one");

        McpSchema.CallToolResult second =
                write(session, Map.of("session_id", id, "chars", "hello\n", "yield_time_ms", 10_000));
        assertFalse(second.isError(), text(second));
        assertTrue(text(second).startsWith("Process exited with code 0"), text(second));
        assertTrue(text(second).contains("got:hello") && !text(second).contains("ready"), text(second));
        assertEquals(0, sessions.liveCount());

        McpSchema.CallToolResult gone = write(session, Map.of("session_id", id));
        assertTrue(gone.isError());
        assertTrue(text(gone).contains("no running session with ID " + id), text(gone));
    }

    @Test
    void withoutTtyStdinIsDevNullSoReadersEndAtOnce() {
        McpSchema.CallToolResult r =
                exec(Map.of("cmd", "readlink /proc/self/fd/0; cat; read x || echo eof", "login", false));
        assertFalse(r.isError(), text(r));
        assertEquals(0, structured(r).get("exit_code"), text(r));
        assertEquals("/dev/null\neof\n", structured(r).get("output"));
        assertEquals(0, sessions.liveCount());
    }

    @Test
    void writeStdinToASessionWithoutTtySaysStdinIsClosedAndStillPolls() {
        McpSchema.CallToolResult first =
                exec(Map.of("cmd", "echo started; sleep 30", "login", false, "yield_time_ms", 300));
        long id = (Long) structured(first).get("session_id");
        McpSchema.CallToolResult typed = write(session, Map.of("session_id", id, "chars", "x\n"));
        assertTrue(typed.isError(), text(typed));
        assertTrue(
                text(typed).contains("stdin is closed for session " + id)
                        && text(typed).contains("exec_command with tty=true"),
                text(typed));
        McpSchema.CallToolResult polled = write(session, Map.of("session_id", id));
        assertFalse(polled.isError(), text(polled));
        assertTrue(text(polled).startsWith("Process running with session ID " + id), text(polled));
    }

    @Test
    void aTtySessionEndsItsInputWithCtrlD() {
        McpSchema.CallToolResult first =
                exec(Map.of("cmd", "cat; echo cat-done", "login", false, "tty", true, "yield_time_ms", 300));
        long id = (Long) structured(first).get("session_id");
        write(session, Map.of("session_id", id, "chars", "hello\n"));
        McpSchema.CallToolResult done =
                write(session, Map.of("session_id", id, "chars", "\u0004", "yield_time_ms", 10_000));
        assertEquals(0, structured(done).get("exit_code"), text(done));
        assertTrue(text(done).contains("cat-done"), text(done));
    }

    @Test
    void ttyRunsInAPseudoTerminal() {
        McpSchema.CallToolResult r = exec(Map.of("cmd", "tty", "login", false, "tty", true));
        assertTrue(text(r).contains("/dev/pts/"), text(r));
        McpSchema.CallToolResult plain = exec(Map.of("cmd", "tty", "login", false));
        assertTrue(text(plain).contains("not a tty"), text(plain));
    }

    @Test
    void bigOutputIsCutInTheMiddle() {
        McpSchema.CallToolResult r = exec(Map.of("cmd", "seq 1 20000", "login", false, "max_output_tokens", 100));
        String t = text(r);
        assertTrue(t.contains("\n1\n2\n3\n"), t);
        assertTrue(t.endsWith("19999\n20000\n"), t);
        assertTrue(t.contains("bytes (~") && t.contains("tokens) of output truncated"), t);
        long removed = ((Number) structured(r).get("truncated_bytes")).longValue();
        assertTrue(removed > 100_000, "seq 1 20000 prints 108894 bytes; kept about 400: " + removed);
    }

    @Test
    void eachCallerHasItsOwnSessionLimitAndAllCallersAHigherOneTogether() {
        sessions = new CommandSessions(3, 5);
        SessionState a = new SessionState("session:a");
        SessionState b = new SessionState("session:b");
        SessionState c = new SessionState("session:c");
        Map<String, Object> sleep = Map.of("cmd", "sleep 60", "login", false, "yield_time_ms", 0);
        for (int i = 0; i < 3; i++) {
            McpSchema.CallToolResult r = exec(a, sleep);
            assertTrue(text(r).startsWith("Process running"), text(r));
        }
        McpSchema.CallToolResult over = exec(a, sleep);
        assertTrue(over.isError());
        assertTrue(
                text(over).startsWith("exec_command: this caller already has 3 sessions running (the limit per caller"),
                text(over));

        for (int i = 0; i < 2; i++) {
            McpSchema.CallToolResult r = exec(b, sleep);
            assertTrue(text(r).startsWith("Process running"), "A's full share never refuses B: " + text(r));
        }
        McpSchema.CallToolResult full = exec(c, sleep);
        assertTrue(full.isError());
        assertTrue(
                text(full)
                        .startsWith("exec_command: Toolhost already holds 5 process sessions for all its callers"
                                + " together (its limit for this machine; 0 of them are this caller's)"),
                text(full));
        assertEquals(5, sessions.liveCount(), "a refused command is not started");

        sessions.closeOwnedBy("session:a");
        assertEquals(2, sessions.liveCount());
        assertTrue(text(exec(c, sleep)).startsWith("Process running"));
        assertTrue(text(exec(a, sleep)).startsWith("Process running"));
    }

    @Test
    void untrustedRunsSafeCommandsAndAsksForOthers() {
        ToolhostConfig cfg = config(dir, SandboxMode.DANGER_FULL_ACCESS, ApprovalPolicy.UNTRUSTED);
        ScriptedApprover deny = new ScriptedApprover(ApprovalDecision.DENIED);
        assertFalse(exec(cfg, deny, Map.of("cmd", "ls | wc -l", "login", false)).isError());
        assertTrue(deny.asked.isEmpty());

        McpSchema.CallToolResult denied = exec(cfg, deny, Map.of("cmd", "touch made", "login", false));
        assertTrue(denied.isError());
        assertTrue(
                text(denied).startsWith("denied: exec_command 'touch made' was not run")
                        && text(denied).contains("untrusted"),
                text(denied));
        assertEquals(1, deny.asked.size());
        assertTrue(deny.asked.get(0).message().contains("touch made"));
        assertFalse(Files.exists(dir.resolve("made")), "a denied command never runs");

        ScriptedApprover forSession = new ScriptedApprover(ApprovalDecision.APPROVED_FOR_SESSION);
        assertFalse(exec(cfg, forSession, Map.of("cmd", "touch made", "login", false))
                .isError());
        assertTrue(Files.exists(dir.resolve("made")));
        assertFalse(exec(cfg, forSession, Map.of("cmd", "touch made", "login", false))
                .isError());
        assertEquals(1, forSession.asked.size(), "approved_for_session covers the same exact command");
        exec(cfg, forSession, Map.of("cmd", "touch other", "login", false));
        assertEquals(2, forSession.asked.size(), "but not a different one");

        McpSchema.CallToolResult aborted =
                exec(cfg, new ScriptedApprover(ApprovalDecision.ABORT), Map.of("cmd", "touch third", "login", false));
        assertTrue(aborted.isError() && text(aborted).startsWith("aborted:"), text(aborted));
    }

    @Test
    void untrustedAsksForOptionsAndRedirectionsThatWriteOrExecute() throws Exception {
        ToolhostConfig cfg = config(dir, SandboxMode.DANGER_FULL_ACCESS, ApprovalPolicy.UNTRUSTED);
        Files.writeString(dir.resolve("a.txt"), "hello\n");
        String[] lines = {
            "git grep -O'touch gitgrep-ran' hello",
            "git grep --open='touch open-ran' hello",
            "sort --compress-program=./comp.sh a.txt",
            "sort --out=sort-out.txt a.txt",
            "echo pwned >&1evil.txt",
        };
        for (String line : lines) {
            ScriptedApprover deny = new ScriptedApprover(ApprovalDecision.DENIED);
            McpSchema.CallToolResult r = exec(cfg, deny, Map.of("cmd", line, "login", false));
            assertTrue(r.isError() && text(r).startsWith("denied: exec_command"), line + ": " + text(r));
            assertEquals(1, deny.asked.size(), line);
        }
        assertFalse(Files.exists(dir.resolve("1evil.txt")));
        assertFalse(Files.exists(dir.resolve("sort-out.txt")));
    }

    @Test
    void untrustedAsksWhenTheShellIsNotBashZshOrShFromThePath() throws Exception {
        Path anything = dir.resolve("anything");
        Files.writeString(anything, "#!/bin/sh\necho ran > ran-by-shell\n");
        anything.toFile().setExecutable(true);
        ToolhostConfig cfg = config(dir, SandboxMode.DANGER_FULL_ACCESS, ApprovalPolicy.UNTRUSTED);
        ScriptedApprover deny = new ScriptedApprover(ApprovalDecision.DENIED);
        for (String shell : new String[] {"./anything", anything.toString()}) {
            McpSchema.CallToolResult r = exec(cfg, deny, Map.of("cmd", "ls", "shell", shell, "login", false));
            assertTrue(r.isError() && text(r).startsWith("denied: exec_command 'ls (run by shell " + shell), text(r));
        }
        assertEquals(2, deny.asked.size());
        assertTrue(
                deny.asked.get(0).message().contains("shell ./anything"),
                deny.asked.get(0).message());
        assertFalse(Files.exists(dir.resolve("ran-by-shell")), "the shell the model chose never ran");

        assertFalse(exec(cfg, deny, Map.of("cmd", "ls", "shell", "sh", "login", false))
                .isError());
        assertEquals(2, deny.asked.size(), "sh from the PATH runs a known-safe command without asking");

        ScriptedApprover forSession = new ScriptedApprover(ApprovalDecision.APPROVED_FOR_SESSION);
        assertFalse(
                exec(cfg, forSession, Map.of("cmd", "touch t", "login", false)).isError());
        exec(cfg, forSession, Map.of("cmd", "touch t", "shell", "./anything", "login", false));
        assertEquals(2, forSession.asked.size(), "approving a command does not approve it under another shell");
        assertTrue(Files.exists(dir.resolve("ran-by-shell")), "approved: the shell runs");
    }

    private static String heredoc(String body) {
        return "apply_patch <<'EOF'\n*** Begin Patch\n" + body + "*** End Patch\nEOF\n";
    }

    @Test
    void applyPatchThroughTheShellIsTheApplyPatchTool() throws Exception {
        ToolhostConfig cfg = config(dir, SandboxMode.WORKSPACE_WRITE, ApprovalPolicy.NEVER);
        ScriptedApprover none = new ScriptedApprover(ApprovalDecision.DENIED);
        McpSchema.CallToolResult r = exec(cfg, none, Map.of("cmd", heredoc("*** Add File: viashell.txt\n+hi\n")));
        assertFalse(r.isError(), text(r));
        assertEquals("Success. Updated the following files:\nA viashell.txt", text(r), "the apply_patch tool's text");
        assertEquals(0, structured(r).get("exit_code"));
        assertEquals(text(r), structured(r).get("output"));
        assertEquals("hi\n", Files.readString(dir.resolve("viashell.txt")));

        Files.createDirectories(dir.resolve("sub/deeper"));
        McpSchema.CallToolResult cd = exec(
                cfg,
                none,
                Map.of(
                        "cmd",
                        "cd deeper && " + heredoc("*** Add File: x.txt\n+x\n").replace("apply_patch", "applypatch"),
                        "workdir",
                        "sub"));
        assertFalse(cd.isError(), text(cd));
        assertTrue(Files.exists(dir.resolve("sub/deeper/x.txt")), "paths are relative to workdir and the cd");

        McpSchema.CallToolResult outside =
                exec(cfg, none, Map.of("cmd", heredoc("*** Add File: ../escaped.txt\n+x\n")));
        assertTrue(outside.isError() && text(outside).startsWith("denied: apply_patch writes outside"), text(outside));
        assertFalse(Files.exists(dir.resolveSibling("escaped.txt")), "the roots of apply_patch apply");
        assertTrue(none.asked.isEmpty());

        McpSchema.CallToolResult tabbed = exec(
                cfg,
                none,
                Map.of(
                        "cmd",
                        "apply_patch <<-EOF\n\t*** Begin Patch\n\t*** Add File: tabbed.txt\n\t+x\n\t*** End Patch\n\tEOF"));
        assertFalse(tabbed.isError(), text(tabbed));
        assertEquals("x\n", Files.readString(dir.resolve("tabbed.txt")), "<<- strips the body's leading tabs");

        McpSchema.CallToolResult tilde = exec(
                cfg,
                none,
                Map.of("cmd", "cd ~ && " + heredoc("*** Add File: tilde-not-home.txt\n+x\n"), "login", false));
        assertTrue(structured(tilde).get("exit_code") instanceof Integer code && code != 0, text(tilde));
        assertFalse(Files.exists(dir.resolve("~")), "cd ~ is not the directory ./~: it runs as a shell command");

        McpSchema.CallToolResult bad = exec(cfg, none, Map.of("cmd", "apply_patch <<'EOF'\n*** Begin Patch\nEOF"));
        assertTrue(bad.isError() && text(bad).startsWith("invalid patch"), text(bad));
    }

    @Test
    void applyPatchThroughTheShellAsksAsTheToolDoesUnderUntrusted() {
        ToolhostConfig cfg = config(dir, SandboxMode.DANGER_FULL_ACCESS, ApprovalPolicy.UNTRUSTED);
        ScriptedApprover deny = new ScriptedApprover(ApprovalDecision.DENIED);
        McpSchema.CallToolResult r = exec(cfg, deny, Map.of("cmd", heredoc("*** Add File: asked.txt\n+x\n")));
        assertTrue(r.isError() && text(r).startsWith("denied: apply_patch"), text(r));
        assertEquals(1, deny.asked.size());
        assertTrue(
                deny.asked.get(0).message().startsWith("Apply this patch?"),
                deny.asked.get(0).message());
        assertTrue(
                deny.asked.get(0).subject().startsWith("patch:*** Begin Patch"),
                deny.asked.get(0).subject());
        assertFalse(Files.exists(dir.resolve("asked.txt")));
    }

    @Test
    void untrustedAlsoOffersARerunWithoutTheSandbox() {
        ToolhostConfig cfg = config(dir, SandboxMode.READ_ONLY, ApprovalPolicy.UNTRUSTED);
        ScriptedApprover approver = new ScriptedApprover(ApprovalDecision.APPROVED_FOR_SESSION);
        McpSchema.CallToolResult r = exec(cfg, approver, Map.of("cmd", "touch blocked", "login", false));
        assertFalse(r.isError(), text(r));
        assertEquals(2, approver.asked.size(), "once to run it, once to rerun it outside the sandbox");
        assertTrue(Files.exists(dir.resolve("blocked")));
        exec(cfg, approver, Map.of("cmd", "touch blocked", "login", false));
        assertEquals(2, approver.asked.size(), "both answers were for the session");
    }

    @Test
    void untrustedDeclinedRerunSaysSoInOneSentenceAndShowsTheSandboxedRun() {
        ToolhostConfig cfg = config(dir, SandboxMode.READ_ONLY, ApprovalPolicy.UNTRUSTED);
        Approver runButStayInside =
                request -> request.subject().startsWith("run:") ? ApprovalDecision.APPROVED : ApprovalDecision.DENIED;
        McpSchema.CallToolResult r = exec(cfg, runButStayInside, Map.of("cmd", "touch s1", "login", false));
        assertTrue(r.isError());
        assertTrue(
                text(r).startsWith("denied: the sandbox blocked exec_command 'touch s1', and running it again without"
                        + " the sandbox was refused: the user denied it (approval_policy untrusted)\n"),
                text(r));
        assertTrue(text(r).toLowerCase().contains("read-only file system"), text(r));
        assertTrue(structured(r).get("exit_code") instanceof Integer code && code != 0, text(r));
        assertFalse(Files.exists(dir.resolve("s1")));

        McpSchema.CallToolResult odd =
                exec(cfg, runButStayInside, Map.of("cmd", "touch 'was not run'", "login", false));
        assertTrue(
                text(odd)
                        .startsWith(
                                "denied: the sandbox blocked exec_command 'touch 'was not run'', and running it"
                                        + " again without the sandbox was refused: the user denied it (approval_policy untrusted)\n"),
                text(odd));
    }

    @Test
    void onRequestAsksOnlyForEscalation() {
        ToolhostConfig cfg = config(dir, SandboxMode.READ_ONLY, ApprovalPolicy.ON_REQUEST);
        ScriptedApprover approver = new ScriptedApprover(ApprovalDecision.APPROVED);
        assertFalse(exec(cfg, approver, Map.of("cmd", "true", "login", false)).isError());
        assertTrue(approver.asked.isEmpty());
        McpSchema.CallToolResult r = exec(
                cfg,
                approver,
                Map.of(
                        "cmd",
                        "touch escalated",
                        "login",
                        false,
                        "sandbox_permissions",
                        "require_escalated",
                        "justification",
                        "need to create a file"));
        assertFalse(r.isError(), text(r));
        assertEquals(1, approver.asked.size());
        assertTrue(approver.asked.get(0).message().contains("need to create a file"));
        assertTrue(Files.exists(dir.resolve("escalated")), "an approved escalation runs outside the sandbox");
    }

    @Test
    void neverRefusesEscalationWithoutAsking() {
        ToolhostConfig cfg = config(dir, SandboxMode.READ_ONLY, ApprovalPolicy.NEVER);
        ScriptedApprover approver = new ScriptedApprover(ApprovalDecision.APPROVED);
        McpSchema.CallToolResult r =
                exec(cfg, approver, Map.of("cmd", "touch x", "sandbox_permissions", "require_escalated"));
        assertTrue(r.isError());
        assertTrue(text(r).startsWith("denied:") && text(r).contains("never"), text(r));
        assertTrue(approver.asked.isEmpty());
    }

    @Test
    void onFailureAsksOnceAfterASandboxDenialAndReruns() {
        ToolhostConfig cfg = config(dir, SandboxMode.READ_ONLY, ApprovalPolicy.ON_FAILURE);
        ScriptedApprover approver = new ScriptedApprover(ApprovalDecision.APPROVED);
        McpSchema.CallToolResult r = exec(cfg, approver, Map.of("cmd", "touch inside && echo made", "login", false));
        assertFalse(r.isError(), text(r));
        assertEquals(1, approver.asked.size());
        assertTrue(approver.asked.get(0).message().contains("The sandbox blocked this command: touch inside"));
        assertTrue(text(r).contains("Ran again without the sandbox") && text(r).contains("made"), text(r));
        assertTrue(Files.exists(dir.resolve("inside")));
    }

    @Test
    void onFailureDenialReturnsTheSandboxedFailure() {
        ToolhostConfig cfg = config(dir, SandboxMode.READ_ONLY, ApprovalPolicy.ON_FAILURE);
        McpSchema.CallToolResult r =
                exec(cfg, new ScriptedApprover(ApprovalDecision.DENIED), Map.of("cmd", "touch inside", "login", false));
        assertTrue(r.isError());
        assertTrue(text(r).contains("denied") && text(r).contains("on-failure"), text(r));
        assertTrue(text(r).toLowerCase().contains("read-only file system"), text(r));
        assertFalse(Files.exists(dir.resolve("inside")));
    }
}
