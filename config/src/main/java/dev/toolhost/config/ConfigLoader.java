package dev.toolhost.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds the effective {@link ToolhostConfig}. Precedence, lowest first: built-in defaults, config
 * file, selected profile, {@code -c} overrides, dedicated flags.
 */
public final class ConfigLoader {
    private ConfigLoader() {}

    /**
     * The effective config of {@code request}; a profile of the file that is not selected but could not be used
     * (a wrong value, an unknown sandbox mode) is a warning, so that it is found before someone selects it.
     */
    public static LoadedConfig load(ConfigRequest request) throws ConfigException {
        String text = read(request.configFile());
        LoadedConfig loaded = load(request, text);
        if (text == null) {
            return loaded;
        }
        JsonNode profiles =
                TomlDocument.parse(request.configFile(), text).tree().get("profiles");
        if (profiles == null || !profiles.isObject()) {
            return loaded;
        }
        List<String> warnings = new ArrayList<>(loaded.warnings());
        for (String name : new TreeSet<>(profiles.propertyNames())) {
            try {
                load(
                        new ConfigRequest(
                                request.configFile(),
                                name,
                                request.overrides(),
                                request.sandbox(),
                                request.approval(),
                                request.cd(),
                                request.strict()),
                        text);
            } catch (ConfigException e) {
                warnings.add("profile '" + name + "' cannot be used: " + e.getMessage());
            }
        }
        return warnings.size() == loaded.warnings().size()
                ? loaded
                : new LoadedConfig(loaded.config(), loaded.origins(), warnings);
    }

    /**
     * Like {@link #load(ConfigRequest)} but with the file's text given (null: no file). Used to check an
     * edited config before it is written.
     */
    public static LoadedConfig load(ConfigRequest request, String fileText) throws ConfigException {
        Path cwd = resolveCwd(request.cd());
        List<ConfigOverride> overrides = new ArrayList<>();
        for (String raw : request.overrides()) {
            overrides.add(ConfigOverride.parse(raw));
        }

        LayeredTree tree = new LayeredTree();
        tree.apply(defaultsTree(), key -> "default");

        Map<String, String> unknown = new LinkedHashMap<>();
        TomlDocument doc = null;
        if (fileText != null) {
            doc = TomlDocument.parse(request.configFile(), fileText);
            List<String> keys = new ArrayList<>();
            KnownKeys.collectUnknown(doc.tree(), KnownKeys.ROOT, "", keys);
            List<String> misplaced = new ArrayList<>();
            for (String k : keys) {
                if (KnownKeys.isTopLevelKeyInTable(k)) {
                    misplaced.add(k);
                } else {
                    unknown.put(k, doc.where(k));
                }
            }
            if (!misplaced.isEmpty()) {
                throw misplacedKeys(doc, misplaced);
            }
            ObjectNode own = doc.tree().deepCopy();
            own.remove("profile");
            own.remove("profiles");
            TomlDocument d = doc;
            tree.apply(own, d::where);
        }

        String profile = selectProfile(request, overrides, doc);
        if (profile != null) {
            JsonNode profiles = doc == null ? null : doc.tree().get("profiles");
            JsonNode table = profiles == null ? null : profiles.get(profile);
            if (table == null) {
                throw new ConfigException("profile '" + profile + "' is not defined"
                        + (doc == null
                                ? " (no config file at " + request.configFile() + ")"
                                : " in " + request.configFile() + " (expected a [profiles." + profile + "] table"
                                        + definedProfiles(profiles) + ")"));
            }
            if (!table.isObject()) {
                throw new ConfigException(doc.where("profiles." + profile) + ": key 'profiles." + profile
                        + "': expected a table, got " + ConfigBinder.describe(table));
            }
            TomlDocument d = doc;
            tree.apply(
                    (ObjectNode) table,
                    key -> "profile " + profile + " (" + d.where("profiles." + profile + "." + key) + ")");
        }

        for (ConfigOverride o : overrides) {
            List<String> keys = new ArrayList<>();
            KnownKeys.collectUnknown(o.layer(), KnownKeys.ROOT, "", keys);
            for (String k : keys) {
                unknown.put(k, o.origin());
            }
            if (o.key().get(0).equals("profile") || o.key().get(0).equals("profiles")) {
                continue;
            }
            tree.apply(o.layer(), key -> o.origin());
        }
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (request.sandbox() != null) {
            tree.set("sandbox_mode", f.stringNode(request.sandbox().wireName()), "flag -s");
        }
        if (request.approval() != null) {
            tree.set("approval_policy", f.stringNode(request.approval().wireName()), "flag -a");
        }
        tree.origins().put("cwd", request.cd() != null ? "flag -C" : "default");

        List<String> warnings = new ArrayList<>();
        if (!unknown.isEmpty()) {
            List<String> described = new ArrayList<>();
            unknown.forEach((k, where) -> {
                String guess = KnownKeys.suggestion(k);
                described.add(k + " (" + where + (guess == null ? "" : "; did you mean " + guess + "?") + ")");
            });
            if (request.strict()) {
                throw new ConfigException(
                        "unknown config keys (rejected by --strict-config): " + String.join(", ", described));
            }
            warnings.add("ignoring config keys Toolhost does not use: " + String.join(", ", described));
        }
        Path configDir = request.configFile() == null
                ? null
                : request.configFile().toAbsolutePath().normalize().getParent();
        ToolhostConfig config = new ConfigBinder(tree, configDir).bind(cwd);
        if (config.sandboxMode() == SandboxMode.WORKSPACE_WRITE) {
            for (String root : config.sandboxWorkspaceWrite().writableRoots()) {
                Path dir = config.cwd().resolve(root).normalize();
                if (!Files.isDirectory(dir)) {
                    // The sandbox can only bind a directory that exists: say so now, not when a write fails.
                    warnings.add("sandbox_workspace_write.writable_roots: " + dir + " is not a directory, so it is not"
                            + " writable (" + tree.originOf("sandbox_workspace_write.writable_roots") + ")");
                }
            }
        }
        String rootPort = tree.origins().get("mcp_oauth_callback_port");
        for (String name : config.mcpServers().keySet()) {
            // A server's value read from another key is labelled with that key's origin: the root callback port
            // (when the server sets none), Codex's startup_timeout_ms (when startup_timeout_sec is not set).
            String server = "mcp_servers." + name + ".";
            originFrom(tree, server + "oauth.callback_port", rootPort, "mcp_oauth_callback_port");
            originFrom(
                    tree,
                    server + "startup_timeout_sec",
                    tree.origins().get(server + "startup_timeout_ms"),
                    "startup_timeout_ms");
        }
        return new LoadedConfig(config, tree.origins(), warnings);
    }

