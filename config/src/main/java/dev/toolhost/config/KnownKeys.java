package dev.toolhost.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.commons.text.similarity.LevenshteinDistance;
import tools.jackson.databind.JsonNode;

/**
 * The keys Toolhost reads. Everything else in a config (Codex has many keys Toolhost has no use for) is
 * reported once and ignored, or rejected under {@code --strict-config}.
 */
final class KnownKeys {
    private static final List<String> ROOT_KEYS = List.of(
            "model",
            "model_provider",
            "sandbox_mode",
            "approval_policy",
            "exec_server_url",
            "exec_server_token_file",
            "sandbox_workspace_write.writable_roots",
            "sandbox_workspace_write.network_access",
            "sandbox_workspace_write.exclude_tmpdir_env_var",
            "sandbox_workspace_write.exclude_slash_tmp",
            "shell_environment_policy.inherit",
            "shell_environment_policy.ignore_default_excludes",
            "shell_environment_policy.exclude",
            "shell_environment_policy.include_only",
            "shell_environment_policy.set.*",
            "model_providers.*.name",
            "model_providers.*.base_url",
            "model_providers.*.env_key",
            "model_providers.*.wire_api",
            "model_providers.*.http_headers.*",
            "model_providers.*.env_http_headers.*",
            "model_providers.*.request_max_retries",
            "model_providers.*.stream_idle_timeout_ms",
            "model_providers.*.query_params.*",
            "mcp_servers.*.command",
            "mcp_servers.*.args",
            "mcp_servers.*.env.*",
            "mcp_servers.*.env_vars",
            "mcp_servers.*.cwd",
            "mcp_servers.*.url",
            "mcp_servers.*.bearer_token_env_var",
            "mcp_servers.*.http_headers.*",
            "mcp_servers.*.env_http_headers.*",
            "mcp_servers.*.enabled",
            "mcp_servers.*.required",
            "mcp_servers.*.startup_timeout_sec",
            "mcp_servers.*.startup_timeout_ms",
            "mcp_servers.*.tool_timeout_sec",
            "mcp_servers.*.enabled_tools",
            "mcp_servers.*.disabled_tools",
            "mcp_servers.*.roots",
            "mcp_servers.*.forward_roots",
            "mcp_servers.*.max_message_bytes",
            "mcp_servers.*.oauth.client_id",
            "mcp_servers.*.oauth.client_secret_env_var",
            "mcp_servers.*.oauth.scopes",
            "mcp_servers.*.oauth.callback_port",
            "mcp_servers.*.oauth.client_metadata_url",
            "mcp_servers.*.oauth.grant_type",
            "mcp_servers.*.oauth.private_key_file",
            "mcp_servers.*.oauth.signing_algorithm",
            "mcp_oauth_callback_port",
            "mcp_servers.*.protocol");

    /** Keys allowed at the top of a profile table. */
    static final Node PROFILE = build(ROOT_KEYS);
    /** Keys allowed at the top of the file (the profile keys plus profile selection). */
    static final Node ROOT =
            build(ROOT_KEYS).with("profile", new Node()).with("profiles", new Node().with("*", PROFILE));

    private KnownKeys() {}

    static final class Node {
        private final Map<String, Node> children = new HashMap<>();

        Node with(String key, Node child) {
            children.put(key, child);
            return this;
        }

        Node child(String key) {
            Node n = children.get(key);
            return n != null ? n : children.get("*");
        }

        boolean isLeaf() {
            return children.isEmpty();
        }
    }

    private static Node build(List<String> patterns) {
        Node root = new Node();
        for (String pattern : patterns) {
            Node n = root;
            for (String segment : pattern.split("\\.")) {
                n = n.children.computeIfAbsent(segment, s -> new Node());
            }
        }
        return root;
    }

    /** True when {@code dotted} names a key (or table) Toolhost reads, e.g. {@code model}, {@code mcp_servers.x}. */
    static boolean isKnown(String dotted) {
        Node n = ROOT;
        for (String segment : dotted.split("\\.", -1)) {
            n = n.child(segment);
            if (n == null) {
                return false;
            }
        }
        return true;
    }

    /**
     * True when {@code dotted} is a key Toolhost reads at the top of the file (or of a profile) that ended up
     * inside another table: {@code model} written after {@code [mcp_servers.x]} is {@code mcp_servers.x.model}.
     */
    static boolean isTopLevelKeyInTable(String dotted) {
        int dot = dotted.lastIndexOf('.');
        if (dot < 0) {
            return false;
        }
        String key = dotted.substring(dot + 1);
        return !key.equals("*") && ROOT.children.containsKey(key);
    }

    /**
     * The known key that an unknown dotted key most likely misspells, as a dotted key ({@code mcp_servers.fs.
     * tool_timeout_sec} for {@code mcp_servers.fs.tool_timout_sec}): a sibling at most two edits away; else null.
     */
    static String suggestion(String dotted) {
        String[] segments = dotted.split("\\.");
        Node n = ROOT;
        for (int i = 0; i < segments.length - 1 && n != null; i++) {
            n = n.child(segments[i]);
        }
        String last = segments[segments.length - 1];
        if (n == null || last.length() < 3) {
            return null;
        }
        // Short keys get one edit (arg → args), longer ones two; else a known key it is the start of (sandbox →
        // sandbox_mode), when only one is.
        LevenshteinDistance distance = new LevenshteinDistance(last.length() < 5 ? 1 : 2);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        List<String> extending = new ArrayList<>();
        for (String known : new TreeSet<>(n.children.keySet())) {
            if (known.equals("*")) {
                continue;
            }
            int d = distance.apply(last, known);
            if (d >= 0 && d < bestDistance) {
                best = known;
                bestDistance = d;
            }
            if (known.startsWith(last + "_")) {
                extending.add(known);
            }
        }
        if (best == null && extending.size() == 1) {
            best = extending.get(0);
        }
        return best == null ? null : dotted.substring(0, dotted.length() - last.length()) + best;
    }

    /** Adds the dotted keys of {@code tree} that {@code schema} does not know to {@code out} (top-most only). */
    static void collectUnknown(JsonNode tree, Node schema, String prefix, List<String> out) {
        if (!tree.isObject()) {
            return;
        }
        for (Map.Entry<String, JsonNode> e : tree.properties()) {
            String path = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            Node child = schema.child(e.getKey());
            if (child == null) {
                out.add(path);
            } else if (!child.isLeaf()) {
                collectUnknown(e.getValue(), child, path, out);
            }
        }
    }
}
