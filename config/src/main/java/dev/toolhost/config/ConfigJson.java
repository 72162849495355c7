package dev.toolhost.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The effective config as a tree with config.toml's key names, for {@code config show}, {@code mcp list}
 * and {@code mcp get} (as JSON, or rendered back as TOML-like text). It is for showing only: secrets are masked
 * ({@link Redact}): every value of {@code env}, {@code http_headers} and {@code shell_environment_policy.set} is
 * {@value Redact#MASK}, and URLs lose their password and query values. Names of variables ({@code env_vars},
 * {@code env_http_headers}, {@code bearer_token_env_var}, {@code env_key}) are shown as they are.
 */
public final class ConfigJson {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private ConfigJson() {}

    public static ObjectNode of(ToolhostConfig c) {
        ObjectNode o = F.objectNode();
        o.put("model", c.model());
        o.put("model_provider", c.modelProvider());
        o.put("sandbox_mode", c.sandboxMode().wireName());
        o.put("approval_policy", c.approvalPolicy().wireName());
        o.put("cwd", c.cwd().toString());
        o.put("exec_server_url", Redact.url(c.execServerUrl()));
        o.put(
                "exec_server_token_file",
                c.execServerTokenFile() == null ? null : c.execServerTokenFile().toString());
        ObjectNode sww = o.putObject("sandbox_workspace_write");
        sww.set("writable_roots", strings(c.sandboxWorkspaceWrite().writableRoots()));
        sww.put("network_access", c.sandboxWorkspaceWrite().networkAccess());
        sww.put("exclude_tmpdir_env_var", c.sandboxWorkspaceWrite().excludeTmpdirEnvVar());
        sww.put("exclude_slash_tmp", c.sandboxWorkspaceWrite().excludeSlashTmp());
        ShellEnvironmentPolicy sep = c.shellEnvironmentPolicy();
        ObjectNode s = o.putObject("shell_environment_policy");
        s.put("inherit", sep.inherit().wireName());
        s.put("ignore_default_excludes", sep.ignoreDefaultExcludes());
        s.set("exclude", strings(sep.exclude()));
        s.set("include_only", strings(sep.includeOnly()));
        s.set("set", table(Redact.values(sep.set())));
        ObjectNode providers = o.putObject("model_providers");
        for (ModelProviderConfig p : new TreeMap<>(c.modelProviders()).values()) {
            ObjectNode t = providers.putObject(p.id());
            t.put("name", p.name());
            t.put("base_url", Redact.url(p.baseUrl()));
            t.put("env_key", p.envKey());
            t.put("wire_api", p.wireApi().wireName());
            t.set("http_headers", table(Redact.values(p.httpHeaders())));
            t.set("env_http_headers", table(p.envHttpHeaders()));
            t.put("request_max_retries", p.requestMaxRetries());
            t.put("stream_idle_timeout_ms", p.streamIdleTimeoutMs());
            t.set("query_params", table(Redact.values(p.queryParams())));
        }
        o.set("mcp_servers", servers(c.mcpServers().values()));
        return o;
    }

    public static ObjectNode servers(Collection<McpServerConfig> servers) {
        ObjectNode o = F.objectNode();
        for (McpServerConfig s : servers) {
            o.set(s.name(), server(s));
        }
        return o;
    }

    /** One server's table, secrets masked; keys of the other transport are left out. */
    public static ObjectNode server(McpServerConfig s) {
        ObjectNode t = F.objectNode();
        if (s.isStdio()) {
            t.put("command", s.command());
            t.set("args", strings(s.args()));
            t.set("env", table(Redact.values(s.env())));
            t.set("env_vars", strings(s.envVars()));
            if (s.cwd() != null) {
                t.put("cwd", s.cwd());
            }
        } else {
            t.put("url", Redact.url(s.url()));
            if (s.bearerTokenEnvVar() != null) {
                t.put("bearer_token_env_var", s.bearerTokenEnvVar());
            }
            t.set("http_headers", table(Redact.values(s.httpHeaders())));
            t.set("env_http_headers", table(s.envHttpHeaders()));
            McpOAuthConfig a = s.oauth();
            if (!a.equals(McpOAuthConfig.NONE)) {
                ObjectNode o = t.putObject("oauth");
                putIfSet(o, "client_id", a.clientId());
                putIfSet(o, "client_secret_env_var", a.clientSecretEnvVar());
                if (!a.scopes().isEmpty()) {
                    o.set("scopes", strings(a.scopes()));
                }
                if (a.callbackPort() != null) {
                    o.put("callback_port", a.callbackPort());
                }
                putIfSet(o, "client_metadata_url", Redact.url(a.clientMetadataUrl()));
                o.put("grant_type", a.grantType().wireName());
                putIfSet(o, "private_key_file", a.privateKeyFile());
                putIfSet(o, "signing_algorithm", a.signingAlgorithm());
            }
        }
        t.put("enabled", s.enabled());
        t.put("required", s.required());
        putSeconds(t, "startup_timeout_sec", s.startupTimeout());
        putSeconds(t, "tool_timeout_sec", s.toolTimeout());
        if (s.enabledTools() != null) {
            t.set("enabled_tools", strings(s.enabledTools()));
        }
        t.set("disabled_tools", strings(s.disabledTools()));
        t.set("roots", strings(s.roots().stream().map(Path::toString).toList()));
        t.put("forward_roots", s.forwardRoots());
        t.put("max_message_bytes", s.maxMessageBytes());
        t.put("protocol", s.protocol());
        return t;
    }

    private static void putIfSet(ObjectNode t, String key, String value) {
        if (value != null) {
            t.put(key, value);
        }
    }

    private static void putSeconds(ObjectNode t, String key, Duration d) {
        if (d.toMillis() % 1000 == 0) {
            t.put(key, d.toSeconds());
        } else {
            t.put(key, d.toMillis() / 1000.0);
        }
    }

    private static ArrayNode strings(List<String> values) {
        ArrayNode a = F.arrayNode();
        values.forEach(a::add);
        return a;
    }

    private static ObjectNode table(Map<String, String> values) {
        ObjectNode t = F.objectNode();
        new TreeMap<>(values).forEach(t::put);
        return t;
    }
}
