package dev.toolhost.mcp.client;

import dev.toolhost.config.McpServerConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How to start one stdio MCP server.
 *
 * @param server    the configured server name (used in every error message)
 * @param command   the program and its arguments
 * @param env       the complete environment of the child (nothing else is inherited)
 * @param cwd       working directory, or null for ours
 * @param stderrLog file the child's stderr is appended to, or null to discard it
 */
public record StdioLaunch(String server, List<String> command, Map<String, String> env, Path cwd, Path stderrLog) {

    /**
     * Variables a stdio server gets from our environment without being listed in {@code env_vars}
     * (the same small set Codex passes), so that {@code npx}, {@code uvx} and friends work.
     */
    static final List<String> DEFAULT_ENV_VARS =
            List.of("HOME", "LOGNAME", "PATH", "SHELL", "USER", "LANG", "LC_ALL", "TERM", "TMPDIR", "TZ");

    public StdioLaunch {
        command = List.copyOf(command);
        env = Map.copyOf(env);
    }

    /** The launch for a configured stdio server: default variables, then {@code env_vars}, then {@code env}. */
    public static StdioLaunch of(
            McpServerConfig config, Map<String, String> parentEnv, Path defaultCwd, Path stderrLog) {
        List<String> command = new ArrayList<>();
        command.add(config.command());
        command.addAll(config.args());
        Map<String, String> env = new LinkedHashMap<>();
        for (String name : DEFAULT_ENV_VARS) {
            if (parentEnv.containsKey(name)) {
                env.put(name, parentEnv.get(name));
            }
        }
        for (String name : config.envVars()) {
            if (parentEnv.containsKey(name)) {
                env.put(name, parentEnv.get(name));
            }
        }
        env.putAll(config.env());
        Path cwd = config.cwd() == null
                ? defaultCwd
                : defaultCwd == null ? Path.of(config.cwd()) : defaultCwd.resolve(config.cwd());
        return new StdioLaunch(config.name(), command, env, cwd, stderrLog);
    }
}
