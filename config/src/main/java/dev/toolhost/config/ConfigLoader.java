package dev.toolhost.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Builds the effective {@link ToolhostConfig}. Precedence, lowest first: built-in defaults, config
 * file, selected profile, {@code -c} overrides, dedicated flags.
 */
public final class ConfigLoader {
    private ConfigLoader() {
    }

    // PLACEHOLDER: the foundation issue replaces this with the real loader (file, profile, overrides).
    public static LoadedConfig load(ConfigRequest request) throws ConfigException {
        ToolhostConfig base = defaults(request.cd() != null ? request.cd() : Path.of("").toAbsolutePath());
        return new LoadedConfig(base, Map.of(), List.of());
    }

    /** Built-in defaults only, with the given working directory. */
    public static ToolhostConfig defaults(Path cwd) {
        return new ToolhostConfig(null, "openai", Map.of(), SandboxMode.READ_ONLY, ApprovalPolicy.ON_REQUEST,
                SandboxWorkspaceWrite.defaults(), ShellEnvironmentPolicy.defaults(), Map.of(),
                cwd.toAbsolutePath().normalize(), null, null);
    }
}
