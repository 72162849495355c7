package dev.toolhost.builtin;

import static dev.toolhost.builtin.TestSupport.text;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.builtin.policy.RoundApprover;
import dev.toolhost.config.ApprovalPolicy;
import dev.toolhost.config.SandboxMode;
import dev.toolhost.exec.local.LocalExecBackend;
import dev.toolhost.mcp.core.McpRequest;
import dev.toolhost.mcp.core.Outcome;
import dev.toolhost.mcp.core.RequestMeta;
import dev.toolhost.mcp.core.RequestSink;
import dev.toolhost.mcp.core.RequestStates;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Approvals asked in input_required rounds ({@link RoundApprover}) through {@link BuiltinTools#call}. */
class BuiltinToolsRoundsTest {
    @TempDir
    Path dir;

    LocalExecBackend backend;
    BuiltinTools tools;

    @BeforeEach
    void setUp() {
        backend = new LocalExecBackend();
        tools = BuiltinTools.create(
                TestSupport.config(dir, SandboxMode.READ_ONLY, ApprovalPolicy.UNTRUSTED),
                backend,
                RequestStates.random(Duration.ofMinutes(5), Clock.systemUTC()));
    }

    @AfterEach
    void tearDown() {
        tools.close();
        backend.close();
    }

    private Outcome<McpSchema.CallToolResult> call(McpRequest request) {
        return tools.call(request, RequestSink.none()).join();
    }

    private static Map<String, Object> answer(String decision) {
        return Map.of(RoundApprover.INPUT_KEY, Map.of("action", "accept", "content", Map.of("decision", decision)));
    }

    @Test
    void aDeclinedRerunInALaterRoundStillReturnsTheSandboxedRun() {
        McpRequest first =
                McpRequest.toolCall("exec_command", Map.of("cmd", "touch s1", "login", false), RequestMeta.local());
        var run = assertInstanceOf(Outcome.InputRequired.class, call(first), "round 1 asks to run it");
        var rerun = assertInstanceOf(
                Outcome.InputRequired.class,
                call(first.retry(answer("approved"), run.requestState())),
                "round 2 runs it in the sandbox, which blocks it, and asks to run it again without");
        Outcome<McpSchema.CallToolResult> last = call(first.retry(answer("denied"), rerun.requestState()));

        assertInstanceOf(Outcome.Complete.class, last, "round 3 has the answer and ends");
        McpSchema.CallToolResult r = ((Outcome.Complete<McpSchema.CallToolResult>) last).result();
        assertTrue(r.isError());
        String text = text(r);
        assertTrue(
                text.startsWith("denied: the sandbox blocked exec_command 'touch s1', and running it again without the"
                        + " sandbox was refused: the user denied it (approval_policy untrusted)\n"),
                text);
        assertTrue(text.toLowerCase().contains("read-only file system"), "the sandboxed run's output: " + text);
        assertFalse(text.contains("was exec_command"), text);
        assertTrue(
                r.structuredContent() instanceof Map<?, ?> s
                        && !Integer.valueOf(0).equals(s.get("exit_code")),
                text);
        assertFalse(Files.exists(dir.resolve("s1")));
    }

    @Test
    void longSandboxedOutputIsKeptCutInTheMiddle() {
        McpRequest first = McpRequest.toolCall(
                "exec_command", Map.of("cmd", "seq 1 20000 && touch s2", "login", false), RequestMeta.local());
        var run = assertInstanceOf(Outcome.InputRequired.class, call(first));
        var rerun = assertInstanceOf(
                Outcome.InputRequired.class, call(first.retry(answer("approved"), run.requestState())));
        assertTrue(
                rerun.requestState().length() < 100_000,
                "the state stays small: " + rerun.requestState().length());
        Outcome<McpSchema.CallToolResult> last = call(first.retry(answer("denied"), rerun.requestState()));
        String text = text(((Outcome.Complete<McpSchema.CallToolResult>) last).result());
        assertTrue(text.contains("\n1\n2\n") && text.contains("characters left out"), text);
        assertTrue(text.toLowerCase().contains("read-only file system"), "the end stays: " + text);
    }
}
