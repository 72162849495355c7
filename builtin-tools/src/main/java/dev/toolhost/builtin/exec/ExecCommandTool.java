package dev.toolhost.builtin.exec;

import static dev.toolhost.builtin.Schemas.prop;
import static dev.toolhost.builtin.Schemas.props;

import dev.toolhost.builtin.Args;
import dev.toolhost.builtin.BuiltinTool;
import dev.toolhost.builtin.Schemas;
import dev.toolhost.builtin.ToolCall;
import dev.toolhost.builtin.ToolError;
import dev.toolhost.builtin.ToolResults;
import dev.toolhost.builtin.patch.ApplyPatchInvocation;
import dev.toolhost.builtin.patch.ApplyPatchTool;
import dev.toolhost.builtin.policy.ApprovalRequest;
import dev.toolhost.builtin.policy.Approvals;
import dev.toolhost.builtin.policy.ExecApprovalPlan;
import dev.toolhost.builtin.policy.SafeCommands;
import dev.toolhost.builtin.policy.WritableRoots;
import dev.toolhost.config.ApprovalPolicy;
import dev.toolhost.config.ToolhostConfig;
import dev.toolhost.exec.SandboxPolicy;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code exec_command}: runs a command line through a shell under the configured sandbox, asking for
 * approval as {@code approval_policy} requires, and returns when it exits or after {@code yield_time_ms}
 * (then it keeps running as a session for write_stdin).
 */
public final class ExecCommandTool implements BuiltinTool {
    static final int DEFAULT_MAX_OUTPUT_TOKENS = 10_000;
    /** The longest {@code yield_time_ms}: a call returns after at most this long. */
    public static final long MAX_YIELD_MS = 300_000;
    /** The most output a call may ask to see, in tokens: the session's whole buffer. */
    static final long MAX_OUTPUT_TOKENS = CommandSession.BUFFER_CAPACITY / 4;
    /** The key under which a call keeps its blocked sandboxed run for the round that answers the rerun question. */
    private static final String SANDBOXED_RUN = "sandboxed-run:";
    /** The most of the sandboxed run's text (and structured output) kept for that round. */
    private static final int MAX_KEPT_CHARS = 16 * 1024;

    private final ToolhostConfig config;
    private final WritableRoots roots;
    private final ExecRunner runner;
    private final ApplyPatchTool applyPatch;

    public ExecCommandTool(ToolhostConfig config, WritableRoots roots, ExecRunner runner) {
        this.config = config;
        this.roots = roots;
        this.runner = runner;
        this.applyPatch = new ApplyPatchTool(config, roots);
    }

    @Override
    public McpSchema.Tool tool() {
        return McpSchema.Tool.builder()
                .name("exec_command")
                .description("Runs a shell command and returns its output. Returns when the command exits or after"
                        + " yield_time_ms; a command still running then keeps running as a session that write_stdin"
                        + " continues (\"Process running with session ID N\"). Without tty the command's stdin is"
                        + " /dev/null: it reads end-of-input at once (cat or read do not wait) and write_stdin can only"
                        + " poll it. With tty=true it runs in a pseudo-terminal that write_stdin types into.")
                .inputSchema(Schemas.input(
                        props(
                                "cmd", prop("string", "the command line to run"),
                                "workdir",
                                        prop("string", "working directory (default: the session's working directory)"),
                                "shell", prop("string", "shell to run it with (default bash, else sh)"),
                                "login", prop("boolean", "run as a login shell (-lc); default true"),
                                "tty",
                                        prop(
                                                "boolean",
                                                "run in a pseudo-terminal whose input write_stdin can type;"
                                                        + " default false (stdin is /dev/null)"),
                                "yield_time_ms",
                                        Schemas.integer(
                                                "how long to wait before returning; default 10000", 0, MAX_YIELD_MS),
                                "max_output_tokens",
                                        Schemas.integer(
                                                "output budget (1 token = 4 bytes); default 10000",
                                                1,
                                                MAX_OUTPUT_TOKENS),
                                "sandbox_permissions",
                                        Map.of(
                                                "type",
                                                "string",
                                                "enum",
                                                List.of("use_default", "require_escalated"),
                                                "description",
                                                "require_escalated asks to run outside the sandbox (on-request)"),
                                "justification", prop("string", "why escalation is needed, shown when asking")),
                        List.of("cmd")))
                .outputSchema(ExecRunner.outputSchema())
                .annotations(new McpSchema.ToolAnnotations("Run a command", false, true, false, true, null))
                .build();
    }

