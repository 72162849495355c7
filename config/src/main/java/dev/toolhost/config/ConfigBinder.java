package dev.toolhost.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns the merged config tree into {@link ToolhostConfig}, checking every type and enum. Errors name
 * the origin of the offending key (file and line, profile, or {@code -c}), the key and what was expected.
 */
final class ConfigBinder {
    static final int DEFAULT_REQUEST_MAX_RETRIES = 4;
    static final long MIN_MESSAGE_BYTES = 64 << 10;
    static final long MAX_MESSAGE_BYTES = 1 << 30;
    static final long DEFAULT_STREAM_IDLE_TIMEOUT_MS = 300_000;

    private final LayeredTree tree;
    private final Path configDir;

    ConfigBinder(LayeredTree tree, Path configDir) {
        this.tree = tree;
        this.configDir = configDir;
    }

    ToolhostConfig bind(Path cwd) throws ConfigException {
        ObjectNode root = tree.root();
        Map<String, ModelProviderConfig> providers = new LinkedHashMap<>();
        ObjectNode providerTables = table(root, "", "model_providers");
        if (providerTables != null) {
            for (Map.Entry<String, JsonNode> e : providerTables.properties()) {
                String path = "model_providers." + e.getKey();
                providers.put(e.getKey(), provider(e.getKey(), asTable(e.getValue(), path), path));
            }
        }
        String providerId = string(root, "", "model_provider", "openai");
        if (!providers.containsKey(providerId)) {
            throw error(
                    "model_provider",
                    "the id of a [model_providers.<id>] table (one of "
                            + String.join(", ", new TreeSet<>(providers.keySet())) + ")",
                    root.get("model_provider"));
        }
        Integer callbackPort = port(root, "", "mcp_oauth_callback_port");
        Map<String, McpServerConfig> servers = new LinkedHashMap<>();
        ObjectNode serverTables = table(root, "", "mcp_servers");
        if (serverTables != null) {
            for (Map.Entry<String, JsonNode> e : serverTables.properties()) {
                String path = "mcp_servers." + e.getKey();
                servers.put(e.getKey(), server(e.getKey(), asTable(e.getValue(), path), path, callbackPort));
            }
        }
        String execUrl = string(root, "", "exec_server_url", null);
        if (execUrl != null && !(execUrl.startsWith("ws://") || execUrl.startsWith("wss://"))) {
            throw urlError("exec_server_url", "a ws:// or wss:// URL", execUrl);
        }
        String tokenFile = string(root, "", "exec_server_token_file", null);
        return new ToolhostConfig(
                string(root, "", "model", null),
                providerId,
                providers,
                enumValue(
                        root,
                        "",
                        "sandbox_mode",
                        SandboxMode.READ_ONLY,
                        SandboxMode::fromWireName,
                        SandboxMode.values(),
                        SandboxMode::wireName),
                enumValue(
                        root,
                        "",
                        "approval_policy",
                        ApprovalPolicy.ON_REQUEST,
                        ApprovalPolicy::fromWireName,
                        ApprovalPolicy.values(),
                        ApprovalPolicy::wireName),
                workspaceWrite(table(root, "", "sandbox_workspace_write")),
                shellPolicy(table(root, "", "shell_environment_policy")),
                servers,
                cwd,
                execUrl,
                tokenFile == null ? null : resolvePath(tokenFile));
    }

    private ModelProviderConfig provider(String id, ObjectNode t, String path) throws ConfigException {
        String baseUrl = string(t, path, "base_url", null);
        if (baseUrl == null) {
            throw missing(path, "base_url", "the provider's API base URL, e.g. \"https://api.example.com/v1\"");
        }
        long retries = integer(t, path, "request_max_retries", DEFAULT_REQUEST_MAX_RETRIES);
        if (retries < 0) {
            throw error(path + ".request_max_retries", "an integer >= 0", t.get("request_max_retries"));
        }
        long idle = integer(t, path, "stream_idle_timeout_ms", DEFAULT_STREAM_IDLE_TIMEOUT_MS);
        if (idle <= 0) {
            throw error(path + ".stream_idle_timeout_ms", "an integer > 0", t.get("stream_idle_timeout_ms"));
        }
        return new ModelProviderConfig(
                id,
                string(t, path, "name", id),
                baseUrl,
                string(t, path, "env_key", null),
                enumValue(
                        t, path, "wire_api", WireApi.CHAT, WireApi::fromWireName, WireApi.values(), WireApi::wireName),
                stringTable(t, path, "http_headers"),
                stringTable(t, path, "env_http_headers"),
                (int) Math.min(retries, Integer.MAX_VALUE),
                idle,
                stringTable(t, path, "query_params"));
    }

