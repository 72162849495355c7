package dev.toolhost.host;

import dev.toolhost.config.McpServerConfig;
import dev.toolhost.config.McpServerTables;
import dev.toolhost.config.Redact;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

@Command(
        name = "add",
        mixinStandardHelpOptions = true,
        description = {
            "Add an MCP server to config.toml.",
            "  stdio:  toolhost mcp add NAME [--env K=V]... [--env-var NAME]... -- COMMAND [ARGS...]",
            "  HTTP:   toolhost mcp add NAME --url URL [--bearer-token-env-var VAR] [--header K=V]...",
            "Roots (either): --root DIR... offers fixed directories; --forward-roots offers each caller's own.",
            "--protocol auto|legacy|2026-07-28 pins the MCP era (default auto: probe the server)."
        })
final class McpAddCommand implements Callable<Integer> {
    private static final Pattern PAIR_SEPARATOR = Pattern.compile("([^:=\\s]*)([:=\\s]).*", Pattern.DOTALL);
    static final Pattern NAME = Pattern.compile("^[a-zA-Z0-9_-]+$");

    @Mixin
    GlobalOptions global;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "Server name (letters, digits, _ and -).")
    String name;

    @Parameters(
            index = "1..*",
            paramLabel = "COMMAND",
            description = "Command and arguments of a stdio server (after --).")
    List<String> command = new ArrayList<>();

    @Option(names = "--env", paramLabel = "K=V", description = "Environment variable to set for a stdio server.")
    List<String> env = new ArrayList<>();

    @Option(
            names = "--env-var",
            paramLabel = "NAME",
            description = "Environment variable passed through to a stdio server.")
    List<String> envVars = new ArrayList<>();

    @Option(names = "--url", paramLabel = "URL", description = "URL of a streamable HTTP server.")
    String url;

    @Option(
            names = "--bearer-token-env-var",
            paramLabel = "VAR",
            description = "Env var holding the HTTP bearer token.")
    String bearerTokenEnvVar;

    @Option(names = "--header", paramLabel = "K=V", description = "HTTP header sent to the server.")
    List<String> headers = new ArrayList<>();

    @Option(
            names = "--root",
            paramLabel = "DIR",
            description = "Existing directory, absolute or ~/..., no '..', offered to the server as an MCP root"
                    + " (repeatable; 'roots').")
    List<String> roots = new ArrayList<>();

    @Option(
            names = "--forward-roots",
            description = "Offer each call the roots of the MCP client that made it, and no others"
                    + " ('forward_roots'; not with --root).")
    boolean forwardRoots;

    @Option(
            names = "--protocol",
            paramLabel = "ERA",
            description =
                    "MCP era to speak: auto (probe the server; the default), legacy or 2026-07-28" + " ('protocol').")
    String protocol;

    @Option(names = "--replace", description = "Replace a server of the same name.")
    boolean replace;

    @Override
    public Integer call() {
        validateName(name);
        ObjectNode body = body();
        ConfigFileEdit edit = ConfigFileEdit.open(global.configFile());
        boolean exists = edit.current().config().mcpServers().containsKey(name);
        if (exists && !replace) {
            throw UserError.usage(
                    "MCP server '" + name + "' already exists in " + edit.file() + "; use --replace to overwrite it");
        }
        if (exists && !McpServerTables.hasTable(edit.text(), name)) {
            throw UserError.failed("MCP server '" + name + "' in " + edit.file() + " is not written as an [mcp_servers."
                    + name + "] table, so toolhost cannot replace it; edit the file by hand");
        }
        edit.write(text -> McpServerTables.put(text, name, McpServerTables.render(name, body)));
        PrintWriter out = spec.commandLine().getOut();
        out.println((exists ? "Replaced" : "Added") + " MCP server '" + name + "' in " + edit.file());
        out.flush();
        return Cli.OK;
    }

    static void validateName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw UserError.usage("invalid server name '" + name + "': use only letters, digits, '_' and '-'");
        }
    }

    private ObjectNode body() {
        ObjectNode t = JsonNodeFactory.instance.objectNode();
        boolean stdio = !command.isEmpty();
        if (stdio == (url != null)) {
            throw UserError.usage(
                    stdio
                            ? "give either a command (after --) or --url, not both"
                            : "missing server: give a command after -- (stdio) or --url URL (streamable HTTP)");
        }
        if (stdio) {
            if (bearerTokenEnvVar != null || !headers.isEmpty()) {
                throw UserError.usage("--bearer-token-env-var and --header apply only to --url servers");
            }
            t.put("command", command.get(0));
            if (command.size() > 1) {
                command.subList(1, command.size()).forEach(t.putArray("args")::add);
            }
            if (!env.isEmpty()) {
                ObjectNode e = t.putObject("env");
                pairs(env, "--env").forEach(e::put);
            }
            if (!envVars.isEmpty()) {
                envVars.forEach(t.putArray("env_vars")::add);
            }
        } else {
            if (!env.isEmpty() || !envVars.isEmpty()) {
                throw UserError.usage("--env and --env-var apply only to stdio servers (a command after --)");
            }
            if (!(url.startsWith("http://") || url.startsWith("https://"))) {
                throw UserError.usage("--url: '" + Redact.url(url) + "' is not an http:// or https:// URL");
            }
            t.put("url", url);
            if (bearerTokenEnvVar != null) {
                t.put("bearer_token_env_var", bearerTokenEnvVar);
            }
            if (!headers.isEmpty()) {
                ObjectNode h = t.putObject("http_headers");
                pairs(headers, "--header").forEach(h::put);
            }
        }
        if (forwardRoots && !roots.isEmpty()) {
            throw UserError.usage("give either --root (fixed directories) or --forward-roots (each caller's own"
                    + " roots), not both");
        }
        roots.forEach(McpAddCommand::checkRoot);
        if (!roots.isEmpty()) {
            roots.forEach(t.putArray("roots")::add);
        }
        if (forwardRoots) {
            t.put("forward_roots", true);
        }
        if (protocol != null) {
            if (!McpServerConfig.PROTOCOLS.contains(protocol)) {
                throw UserError.usage("--protocol: expected one of auto (probe the server), legacy or 2026-07-28,"
                        + " got '" + protocol + "'");
            }
            t.put("protocol", protocol);
        }
        return t;
    }

    /**
     * The rules of the config's {@code roots} key ({@link McpServerConfig#root}), and, since the server is being added
     * now, an existing directory: a typo would otherwise become a root that serves nothing.
     */
    private static void checkRoot(String raw) {
        Path dir;
        try {
            dir = McpServerConfig.root(raw);
        } catch (IllegalArgumentException e) {
            throw UserError.usage("--root '" + raw + "': expected " + e.getMessage());
        }
        if (!Files.exists(dir)) {
            throw UserError.usage("--root '" + raw + "': directory " + dir + " does not exist");
        }
        if (!Files.isDirectory(dir)) {
            throw UserError.usage("--root '" + raw + "': " + dir + " is not a directory");
        }
    }

    private static Map<String, String> pairs(List<String> raw, String option) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String r : raw) {
            int eq = r.indexOf('=');
            if (eq <= 0) {
                throw UserError.usage(option + " '" + shownPair(r) + "': expected KEY=VALUE");
            }
            out.put(r.substring(0, eq), r.substring(eq + 1));
        }
        return out;
    }

    /**
     * A malformed {@code KEY=VALUE} as an error shows it: what follows a ':', '=' or space may be a secret, e.g. a
     * header written as curl takes it ({@code "Authorization: Bearer ..."}).
     */
    private static String shownPair(String raw) {
        Matcher m = PAIR_SEPARATOR.matcher(raw);
        return m.matches() ? m.group(1) + m.group(2).strip() + " " + Redact.MASK : raw;
    }
}
