package dev.toolhost.host.agent;

import dev.toolhost.builtin.policy.WritableRoots;
import dev.toolhost.config.ApprovalPolicy;
import dev.toolhost.config.McpServerConfig;
import dev.toolhost.config.SandboxMode;
import dev.toolhost.config.ToolhostConfig;
import dev.toolhost.exec.SandboxPolicy;
import dev.toolhost.mcp.server.AgentRunner.AgentException;
import dev.toolhost.mcp.server.AgentRunner.AgentRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What an MCP client may ask of the {@code agent} tool: only to narrow what the person who started the server
 * configured, never to widen it.
 *
 * <ul>
 *   <li>sandbox: read-only &lt; workspace-write &lt; danger-full-access; no wider than the server's.
 *   <li>approval-policy: untrusted &lt; on-failure = on-request &lt; never (how much runs without anybody being
 *       asked); no looser than the server's. Under a server's {@code never} (with a sandbox) only {@code never}:
 *       every other policy asks the approver, here the calling client itself, before running outside the sandbox,
 *       which {@code never} refuses outright.
 *   <li>profile: its sandbox, approval policy, writable roots and network access obey the same rules; it may not
 *       add or change an MCP server, the exec-server commands run on, or the environment commands inherit.
 *   <li>cwd: inside the server's workspace (its working directory or a writable root), and no writable root,
 *       network access or temp directory the server's sandbox does not already allow.
 *   <li>config: only the keys in {@link #CONFIG_KEYS}, which run nothing and reach nothing.
 * </ul>
 */
final class AgentLimits {
    /** The config overrides a client may give: model selection only (the last three are Codex's, ignored). */
    static final Set<String> CONFIG_KEYS =
            Set.of("model", "model_reasoning_effort", "model_reasoning_summary", "model_verbosity");

    private AgentLimits() {}

    /** Refuses {@code config} keys outside {@link #CONFIG_KEYS}, naming the first one. */
    static void checkConfig(Map<String, Object> config) throws AgentException {
        if (config == null) {
            return;
        }
        for (String key : config.keySet()) {
            if (!CONFIG_KEYS.contains(key)) {
                throw new AgentException("config key '" + key + "' cannot be set by an MCP client: it could run"
                        + " commands, reach the network or widen what the server allows. Allowed keys: "
                        + CONFIG_KEYS.stream().sorted().toList() + "; set anything else in the server's config.toml"
                        + " or with -c when starting it");
            }
        }
    }

    /**
     * The working directory a request asks for, resolved against the server's and refused unless it is a
     * directory inside the server's workspace.
     */
    static Path checkCwd(String cwd, ToolhostConfig server) throws AgentException {
        Path asked = server.cwd().resolve(cwd).normalize();
        Path real;
        try {
            real = asked.toRealPath();
        } catch (IOException e) {
            throw new AgentException("cwd '" + cwd + "' is not a directory");
        }
        if (!Files.isDirectory(real)) {
            throw new AgentException("cwd '" + cwd + "' is not a directory");
        }
        List<Path> workspace = new ArrayList<>();
        workspace.add(server.cwd());
        for (String r : server.sandboxWorkspaceWrite().writableRoots()) {
            workspace.add(server.cwd().resolve(r).normalize());
        }
        for (Path root : workspace) {
            try {
                if (real.startsWith(root.toRealPath())) {
                    return real;
                }
            } catch (IOException e) {
                // A writable root that does not exist contains nothing.
            }
        }
        throw new AgentException("cwd '" + cwd + "' is outside this server's workspace " + workspace
                + "; start the server with -C DIR (or a writable root) that contains it");
    }

    /** Refuses {@code asked} (the turn's effective config) when it is wider than {@code server} anywhere. */
    static void checkNarrower(ToolhostConfig server, ToolhostConfig asked, AgentRequest request) throws AgentException {
        String from = request.profile() != null ? " (from profile '" + request.profile() + "')" : "";
        if (asked.sandboxMode().ordinal() > server.sandboxMode().ordinal()) {
            String what = request.sandbox() != null ? "sandbox" : "sandbox_mode";
            throw new AgentException(what + " '" + asked.sandboxMode().wireName() + "'" + from
                    + " is wider than this server's '"
                    + server.sandboxMode().wireName() + "'; start the server with -s "
                    + asked.sandboxMode().wireName() + " to allow it");
        }
        ApprovalPolicy a = asked.approvalPolicy();
        ApprovalPolicy s = server.approvalPolicy();
        boolean looser = rank(a) > rank(s);
        boolean escapesNever =
                s == ApprovalPolicy.NEVER && a != s && server.sandboxMode() != SandboxMode.DANGER_FULL_ACCESS;
        if (looser || escapesNever) {
            String what = request.approvalPolicy() != null ? "approval-policy" : "approval_policy";
            String why = looser
                    ? " is looser than this server's '" + s.wireName() + "'"
                    : " is not allowed under this server's 'never': 'never' refuses every run outside the sandbox,"
                            + " '" + a.wireName() + "' would let the calling client approve one";
            throw new AgentException(what + " '" + a.wireName() + "'" + from + why + "; start the server with -a "
                    + a.wireName() + " to allow it");
        }
        if (server.sandboxMode() != SandboxMode.WORKSPACE_WRITE || asked.sandboxMode() != SandboxMode.WORKSPACE_WRITE) {
            return; // read-only writes nothing; a danger-full-access server has nothing to widen
        }
        WritableRoots serverRoots = WritableRoots.from(server);
        SandboxPolicy askedPolicy = WritableRoots.from(asked).sandboxPolicy();
        for (Path root : askedPolicy.writableRoots()) {
            if (!serverRoots.allowsWrite(root)) {
                throw new AgentException("writable root " + root + from + " is not writable on this server ("
                        + serverRoots.describe() + "); start the server with a workspace that contains it");
            }
        }
        SandboxPolicy serverPolicy = serverRoots.sandboxPolicy();
        if (askedPolicy.networkAccess() && !serverPolicy.networkAccess()) {
            throw new AgentException(
                    "sandbox_workspace_write.network_access true" + from + " is wider than this server's false");
        }
        if (!askedPolicy.excludeTmp() && serverPolicy.excludeTmp()) {
            throw new AgentException(
                    "writable temp directories" + from + " are wider than this server's sandbox, which excludes them");
        }
    }

    /**
     * Refuses {@code asked} when it reaches what {@code server} does not: an MCP server the server does not run (or
     * runs differently), another exec-server, or another environment for commands. Only a profile can change these
     * (a client's {@code config} is limited by {@link #checkConfig}); disabling a server narrows and is allowed.
     */
    static void checkSameReach(ToolhostConfig server, ToolhostConfig asked, AgentRequest request)
            throws AgentException {
        String from = request.profile() != null ? " (from profile '" + request.profile() + "')" : "";
        String fix =
                request.profile() != null ? "; start the server with -p " + request.profile() + " to allow it" : "";
        for (Map.Entry<String, McpServerConfig> e : asked.mcpServers().entrySet()) {
            McpServerConfig own = server.mcpServers().get(e.getKey());
            if (e.getValue().enabled() && !e.getValue().equals(own)) {
                throw new AgentException("mcp_servers." + e.getKey() + from
                        + (own == null ? " is not an MCP server of this server" : " differs from this server's")
                        + ": an MCP client cannot add or change the agent's MCP servers" + fix);
            }
        }
        String execKey = !Objects.equals(asked.execServerUrl(), server.execServerUrl())
                ? "exec_server_url"
                : !Objects.equals(asked.execServerTokenFile(), server.execServerTokenFile())
                        ? "exec_server_token_file"
                        : null;
        if (execKey != null) {
            throw new AgentException(execKey + from + " differs from this server's: an MCP client cannot choose"
                    + " where commands run" + fix);
        }
        if (!asked.shellEnvironmentPolicy().equals(server.shellEnvironmentPolicy())) {
            throw new AgentException("shell_environment_policy" + from + " differs from this server's: an MCP client"
                    + " cannot change the environment commands inherit" + fix);
        }
    }

    /** How much runs without anybody being asked: more is looser. */
    private static int rank(ApprovalPolicy p) {
        return switch (p) {
            case UNTRUSTED -> 0;
            case ON_FAILURE, ON_REQUEST -> 1;
            case NEVER -> 2;
        };
    }
}