    private McpServerConfig server(String name, ObjectNode t, String path, Integer callbackPort)
            throws ConfigException {
        String command = string(t, path, "command", null);
        String url = string(t, path, "url", null);
        if (command == null && url == null) {
            throw new ConfigException(tree.originOf(path) + ": [" + path + "]: expected either 'command' (a stdio "
                    + "server) or 'url' (a streamable HTTP server), found neither");
        }
        if (command != null && url != null) {
            throw new ConfigException(tree.originOf(path + ".url") + ": [" + path + "]: expected either 'command' "
                    + "(a stdio server) or 'url' (a streamable HTTP server), found both");
        }
        if (url != null && !isHttpUrl(url)) {
            throw urlError(path + ".url", "an http:// or https:// URL", url);
        }
        Duration startup = McpServerConfig.DEFAULT_STARTUP_TIMEOUT;
        if (t.has("startup_timeout_sec")) {
            startup = seconds(t, path, "startup_timeout_sec");
        } else if (t.has("startup_timeout_ms")) {
            long ms = integer(t, path, "startup_timeout_ms", 0);
            if (ms <= 0) {
                throw error(path + ".startup_timeout_ms", "an integer > 0", t.get("startup_timeout_ms"));
            }
            startup = Duration.ofMillis(ms);
        }
        Duration toolTimeout =
                t.has("tool_timeout_sec") ? seconds(t, path, "tool_timeout_sec") : McpServerConfig.DEFAULT_TOOL_TIMEOUT;
        long maxMessage = integer(t, path, "max_message_bytes", McpServerConfig.DEFAULT_MAX_MESSAGE_BYTES);
        if (maxMessage < MIN_MESSAGE_BYTES || maxMessage > MAX_MESSAGE_BYTES) {
            throw error(
                    path + ".max_message_bytes",
                    "an integer from " + MIN_MESSAGE_BYTES + " (64 KiB) to " + MAX_MESSAGE_BYTES + " (1 GiB)",
                    t.get("max_message_bytes"));
        }
        String protocol = string(t, path, "protocol", McpServerConfig.PROTOCOL_AUTO);
        if (!McpServerConfig.PROTOCOLS.contains(protocol)) {
            throw error(
                    path + ".protocol",
                    "one of \"auto\" (probe the server), \"legacy\" or \"2026-07-28\"",
                    t.get("protocol"));
        }
        List<Path> roots = roots(t, path);
        boolean forwardRoots = bool(t, path, "forward_roots", false);
        if (forwardRoots && !roots.isEmpty()) {
            throw new ConfigException(
                    tree.originOf(path + ".forward_roots") + ": [" + path + "]: 'forward_roots = true'"
                            + " and 'roots' exclude each other: forward_roots offers each caller's own roots,"
                            + " roots offers fixed directories; keep one");
        }
        return new McpServerConfig(
                name,
                command,
                strings(t, path, "args"),
                stringTable(t, path, "env"),
                strings(t, path, "env_vars"),
                string(t, path, "cwd", null),
                url,
                string(t, path, "bearer_token_env_var", null),
                stringTable(t, path, "http_headers"),
                stringTable(t, path, "env_http_headers"),
                bool(t, path, "enabled", true),
                bool(t, path, "required", false),
                startup,
                toolTimeout,
                t.has("enabled_tools") ? strings(t, path, "enabled_tools") : null,
                strings(t, path, "disabled_tools"),
                roots,
                forwardRoots,
                (int) maxMessage,
                oauth(t, path, url, callbackPort),
                protocol);
    }

    /** {@code roots}: each entry as {@link McpServerConfig#root} takes it. */
    private List<Path> roots(ObjectNode t, String path) throws ConfigException {
        List<Path> out = new ArrayList<>();
        for (String raw : strings(t, path, "roots")) {
            try {
                out.add(McpServerConfig.root(raw));
            } catch (IllegalArgumentException e) {
                throw error(path + ".roots", e.getMessage(), t.get("roots"));
            }
        }
        return out;
    }

