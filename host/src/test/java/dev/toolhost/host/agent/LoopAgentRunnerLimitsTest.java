package dev.toolhost.host.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.config.ApprovalPolicy;
import dev.toolhost.config.ConfigRequest;
import dev.toolhost.config.LoadedConfig;
import dev.toolhost.config.SandboxMode;
import dev.toolhost.mcp.client.ServerRequestHandler;
import dev.toolhost.mcp.server.AgentRunner.AgentException;
import dev.toolhost.mcp.server.AgentRunner.AgentRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an MCP client may ask of the agent tool: only narrower than the server's own settings. A turn the limits
 * allow reaches the hub opener, which here records the turn's config and stops the turn.
 */
class LoopAgentRunnerLimitsTest {
    private static final String HUB_REACHED = "hub opener reached";

    @TempDir
    Path home;

    @TempDir
    Path work;

    private final AtomicReference<LoadedConfig> opened = new AtomicReference<>();

    private LoopAgentRunner runner(SandboxMode sandbox, ApprovalPolicy approval) {
        ConfigRequest base = new ConfigRequest(
                home.resolve("config.toml"),
                null,
                List.of("model=\"fake\"", "model_provider=\"ollama\""),
                sandbox,
                approval,
                work,
                false);
        return new LoopAgentRunner(
                base,
                cfg -> {
                    opened.set(cfg);
                    throw new IllegalStateException(HUB_REACHED);
                },
                new ThreadStore(home.resolve("sessions")),
                Map.of());
    }

    private static AgentRequest ask(
            String cwd, String profile, String sandbox, String approval, Map<String, Object> c) {
        return new AgentRequest(null, "go", cwd, null, profile, sandbox, approval, c);
    }

    private static String refusal(LoopAgentRunner runner, AgentRequest request) {
        AgentException e = assertThrows(
                AgentException.class, () -> runner.run(request, event -> {}, ServerRequestHandler.declining()));
        return e.getMessage();
    }

    @Test
    void aWiderSandboxIsRefusedNamingTheParameterTheValueAndTheServersLimit() {
        LoopAgentRunner defaults = runner(null, null);
        assertEquals(
                "sandbox 'danger-full-access' is wider than this server's 'read-only'; start the server with"
                        + " -s danger-full-access to allow it",
                refusal(defaults, ask(null, null, "danger-full-access", null, Map.of())));
        assertTrue(refusal(defaults, ask(null, null, "workspace-write", null, Map.of()))
                .startsWith("sandbox 'workspace-write' is wider than this server's 'read-only'"));

        LoopAgentRunner writable = runner(SandboxMode.WORKSPACE_WRITE, ApprovalPolicy.NEVER);
        assertTrue(
                refusal(writable, ask(null, null, "read-only", null, Map.of())).contains(HUB_REACHED));
        assertEquals(SandboxMode.READ_ONLY, opened.get().config().sandboxMode(), "narrowing is allowed");
    }

    @Test
    void aLooserApprovalPolicyIsRefusedAndUnderNeverTheCallerCannotBecomeTheApprover() {
        LoopAgentRunner defaults = runner(null, null);
        assertEquals(
                "approval-policy 'never' is looser than this server's 'on-request'; start the server with -a never"
                        + " to allow it",
                refusal(defaults, ask(null, null, null, "never", Map.of())));
        assertTrue(
                refusal(defaults, ask(null, null, null, "untrusted", Map.of())).contains(HUB_REACHED));
        assertEquals(ApprovalPolicy.UNTRUSTED, opened.get().config().approvalPolicy());
        assertTrue(
                refusal(defaults, ask(null, null, null, "on-failure", Map.of())).contains(HUB_REACHED));

        String underNever = refusal(
                runner(SandboxMode.WORKSPACE_WRITE, ApprovalPolicy.NEVER),
                ask(null, null, null, "untrusted", Map.of()));
        assertTrue(
                underNever.startsWith("approval-policy 'untrusted' is not allowed under this server's 'never'"),
                underNever);
    }

    @Test
    void configKeysOutsideTheAllowListAreRefusedNamingTheKey() {
        LoopAgentRunner defaults = runner(null, null);
        for (String key : List.of(
                "mcp_servers.evil.command",
                "model_providers.local.base_url",
                "sandbox_mode",
                "approval_policy",
                "shell_environment_policy.inherit",
                "sandbox_workspace_write.writable_roots",
                "exec_server_url",
                "mcp_servers")) {
            String message = refusal(defaults, ask(null, null, null, null, Map.of(key, "x")));
            assertTrue(message.startsWith("config key '" + key + "' cannot be set by an MCP client"), message);
        }
        assertTrue(refusal(defaults, ask(null, null, null, null, Map.of("model", "other")))
                .contains(HUB_REACHED));
        assertEquals("other", opened.get().config().model());
    }