    /** Labels {@code key}, unless it has an origin of its own, with {@code origin} of the key {@code from}. */
    private static void originFrom(LayeredTree tree, String key, String origin, String from) {
        if (origin != null) {
            tree.origins().putIfAbsent(key, origin + " (" + from + ")");
        }
    }

    /**
     * Top-level keys written below a table header land in that table (TOML's rule), where they mean nothing;
     * ignoring them would only surface later as a confusing "no model is configured". One error names each
     * key, its line and the table it fell into, and says how to fix the file.
     */
    private static ConfigException misplacedKeys(TomlDocument doc, List<String> dottedKeys) {
        StringBuilder b = new StringBuilder();
        for (String dotted : dottedKeys) {
            int dot = dotted.lastIndexOf('.');
            b.append(doc.where(dotted))
                    .append(": '")
                    .append(dotted.substring(dot + 1))
                    .append("' is inside the [")
                    .append(dotted, 0, dot)
                    .append("] table, so it does not set Toolhost's '")
                    .append(dotted.substring(dot + 1))
                    .append("'\n");
        }
        return new ConfigException(b.append("In TOML every key after a [table] header belongs to that table, up to the"
                        + " next header. Move these lines above the first [table] header of " + doc.file()
                        + " (or into a [profiles.NAME] table for a profile).")
                .toString());
    }

    /** Built-in defaults only, with the given working directory. */
    public static ToolhostConfig defaults(Path cwd) {
        LayeredTree tree = new LayeredTree();
        tree.apply(defaultsTree(), key -> "default");
        try {
            return new ConfigBinder(tree, null).bind(cwd.toAbsolutePath().normalize());
        } catch (ConfigException e) {
            throw new IllegalStateException("built-in defaults are invalid: " + e.getMessage(), e);
        }
    }

    /** The built-in defaults as a config tree (the lowest layer). */
    static ObjectNode defaultsTree() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("model_provider", "openai");
        root.put("sandbox_mode", SandboxMode.READ_ONLY.wireName());
        root.put("approval_policy", ApprovalPolicy.ON_REQUEST.wireName());
        ObjectNode providers = root.putObject("model_providers");
        ObjectNode openai = providers.putObject("openai");
        openai.put("name", "OpenAI");
        openai.put("base_url", "https://api.openai.com/v1");
        openai.put("env_key", "OPENAI_API_KEY");
        openai.put("wire_api", WireApi.RESPONSES.wireName());
        ObjectNode ollama = providers.putObject("ollama");
        ollama.put("name", "Ollama");
        ollama.put("base_url", "http://127.0.0.1:11434/v1");
        ollama.put("wire_api", WireApi.CHAT.wireName());
        return root;
    }

    private static String selectProfile(ConfigRequest request, List<ConfigOverride> overrides, TomlDocument doc)
            throws ConfigException {
        if (request.profile() != null) {
            return request.profile();
        }
        String selected = null;
        if (doc != null && doc.tree().has("profile")) {
            JsonNode p = doc.tree().get("profile");
            if (!p.isString()) {
                throw new ConfigException(doc.where("profile") + ": key 'profile': expected the name of a "
                        + "[profiles.<name>] table, got " + ConfigBinder.describe(p));
            }
            selected = p.asString();
        }
        for (ConfigOverride o : overrides) {
            if (o.key().equals(List.of("profile"))) {
                if (!o.value().isString()) {
                    throw new ConfigException(o.origin() + ": key 'profile': expected the name of a "
                            + "[profiles.<name>] table, got " + ConfigBinder.describeType(o.value()));
                }
                selected = o.value().asString();
            }
        }
        return selected;
    }

    private static String definedProfiles(JsonNode profiles) {
        if (profiles == null || !profiles.isObject() || profiles.isEmpty()) {
            return "; none are defined";
        }
        return "; defined: " + String.join(", ", new TreeSet<>(profiles.propertyNames()));
    }

    private static Path resolveCwd(Path cd) throws ConfigException {
        Path base = Path.of("").toAbsolutePath();
        if (cd == null) {
            return base.normalize();
        }
        Path dir = base.resolve(cd).normalize();
        if (!Files.isDirectory(dir)) {
            throw new ConfigException("-C/--cd: " + dir + " is not a directory");
        }
        return dir;
    }

    private static String read(Path file) throws ConfigException {
        if (file == null || !Files.exists(file)) {
            return null;
        }
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new ConfigException(file + ": the config file is not valid UTF-8");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read the config file: " + e.getMessage());
        }
    }
}
