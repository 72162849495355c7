package dev.toolhost.builtin;

import dev.toolhost.builtin.policy.ApprovalDecision;
import dev.toolhost.builtin.policy.ApprovalRequest;
import dev.toolhost.builtin.policy.Approver;
import dev.toolhost.config.ApprovalPolicy;
import dev.toolhost.config.ConfigLoader;
import dev.toolhost.config.SandboxMode;
import dev.toolhost.config.SandboxWorkspaceWrite;
import dev.toolhost.config.ToolhostConfig;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Configs, calls and a scripted approver (standing in for the person answering) for unit tests. */
public final class TestSupport {
    private TestSupport() {}

    public static ToolhostConfig config(
            Path cwd, SandboxMode sandbox, ApprovalPolicy approval, String... writableRoots) {
        ToolhostConfig d = ConfigLoader.defaults(cwd);
        return new ToolhostConfig(
                d.model(),
                d.modelProvider(),
                d.modelProviders(),
                sandbox,
                approval,
                new SandboxWorkspaceWrite(List.of(writableRoots), false, false, false),
                d.shellEnvironmentPolicy(),
                d.mcpServers(),
                d.cwd(),
                d.execServerUrl(),
                d.execServerTokenFile());
    }

    /** Answers every approval request with a fixed decision and records the requests. */
    public static final class ScriptedApprover implements Approver {
        private final ApprovalDecision answer;
        public final List<ApprovalRequest> asked = new ArrayList<>();

        public ScriptedApprover(ApprovalDecision answer) {
            this.answer = answer;
        }

        @Override
        public synchronized ApprovalDecision ask(ApprovalRequest request) {
            asked.add(request);
            return answer;
        }
    }

    public static ToolCall call(String tool, Map<String, Object> args, SessionState session, Approver approver) {
        return new ToolCall(new Args(tool, args), session, approver);
    }

    /** Runs a tool the way BuiltinTools does: a ToolError becomes an isError result. */
    public static McpSchema.CallToolResult run(
            BuiltinTool tool, Map<String, Object> args, SessionState session, Approver approver) {
        try {
            return tool.call(call(tool.tool().name(), args, session, approver));
        } catch (ToolError e) {
            return ToolResults.error(e.getMessage());
        }
    }

    public static String text(McpSchema.CallToolResult r) {
        return ((McpSchema.TextContent) r.content().get(0)).text();
    }
}
