package dev.toolhost.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One {@code [mcp_servers.<name>]} table, Codex-compatible. Exactly one of {@code command} (stdio)
 * and {@code url} (streamable HTTP) is set.
 *
 * @param enabledTools allow list, or null when absent (every tool allowed)
 * @param oauth        the {@code oauth} sub-table (sign-in settings of a {@code url} server); never null
 */
public record McpServerConfig(
        String name,
        String command,
        List<String> args,
        Map<String, String> env,
        List<String> envVars,
        String cwd,
        String url,
        String bearerTokenEnvVar,
        Map<String, String> httpHeaders,
        Map<String, String> envHttpHeaders,
        boolean enabled,
        boolean required,
        Duration startupTimeout,
        Duration toolTimeout,
        List<String> enabledTools,
        List<String> disabledTools,
        McpOAuthConfig oauth) {

    public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_TOOL_TIMEOUT = Duration.ofSeconds(60);

    public McpServerConfig {
        args = List.copyOf(args);
        env = Map.copyOf(env);
        envVars = List.copyOf(envVars);
        httpHeaders = Map.copyOf(httpHeaders);
        envHttpHeaders = Map.copyOf(envHttpHeaders);
        enabledTools = enabledTools == null ? null : List.copyOf(enabledTools);
        disabledTools = List.copyOf(disabledTools);
        oauth = oauth == null ? McpOAuthConfig.NONE : oauth;
    }

    /** Without an {@code oauth} table. */
    public McpServerConfig(String name, String command, List<String> args, Map<String, String> env,
            List<String> envVars, String cwd, String url, String bearerTokenEnvVar, Map<String, String> httpHeaders,
            Map<String, String> envHttpHeaders, boolean enabled, boolean required, Duration startupTimeout,
            Duration toolTimeout, List<String> enabledTools, List<String> disabledTools) {
        this(name, command, args, env, envVars, cwd, url, bearerTokenEnvVar, httpHeaders, envHttpHeaders, enabled,
                required, startupTimeout, toolTimeout, enabledTools, disabledTools, McpOAuthConfig.NONE);
    }

    public boolean isStdio() {
        return command != null;
    }

    /** A stdio server with default settings, handy for tests and for {@code mcp add}. */
    public static McpServerConfig stdio(String name, String command, List<String> args) {
        return new McpServerConfig(name, command, args, Map.of(), List.of(), null, null, null, Map.of(), Map.of(),
                true, false, DEFAULT_STARTUP_TIMEOUT, DEFAULT_TOOL_TIMEOUT, null, List.of());
    }

    /** A streamable HTTP server with default settings. */
    public static McpServerConfig http(String name, String url) {
        return new McpServerConfig(name, null, List.of(), Map.of(), List.of(), null, url, null, Map.of(), Map.of(),
                true, false, DEFAULT_STARTUP_TIMEOUT, DEFAULT_TOOL_TIMEOUT, null, List.of());
    }
}