    @Test
    void aCwdOutsideTheWorkspaceIsRefusedAndOneInsideIsNoNewWritableRoot() throws Exception {
        LoopAgentRunner writable = runner(SandboxMode.WORKSPACE_WRITE, ApprovalPolicy.NEVER);
        String outside = refusal(writable, ask(home.toString(), null, null, null, Map.of()));
        assertTrue(outside.startsWith("cwd '" + home + "' is outside this server's workspace [" + work + "]"), outside);
        Path link = Files.createSymbolicLink(work.resolve("out"), home);
        assertTrue(refusal(writable, ask("out", null, null, null, Map.of())).contains("is outside this server's"));

        Files.createDirectories(work.resolve("sub"));
        assertTrue(refusal(writable, ask("sub", null, null, null, Map.of())).contains(HUB_REACHED));
        assertEquals(work.resolve("sub").toRealPath(), opened.get().config().cwd());
        assertTrue(Files.isSymbolicLink(link));
    }

    @Test
    void aProfileObeysTheSameRules() throws Exception {
        Files.writeString(home.resolve("config.toml"), """
                sandbox_mode = "workspace-write"
                [profiles.open]
                sandbox_mode = "danger-full-access"
                [profiles.ask]
                approval_policy = "never"
                [profiles.roots]
                sandbox_workspace_write.writable_roots = ["/"]
                [profiles.net]
                sandbox_workspace_write.network_access = true
                """);
        LoopAgentRunner server = runner(null, null);
        assertEquals(
                "sandbox_mode 'danger-full-access' (from profile 'open') is wider than this server's"
                        + " 'workspace-write'; start the server with -s danger-full-access to allow it",
                refusal(server, ask(null, "open", null, null, Map.of())));
        assertTrue(refusal(server, ask(null, "ask", null, null, Map.of()))
                .startsWith("approval_policy 'never' (from profile 'ask') is looser than this server's 'on-request'"));
        String roots = refusal(server, ask(null, "roots", null, null, Map.of()));
        assertTrue(roots.startsWith("writable root / (from profile 'roots') is not writable on this server"), roots);
        String net = refusal(server, ask(null, "net", null, null, Map.of()));
        assertTrue(net.startsWith("sandbox_workspace_write.network_access true (from profile 'net')"), net);
    }

    @Test
    void aProfileCannotAddAnMcpServerAnExecServerOrAnotherEnvironment() throws Exception {
        Files.writeString(home.resolve("config.toml"), """
                [mcp_servers.docs]
                command = "docs-server"
                [profiles.more]
                mcp_servers.evil.command = "sh"
                [profiles.changed]
                mcp_servers.docs.args = ["--write"]
                [profiles.fewer]
                mcp_servers.docs.enabled = false
                [profiles.remote]
                exec_server_url = "ws://127.0.0.1:1/exec"
                [profiles.token]
                exec_server_token_file = "/etc/hostname"
                [profiles.env]
                shell_environment_policy.inherit = "all"
                shell_environment_policy.ignore_default_excludes = true
                """);
        LoopAgentRunner server = runner(null, null);
        assertEquals(
                "mcp_servers.evil (from profile 'more') is not an MCP server of this server: an MCP client cannot add"
                        + " or change the agent's MCP servers; start the server with -p more to allow it",
                refusal(server, ask(null, "more", null, null, Map.of())));
        assertTrue(refusal(server, ask(null, "changed", null, null, Map.of()))
                .startsWith("mcp_servers.docs (from profile 'changed') differs from this server's"));
        assertTrue(refusal(server, ask(null, "remote", null, null, Map.of()))
                .startsWith("exec_server_url (from profile 'remote') differs from this server's"));
        assertTrue(refusal(server, ask(null, "token", null, null, Map.of()))
                .startsWith("exec_server_token_file (from profile 'token') differs from this server's"));
        assertTrue(refusal(server, ask(null, "env", null, null, Map.of()))
                .startsWith("shell_environment_policy (from profile 'env') differs from this server's"));
        assertTrue(refusal(server, ask(null, "fewer", null, null, Map.of())).contains(HUB_REACHED));
        assertTrue(opened.get().config().mcpServers().values().stream().noneMatch(c -> c.enabled()));
    }
}