    @Override
    public McpSchema.CallToolResult call(ToolCall call) throws ToolError {
        Args args = call.args();
        String cmd = args.string("cmd");
        if (cmd.isBlank()) {
            throw new ToolError("exec_command: argument 'cmd' is empty");
        }
        Path cwd = workdir(args.optString("workdir", null));
        String shell = args.optString("shell", null);
        boolean standardShell = ShellCommand.isStandardShell(shell, runner.path());
        ApplyPatchInvocation.ShellForm patch = standardShell ? ApplyPatchInvocation.fromShellScript(cmd) : null;
        if (patch != null) {
            return applyPatch(call, patch, cwd);
        }
        List<String> argv = ShellCommand.argv(cmd, shell, args.optBool("login", true));
        boolean tty = args.optBool("tty", false);
        long yieldMs = args.optLong("yield_time_ms", 10_000, 0, MAX_YIELD_MS);
        long maxBytes = args.optLong("max_output_tokens", DEFAULT_MAX_OUTPUT_TOKENS, 1, MAX_OUTPUT_TOKENS)
                * Truncation.BYTES_PER_TOKEN;
        String permissions = args.optString("sandbox_permissions", "use_default");
        if (!permissions.equals("use_default") && !permissions.equals("require_escalated")) {
            throw new ToolError(
                    "exec_command: argument 'sandbox_permissions' must be use_default or require_escalated, got '"
                            + permissions + "'");
        }
        String justification = args.optString("justification", null);

        ApprovalPolicy policy = config.approvalPolicy();
        // Another shell is another program: it is part of what is approved, and the command line alone is not safe.
        String approved = standardShell ? cmd : cmd + " (run by shell " + shell + ")";
        String unsandboxedKey = ExecApprovalPlan.Subject.UNSANDBOXED.key(approved);
        ExecApprovalPlan plan = ExecApprovalPlan.decide(
                policy,
                roots.sandboxPolicy() != null,
                permissions.equals("require_escalated"),
                standardShell && SafeCommands.isKnownSafe(cmd),
                call.session().isApprovedForSession(unsandboxedKey),
                call.approver().answered(unsandboxedKey));
        if (plan.refused()) {
            throw new ToolError("denied: exec_command '" + approved + "' asked to run outside the sandbox, which"
                    + " approval_policy never does not allow; it was not run. Run it inside the sandbox"
                    + " (omit sandbox_permissions) or change -s / -a");
        }
        switch (plan.ask()) {
            case RUN ->
                ask(
                        call,
                        policy,
                        ExecApprovalPlan.Subject.RUN.key(approved),
                        "Run this command? " + approved + " (in " + cwd + ", " + roots.describe() + ")");
            case ESCALATION ->
                ask(call, policy, unsandboxedKey, "Run outside the sandbox: " + approved + reason(justification));
            case NONE -> {}
        }
        SandboxPolicy sandbox = plan.keepSandbox() ? roots.sandboxPolicy() : null;

        if (plan.retry() == ExecApprovalPlan.Retry.NOW) {
            // The retry that answers "run it again without the sandbox?": the sandboxed run already failed in
            // an earlier round, so it is not run a second time.
            try {
                ask(call, policy, unsandboxedKey, "Run again without the sandbox: " + approved);
            } catch (ToolError denied) {
                return rerunRefused(
                        approved, denied, sandboxedRun(call.approver().kept(SANDBOXED_RUN + unsandboxedKey)));
            }
            ExecRunner.Started rerun = runner.start(call.session().id(), cmd, argv, cwd, tty, null, yieldMs);
            return runner.result(
                    rerun.session(),
                    rerun.exit(),
                    maxBytes,
                    "Ran again without the sandbox after approval (the sandboxed run was blocked).");
        }
        ExecRunner.Started started = runner.start(call.session().id(), cmd, argv, cwd, tty, sandbox, yieldMs);
        if (plan.retry() == ExecApprovalPlan.Retry.ON_SANDBOX_DENIAL
                && started.exit() != null
                && started.exit().sandboxDenied()) {
            McpSchema.CallToolResult failed = runner.result(started.session(), started.exit(), maxBytes, null);
            // Asking may end this round; the retry that carries the answer does not run it sandboxed again.
            call.approver().keep(SANDBOXED_RUN + unsandboxedKey, keepable(failed));
            try {
                ask(
                        call,
                        policy,
                        unsandboxedKey,
                        "The sandbox blocked this command: " + approved + " (" + roots.describe()
                                + "). Run it again without the sandbox?");
            } catch (ToolError denied) {
                return rerunRefused(approved, denied, failed);
            }
            ExecRunner.Started rerun = runner.start(call.session().id(), cmd, argv, cwd, tty, null, yieldMs);
            return runner.result(
                    rerun.session(),
                    rerun.exit(),
                    maxBytes,
                    "Ran again without the sandbox after approval (the sandboxed run was blocked).");
        }
        return runner.result(started.session(), started.exit(), maxBytes, null);
    }

