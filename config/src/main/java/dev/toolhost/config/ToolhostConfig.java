package dev.toolhost.config;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The effective configuration after defaults, file, profile, {@code -c} overrides and flags have been
 * applied. Immutable; build one with {@link ConfigLoader}.
 *
 * @param model          the model name, or null when none is configured
 * @param modelProvider  id of the entry in {@code modelProviders} to use
 * @param cwd            working directory for tools (from {@code -C}, else the process cwd)
 * @param execServerUrl  {@code ws://} URL of a remote exec-server, or null to run processes locally
 * @param execServerTokenFile file holding the bearer token for {@code execServerUrl}, or null
 */
public record ToolhostConfig(
        String model,
        String modelProvider,
        Map<String, ModelProviderConfig> modelProviders,
        SandboxMode sandboxMode,
        ApprovalPolicy approvalPolicy,
        SandboxWorkspaceWrite sandboxWorkspaceWrite,
        ShellEnvironmentPolicy shellEnvironmentPolicy,
        Map<String, McpServerConfig> mcpServers,
        Path cwd,
        String execServerUrl,
        Path execServerTokenFile) {

    public ToolhostConfig {
        modelProviders = Map.copyOf(modelProviders);
        mcpServers = Collections.unmodifiableMap(new LinkedHashMap<>(mcpServers));
    }
}