    private McpOAuthConfig oauth(ObjectNode server, String serverPath, String url, Integer callbackPort)
            throws ConfigException {
        ObjectNode t = table(server, serverPath, "oauth");
        if (t == null) {
            return McpOAuthConfig.NONE.withCallbackPort(callbackPort);
        }
        String p = serverPath + ".oauth";
        if (url == null) {
            throw new ConfigException(tree.originOf(p) + ": [" + p + "]: OAuth applies only to a 'url' (streamable "
                    + "HTTP) server; stdio servers get their credentials from their environment");
        }
        String metadataUrl = string(t, p, "client_metadata_url", null);
        if (metadataUrl != null && !isHttpsUrlWithPath(metadataUrl)) {
            throw urlError(
                    p + ".client_metadata_url",
                    "an https URL with a path (a Client ID Metadata Document)",
                    metadataUrl);
        }
        McpOAuthConfig.GrantType grant = enumValue(
                t,
                p,
                "grant_type",
                McpOAuthConfig.GrantType.AUTHORIZATION_CODE,
                McpOAuthConfig.GrantType::fromWireName,
                McpOAuthConfig.GrantType.values(),
                McpOAuthConfig.GrantType::wireName);
        String clientId = string(t, p, "client_id", null);
        String secretVar = string(t, p, "client_secret_env_var", null);
        String keyFile = string(t, p, "private_key_file", null);
        if (grant == McpOAuthConfig.GrantType.CLIENT_CREDENTIALS
                && (clientId == null || (secretVar == null && keyFile == null))) {
            throw new ConfigException(
                    tree.originOf(p + ".grant_type") + ": [" + p + "]: grant_type = "
                            + "\"client_credentials\" needs 'client_id' and either 'client_secret_env_var' or 'private_key_file'");
        }
        if (secretVar != null && keyFile != null) {
            throw new ConfigException(tree.originOf(p + ".private_key_file") + ": [" + p + "]: expected either "
                    + "'client_secret_env_var' or 'private_key_file', found both");
        }
        Integer ownPort = port(t, p, "callback_port");
        return new McpOAuthConfig(
                clientId,
                secretVar,
                strings(t, p, "scopes"),
                ownPort != null ? ownPort : callbackPort,
                metadataUrl,
                grant,
                keyFile == null ? null : resolvePath(keyFile).toString(),
                string(t, p, "signing_algorithm", null));
    }

