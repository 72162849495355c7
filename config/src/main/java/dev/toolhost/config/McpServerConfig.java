package dev.toolhost.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One {@code [mcp_servers.<name>]} table, Codex-compatible. Exactly one of {@code command} (stdio)
 * and {@code url} (streamable HTTP) is set.
 *
 * @param enabledTools    allow list, or null when absent (every tool allowed)
 * @param roots           absolute directories offered to the server as MCP roots ({@code roots}); empty
 *                        (the default) means the roots capability is not offered at all
 * @param forwardRoots    {@code forward_roots}: the roots capability is offered and each call's roots are those of the
 *                        MCP client that made that call (none when it declared no roots); never with {@code roots}
 * @param maxMessageBytes the longest message read from a stdio server, in bytes ({@code max_message_bytes})
 * @param oauth           the {@code oauth} sub-table (sign-in settings of a {@code url} server); never null
 * @param protocol        which MCP era to speak ({@code protocol}): {@value #PROTOCOL_AUTO} (probe the server, the
 *                        default), {@value #PROTOCOL_LEGACY} ({@code initialize}, up to 2025-11-25) or
 *                        {@value #PROTOCOL_MODERN} (stateless, per-request {@code _meta})
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
        List<Path> roots,
        boolean forwardRoots,
        int maxMessageBytes,
        McpOAuthConfig oauth,
        String protocol) {

    public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_TOOL_TIMEOUT = Duration.ofSeconds(60);
    /** 64 MiB: room for a large file or image in one tool result. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 64 << 20;

    public static final String PROTOCOL_AUTO = "auto";
    public static final String PROTOCOL_LEGACY = "legacy";
    public static final String PROTOCOL_MODERN = "2026-07-28";
    /** The values {@code protocol} takes. */
    public static final List<String> PROTOCOLS = List.of(PROTOCOL_AUTO, PROTOCOL_LEGACY, PROTOCOL_MODERN);

    public McpServerConfig {
        args = List.copyOf(args);
        env = Map.copyOf(env);
        envVars = List.copyOf(envVars);
        httpHeaders = Map.copyOf(httpHeaders);
        envHttpHeaders = Map.copyOf(envHttpHeaders);
        enabledTools = enabledTools == null ? null : List.copyOf(enabledTools);
        disabledTools = List.copyOf(disabledTools);
        roots = List.copyOf(roots);
        if (forwardRoots && !roots.isEmpty()) {
            throw new IllegalArgumentException("forward_roots and roots exclude each other");
        }
        if (maxMessageBytes <= 0) {
            throw new IllegalArgumentException("maxMessageBytes must be > 0");
        }
        oauth = oauth == null ? McpOAuthConfig.NONE : oauth;
        protocol = protocol == null ? PROTOCOL_AUTO : protocol;
        if (!PROTOCOLS.contains(protocol)) {
            throw new IllegalArgumentException("protocol must be one of " + PROTOCOLS + ", not " + protocol);
        }
    }

    /**
     * The directory one {@code roots} entry names: an absolute path, or {@code ~} / {@code ~/...} (the user's home),
     * normalised. Nothing relative (it would depend on where Toolhost starts) and no {@code ..} (it would reach above
     * what is written). Whether the directory exists is not checked: it may be created after the config is written.
     *
     * @throws IllegalArgumentException when {@code raw} is none of those; the message says what an entry must be and
     *     why this one is not, e.g. {@code absolute directory paths or ~/... ("data" is relative)}
     */
    public static Path root(String raw) {
        String expanded =
                raw.equals("~") || raw.startsWith("~/") ? System.getProperty("user.home") + raw.substring(1) : raw;
        Path p;
        try {
            p = Path.of(expanded);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("absolute directory paths (\"" + raw + "\" is not a path)");
        }
        if (!p.isAbsolute()) {
            throw new IllegalArgumentException("absolute directory paths or ~/... (\"" + raw + "\" is relative)");
        }
        for (Path segment : p) {
            if (segment.toString().equals("..")) {
                throw new IllegalArgumentException("paths without '..' (\"" + raw + "\" reaches above itself)");
            }
        }
        return p.normalize();
    }

    /** The same server offering these roots. */
    public McpServerConfig withRoots(List<Path> roots) {
        return with(c -> c.roots = roots);
    }

    /** The same server with another message size limit. */
    public McpServerConfig withMaxMessageBytes(int maxMessageBytes) {
        return with(c -> c.maxMessageBytes = maxMessageBytes);
    }

    /** The same server speaking this era ({@code protocol}). */
    public McpServerConfig withProtocol(String protocol) {
        return with(c -> c.protocol = protocol);
    }

    /** The same server started with this environment ({@code env}). */
    public McpServerConfig withEnv(Map<String, String> env) {
        return with(c -> c.env = env);
    }

    /** The same server with these timeouts ({@code startup_timeout_sec}, {@code tool_timeout_sec}). */
    public McpServerConfig withTimeouts(Duration startupTimeout, Duration toolTimeout) {
        return with(c -> {
            c.startupTimeout = startupTimeout;
            c.toolTimeout = toolTimeout;
        });
    }

    /** The same server, enabled or not ({@code enabled}). */
    public McpServerConfig withEnabled(boolean enabled) {
        return with(c -> c.enabled = enabled);
    }

    /** The same server, required or not ({@code required}). */
    public McpServerConfig withRequired(boolean required) {
        return with(c -> c.required = required);
    }

    /** The same server with these tool filters ({@code enabled_tools}, null for all; {@code disabled_tools}). */
    public McpServerConfig withToolFilter(List<String> enabledTools, List<String> disabledTools) {
        return with(c -> {
            c.enabledTools = enabledTools;
            c.disabledTools = disabledTools;
        });
    }

    /** This server with {@code change} applied to a copy of its components. */
    private McpServerConfig with(Consumer<Copy> change) {
        Copy c = new Copy(this);
        change.accept(c);
        return c.build();
    }

    /**
     * Every component of a config, to change some and build another: each {@code with...} method changes only its own
     * keys and keeps the rest, including any added later (one place lists them all).
     */
    private static final class Copy {
        private final String name;
        private final String command;
        private final List<String> args;
        private Map<String, String> env;
        private final List<String> envVars;
        private final String cwd;
        private final String url;
        private final String bearerTokenEnvVar;
        private final Map<String, String> httpHeaders;
        private final Map<String, String> envHttpHeaders;
        private boolean enabled;
        private boolean required;
        private Duration startupTimeout;
        private Duration toolTimeout;
        private List<String> enabledTools;
        private List<String> disabledTools;
        private List<Path> roots;
        private final boolean forwardRoots;
        private int maxMessageBytes;
        private final McpOAuthConfig oauth;
        private String protocol;

        Copy(McpServerConfig c) {
            name = c.name;
            command = c.command;
            args = c.args;
            env = c.env;
            envVars = c.envVars;
            cwd = c.cwd;
            url = c.url;
            bearerTokenEnvVar = c.bearerTokenEnvVar;
            httpHeaders = c.httpHeaders;
            envHttpHeaders = c.envHttpHeaders;
            enabled = c.enabled;
            required = c.required;
            startupTimeout = c.startupTimeout;
            toolTimeout = c.toolTimeout;
            enabledTools = c.enabledTools;
            disabledTools = c.disabledTools;
            roots = c.roots;
            forwardRoots = c.forwardRoots;
            maxMessageBytes = c.maxMessageBytes;
            oauth = c.oauth;
            protocol = c.protocol;
        }

        McpServerConfig build() {
            return new McpServerConfig(
                    name,
                    command,
                    args,
                    env,
                    envVars,
                    cwd,
                    url,
                    bearerTokenEnvVar,
                    httpHeaders,
                    envHttpHeaders,
                    enabled,
                    required,
                    startupTimeout,
                    toolTimeout,
                    enabledTools,
                    disabledTools,
                    roots,
                    forwardRoots,
                    maxMessageBytes,
                    oauth,
                    protocol);
        }
    }

    public boolean isStdio() {
        return command != null;
    }

    /** A stdio server with default settings (those of a table that names only its command), as {@code mcp add} writes. */
    public static McpServerConfig stdio(String name, String command, List<String> args) {
        return new McpServerConfig(
                name,
                command,
                args,
                Map.of(),
                List.of(),
                null,
                null,
                null,
                Map.of(),
                Map.of(),
                true,
                false,
                DEFAULT_STARTUP_TIMEOUT,
                DEFAULT_TOOL_TIMEOUT,
                null,
                List.of(),
                List.of(),
                false,
                DEFAULT_MAX_MESSAGE_BYTES,
                McpOAuthConfig.NONE,
                PROTOCOL_AUTO);
    }

    /** A streamable HTTP server with default settings. */
    public static McpServerConfig http(String name, String url) {
        return new McpServerConfig(
                name,
                null,
                List.of(),
                Map.of(),
                List.of(),
                null,
                url,
                null,
                Map.of(),
                Map.of(),
                true,
                false,
                DEFAULT_STARTUP_TIMEOUT,
                DEFAULT_TOOL_TIMEOUT,
                null,
                List.of(),
                List.of(),
                false,
                DEFAULT_MAX_MESSAGE_BYTES,
                McpOAuthConfig.NONE,
                PROTOCOL_AUTO);
    }
}
