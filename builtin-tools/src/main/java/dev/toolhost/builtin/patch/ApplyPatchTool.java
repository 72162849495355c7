package dev.toolhost.builtin.patch;

import static dev.toolhost.builtin.Schemas.prop;
import static dev.toolhost.builtin.Schemas.props;

import dev.toolhost.builtin.BuiltinTool;
import dev.toolhost.builtin.Schemas;
import dev.toolhost.builtin.ToolCall;
import dev.toolhost.builtin.ToolError;
import dev.toolhost.builtin.ToolResults;
import dev.toolhost.builtin.policy.ApprovalRequest;
import dev.toolhost.builtin.policy.Approvals;
import dev.toolhost.builtin.policy.WritableRoots;
import dev.toolhost.config.ApprovalPolicy;
import dev.toolhost.config.SandboxMode;
import dev.toolhost.config.ToolhostConfig;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code apply_patch}: applies a patch all-or-nothing. Under {@code untrusted} every patch is asked about (as
 * Codex); otherwise writes inside the writable roots need no approval and a patch that writes anywhere else is
 * asked about (refused under {@code never}).
 */
public final class ApplyPatchTool implements BuiltinTool {
    private static final int MAX_PATCH_IN_PROMPT = 4000;

    private final ToolhostConfig config;
    private final WritableRoots roots;

    public ApplyPatchTool(ToolhostConfig config, WritableRoots roots) {
        this.config = config;
        this.roots = roots;
    }

    @Override
    public McpSchema.Tool tool() {
        return McpSchema.Tool.builder()
                .name("apply_patch")
                .description(
                        "Applies a patch in the apply_patch format (*** Begin Patch / *** Add File: / *** Delete File:"
                                + " / *** Update File: / *** Move to: / @@ hunks / *** End of File / *** End Patch). Paths are"
                                + " relative to the working directory. All-or-nothing: if any hunk fails, no file changes.")
                .inputSchema(Schemas.input(props("input", prop("string", "the whole patch text")), List.of("input")))
                .outputSchema(Schemas.output(
                        props(
                                "changes",
                                Map.of(
                                        "type",
                                        "array",
                                        "items",
                                        Map.of("type", "string"),
                                        "description",
                                        "one 'A path', 'M path' or 'D path' per changed file")),
                        List.of("changes")))
                .annotations(new McpSchema.ToolAnnotations("Edit files", false, true, false, false, null))
                .build();
    }

    @Override
    public McpSchema.CallToolResult call(ToolCall call) throws ToolError {
        List<String> changes =
                apply(call, ApplyPatchInvocation.stripHeredoc(call.args().string("input")), config.cwd());
        return ToolResults.structured(successText(changes), Map.of("changes", changes));
    }

    /** The text of a successful call: {@code Success. Updated the following files:} and one line per change. */
    public static String successText(List<String> changes) {
        return "Success. Updated the following files:\n" + String.join("\n", changes);
    }

    /**
     * Applies {@code input} with paths relative to {@code cwd}, asking as this tool does (also for
     * {@code apply_patch} run through exec_command).
     *
     * @return one {@code A path}, {@code M path} or {@code D path} per changed file
     * @throws ToolError the patch is invalid, does not apply, or was denied; then no file changed
     */
    public List<String> apply(ToolCall call, String input, Path cwd) throws ToolError {
        PatchPlan plan;
        try {
            plan = PatchApplier.plan(PatchParser.parse(input), cwd);
        } catch (PatchException e) {
            throw new ToolError(e.getMessage());
        }
        // Writes inside the roots go along the real path checked here, never through a symlink made after it.
        List<Path> outside = new ArrayList<>();
        Map<Path, Path> confined = new HashMap<>();
        for (Path p : plan.touchedPaths()) {
            Path real = plan.finalState().get(p) == null ? roots.confinedEntry(p) : roots.confinedTarget(p);
            if (real != null) {
                confined.put(p, real);
            } else if (roots.mode() != SandboxMode.DANGER_FULL_ACCESS) {
                outside.add(p);
            }
        }
        ApprovalPolicy policy = config.approvalPolicy();
        // As Codex: untrusted asks about every patch, wherever it writes.
        if (!outside.isEmpty() || policy == ApprovalPolicy.UNTRUSTED) {
            String where = outside.isEmpty()
                    ? "would change " + String.join(", ", plan.summary())
                    : "writes outside the writable roots: " + outside + " (" + roots.describe() + ")";
            if (policy == ApprovalPolicy.NEVER) {
                throw new ToolError("denied: apply_patch " + where + "; approval_policy never refuses such writes."
                        + " No file was changed.");
            }
            Approvals.require(
                    call.session(),
                    call.approver(),
                    policy,
                    new ApprovalRequest("Apply this patch? It " + where + "\n" + abbreviate(input), "patch:" + input),
                    "apply_patch (it " + where + "; no file was changed)");
        }
        try {
            plan.apply(confined);
        } catch (PatchPlan.Escaped e) {
            throw new ToolError("denied: apply_patch writes outside the writable roots: [" + e.path() + "] ("
                    + roots.describe() + "): " + e.getMessage() + ". No file was changed.");
        } catch (PatchException e) {
            throw new ToolError(e.getMessage());
        }
        return plan.summary();
    }

    private static String abbreviate(String patch) {
        return patch.length() <= MAX_PATCH_IN_PROMPT
                ? patch
                : patch.substring(0, MAX_PATCH_IN_PROMPT) + "\n[... " + (patch.length() - MAX_PATCH_IN_PROMPT)
                        + " more characters]";
    }
}