    /**
     * {@code apply_patch <<'EOF' ...} run as a command is the apply_patch tool, as in Codex: its approvals, its
     * roots and its text; the structured content is exec_command's (exit code 0, the text as output).
     */
    private McpSchema.CallToolResult applyPatch(ToolCall call, ApplyPatchInvocation.ShellForm patch, Path cwd)
            throws ToolError {
        long start = System.nanoTime();
        Path dir = patch.cd() == null ? cwd : cwd.resolve(patch.cd()).normalize();
        String text = ApplyPatchTool.successText(applyPatch.apply(call, patch.patch(), dir));
        Map<String, Object> structured = new LinkedHashMap<>();
        structured.put("exit_code", 0);
        structured.put("wall_time_seconds", (System.nanoTime() - start) / 1e9);
        structured.put("output", text);
        return ToolResults.structured(text, structured);
    }

    private static String reason(String justification) {
        return justification == null || justification.isBlank() ? "" : " (reason: " + justification + ")";
    }

    private void ask(ToolCall call, ApprovalPolicy policy, String subject, String message) throws ToolError {
        String cmd = subject.substring(subject.indexOf(':') + 1);
        Approvals.require(
                call.session(),
                call.approver(),
                policy,
                new ApprovalRequest(message, subject),
                "exec_command '" + cmd + "'");
    }

    /**
     * The sandboxed run's failure, led by why it was not run again without the sandbox: {@code denied: the sandbox
     * blocked exec_command 'X', and running it again without the sandbox was refused: the user denied it
     * (approval_policy P)}, then the run's own text; its structured content stays.
     */
    private static McpSchema.CallToolResult rerunRefused(
            String approved, ToolError denial, McpSchema.CallToolResult sandboxed) {
        String m = denial.getMessage();
        String kind = m.startsWith("aborted: ") ? "aborted: " : "denied: ";
        // Approvals' denial reads "<kind>exec_command '<approved>' was not run<why>"; the command may contain anything.
        String notRun = kind + "exec_command '" + approved + "' was not run";
        String why = m.startsWith(notRun) ? m.substring(notRun.length()) : ": " + m;
        String head = kind + "the sandbox blocked exec_command '" + approved
                + "', and running it again without the sandbox was refused" + why;
        McpSchema.CallToolResult.Builder b = McpSchema.CallToolResult.builder().isError(true);
        if (sandboxed == null) {
            return b.addTextContent(head + "\n(the sandboxed run's output is no longer available)")
                    .build();
        }
        b.addTextContent(
                head + "\n" + ((McpSchema.TextContent) sandboxed.content().get(0)).text());
        if (sandboxed.structuredContent() != null) {
            b.structuredContent(sandboxed.structuredContent());
        }
        return b.build();
    }

    /**
     * A result as JSON values, to keep across rounds. The kept state travels to the client and back, so long
     * output is cut in the middle to {@link #MAX_KEPT_CHARS}.
     */
    private static Map<String, Object> keepable(McpSchema.CallToolResult r) {
        Map<String, Object> kept = new LinkedHashMap<>();
        kept.put("text", cut(((McpSchema.TextContent) r.content().get(0)).text()));
        if (r.structuredContent() instanceof Map<?, ?> structured) {
            Map<Object, Object> copy = new LinkedHashMap<>(structured);
            copy.computeIfPresent("output", (k, v) -> v instanceof String o ? cut(o) : v);
            kept.put("structured", copy);
        }
        return kept;
    }

    private static String cut(String s) {
        if (s.length() <= MAX_KEPT_CHARS) {
            return s;
        }
        int half = MAX_KEPT_CHARS / 2;
        return s.substring(0, half) + "\n[... " + (s.length() - 2 * half) + " characters left out ...]\n"
                + s.substring(s.length() - half);
    }

    private static McpSchema.CallToolResult sandboxedRun(Object kept) {
        if (!(kept instanceof Map<?, ?> m) || !(m.get("text") instanceof String text)) {
            return null;
        }
        McpSchema.CallToolResult.Builder b = McpSchema.CallToolResult.builder().addTextContent(text);
        if (m.get("structured") instanceof Map<?, ?> structured) {
            b.structuredContent(structured);
        }
        return b.build();
    }

    private Path workdir(String workdir) throws ToolError {
        Path dir =
                workdir == null ? config.cwd() : config.cwd().resolve(workdir).normalize();
        if (config.execServerUrl() == null && !Files.isDirectory(dir)) {
            throw new ToolError("exec_command: workdir '" + dir + "' is not a directory");
        }
        return dir;
    }
}