    /** An absolute http(s) URL with a host, which is what connecting to a {@code url} server needs. */
    private static boolean isHttpUrl(String s) {
        try {
            URI u = new URI(s);
            return ("http".equalsIgnoreCase(u.getScheme()) || "https".equalsIgnoreCase(u.getScheme()))
                    && u.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static boolean isHttpsUrlWithPath(String s) {
        try {
            URI u = new URI(s);
            return "https".equals(u.getScheme())
                    && u.getHost() != null
                    && u.getPath() != null
                    && u.getPath().length() > 1;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private Integer port(ObjectNode t, String prefix, String key) throws ConfigException {
        if (!t.has(key)) {
            return null;
        }
        long port = integer(t, prefix, key, 0);
        if (port < 1 || port > 65_535) {
            throw error(join(prefix, key), "a TCP port (1-65535)", t.get(key));
        }
        return (int) port;
    }

    private SandboxWorkspaceWrite workspaceWrite(ObjectNode t) throws ConfigException {
        if (t == null) {
            return SandboxWorkspaceWrite.defaults();
        }
        String p = "sandbox_workspace_write";
        return new SandboxWorkspaceWrite(
                strings(t, p, "writable_roots"),
                bool(t, p, "network_access", false),
                bool(t, p, "exclude_tmpdir_env_var", false),
                bool(t, p, "exclude_slash_tmp", false));
    }

    private ShellEnvironmentPolicy shellPolicy(ObjectNode t) throws ConfigException {
        if (t == null) {
            return ShellEnvironmentPolicy.defaults();
        }
        String p = "shell_environment_policy";
        return new ShellEnvironmentPolicy(
                enumValue(
                        t,
                        p,
                        "inherit",
                        ShellEnvironmentPolicy.Inherit.ALL,
                        ShellEnvironmentPolicy.Inherit::fromWireName,
                        ShellEnvironmentPolicy.Inherit.values(),
                        ShellEnvironmentPolicy.Inherit::wireName),
                bool(t, p, "ignore_default_excludes", false),
                strings(t, p, "exclude"),
                strings(t, p, "include_only"),
                stringTable(t, p, "set"));
    }

    private Path resolvePath(String raw) {
        if (raw.equals("~") || raw.startsWith("~/")) {
            return Path.of(System.getProperty("user.home") + raw.substring(1)).normalize();
        }
        Path p = Path.of(raw);
        return p.isAbsolute() || configDir == null
                ? p.toAbsolutePath().normalize()
                : configDir.resolve(p).normalize();
    }

    // ---- typed accessors: each checks the type and names key, origin and expectation on error ----

    private static String join(String prefix, String key) {
        return prefix.isEmpty() ? key : prefix + "." + key;
    }

    private ObjectNode table(ObjectNode t, String prefix, String key) throws ConfigException {
        JsonNode v = t.get(key);
        return v == null ? null : asTable(v, join(prefix, key));
    }

    private ObjectNode asTable(JsonNode v, String path) throws ConfigException {
        if (!v.isObject()) {
            throw error(path, "a table", v);
        }
        return (ObjectNode) v;
    }

    private String string(ObjectNode t, String prefix, String key, String dflt) throws ConfigException {
        JsonNode v = t.get(key);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isString()) {
            throw error(join(prefix, key), "a string", v);
        }
        return v.asString();
    }

    private boolean bool(ObjectNode t, String prefix, String key, boolean dflt) throws ConfigException {
        JsonNode v = t.get(key);
        if (v == null) {
            return dflt;
        }
        if (!v.isBoolean()) {
            throw error(join(prefix, key), "a boolean (true or false)", v);
        }
        return v.booleanValue();
    }

    private long integer(ObjectNode t, String prefix, String key, long dflt) throws ConfigException {
        JsonNode v = t.get(key);
        if (v == null) {
            return dflt;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw error(join(prefix, key), "an integer", v);
        }
        return v.longValue();
    }

    private Duration seconds(ObjectNode t, String prefix, String key) throws ConfigException {
        JsonNode v = t.get(key);
        if (!v.isNumber() || v.doubleValue() <= 0 || v.doubleValue() > 86_400 * 365) {
            throw error(join(prefix, key), "a number of seconds > 0", v);
        }
        return Duration.ofMillis(Math.round(v.doubleValue() * 1000));
    }

    private List<String> strings(ObjectNode t, String prefix, String key) throws ConfigException {
        JsonNode v = t.get(key);
        if (v == null) {
            return List.of();
        }
        if (!v.isArray()) {
            throw error(join(prefix, key), "an array of strings", v);
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            if (!v.get(i).isString()) {
                throw error(
                        join(prefix, key), "an array of strings (element " + (i + 1) + " is not a string)", v.get(i));
            }
            out.add(v.get(i).asString());
        }
        return out;
    }

    private Map<String, String> stringTable(ObjectNode t, String prefix, String key) throws ConfigException {
        JsonNode v = t.get(key);
        if (v == null) {
            return Map.of();
        }
        String path = join(prefix, key);
        if (!v.isObject()) {
            throw error(path, "a table of strings, e.g. { NAME = \"value\" }", v);
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : v.properties()) {
            if (!e.getValue().isString()) {
                throw error(path + "." + e.getKey(), "a string", e.getValue());
            }
            out.put(e.getKey(), e.getValue().asString());
        }
        return out;
    }

    private <E> E enumValue(
            ObjectNode t,
            String prefix,
            String key,
            E dflt,
            Function<String, E> parse,
            E[] values,
            Function<E, String> wireName)
            throws ConfigException {
        JsonNode v = t.get(key);
        if (v == null) {
            return dflt;
        }
        String expected = "one of "
                + Arrays.stream(values)
                        .map(e -> "\"" + wireName.apply(e) + "\"")
                        .collect(Collectors.joining(", "));
        if (!v.isString()) {
            throw error(join(prefix, key), expected, v);
        }
        try {
            return parse.apply(v.asString());
        } catch (IllegalArgumentException e) {
            throw error(join(prefix, key), expected, v);
        }
    }

    private ConfigException missing(String tablePath, String key, String expected) {
        return new ConfigException(tree.originOf(tablePath) + ": [" + tablePath + "]: missing key '" + key
                + "' (expected " + expected + ")");
    }

    /**
     * The value itself is shown only when it came from a file and is not where secrets go ({@link Redact#secretValue});
     * an override's may be a secret too (type only).
     */
    private ConfigException error(String path, String expected, JsonNode got) {
        String origin = tree.originOf(path);
        return new ConfigException(origin + ": key '" + path + "': expected " + expected + ", got "
                + (ConfigOverride.isOrigin(origin) || Redact.secretValue(path) ? describeType(got) : describe(got)));
    }

    /** {@link #error} for a URL, shown without its password and query values ({@link Redact#url}). */
    private ConfigException urlError(String path, String expected, String got) {
        String origin = tree.originOf(path);
        return new ConfigException(origin + ": key '" + path + "': expected " + expected + ", got "
                + (ConfigOverride.isOrigin(origin) ? "a string" : "the string \"" + Redact.url(got) + "\""));
    }

    /** What kind of value {@code v} is, without the value: "a string", "an integer", "a table", ... */
    static String describeType(JsonNode v) {
        if (v == null) {
            return "nothing";
        }
        if (v.isString()) {
            return "a string";
        }
        if (v.isBoolean()) {
            return "a boolean";
        }
        if (v.isIntegralNumber()) {
            return "an integer";
        }
        if (v.isNumber()) {
            return "a float";
        }
        return describe(v); // arrays and tables are already described by type only
    }

    static String describe(JsonNode v) {
        if (v == null) {
            return "nothing";
        }
        if (v.isString()) {
            return "the string \"" + v.asString() + "\"";
        }
        if (v.isBoolean()) {
            return "the boolean " + v.booleanValue();
        }
        if (v.isIntegralNumber()) {
            return "the integer " + v;
        }
        if (v.isNumber()) {
            return "the float " + v;
        }
        if (v.isArray()) {
            return "an array";
        }
        if (v.isObject()) {
            return "a table";
        }
        return v.toString();
    }
}
