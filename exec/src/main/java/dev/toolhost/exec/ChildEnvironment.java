package dev.toolhost.exec;

import dev.toolhost.config.ShellEnvironmentPolicy;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Builds a child process environment from a {@link ShellEnvironmentPolicy}, in Codex's order:
 * inherit (all, core or none) → drop names containing KEY/SECRET/TOKEN (unless
 * {@code ignoreDefaultExcludes}) → drop {@code exclude} globs → apply {@code set} → keep only
 * {@code includeOnly} globs when that list is non-empty. Globs support {@code *} and {@code ?} and
 * match names case-insensitively. Used by the local backend, the tools and the exec-server's {@code envPolicy}.
 */
public final class ChildEnvironment {

    /** The variables {@code inherit = "core"} keeps. */
    public static final Set<String> CORE_VARS =
            Set.of("HOME", "LOGNAME", "PATH", "SHELL", "USER", "USERNAME", "TMPDIR", "TEMP", "TMP");

    private static final List<String> DEFAULT_EXCLUDES = List.of("*KEY*", "*SECRET*", "*TOKEN*");

    private ChildEnvironment() {}

    /** The environment of a child of this JVM under {@code policy}. */
    public static Map<String, String> build(ShellEnvironmentPolicy policy) {
        return build(policy, System.getenv());
    }

    public static Map<String, String> build(ShellEnvironmentPolicy policy, Map<String, String> parentEnv) {
        Map<String, String> env = new TreeMap<>();
        switch (policy.inherit()) {
            case ALL -> env.putAll(parentEnv);
            case CORE ->
                parentEnv.forEach((k, v) -> {
                    if (CORE_VARS.contains(k)) {
                        env.put(k, v);
                    }
                });
            case NONE -> {}
        }
        if (!policy.ignoreDefaultExcludes()) {
            removeMatching(env, DEFAULT_EXCLUDES);
        }
        removeMatching(env, policy.exclude());
        env.putAll(policy.set());
        if (!policy.includeOnly().isEmpty()) {
            List<Pattern> keep =
                    policy.includeOnly().stream().map(ChildEnvironment::glob).toList();
            env.keySet()
                    .removeIf(
                            name -> keep.stream().noneMatch(p -> p.matcher(name).matches()));
        }
        return env;
    }

    private static void removeMatching(Map<String, String> env, List<String> globs) {
        if (globs.isEmpty()) {
            return;
        }
        List<Pattern> drop = globs.stream().map(ChildEnvironment::glob).toList();
        env.keySet()
                .removeIf(name -> drop.stream().anyMatch(p -> p.matcher(name).matches()));
    }

    /** A case-insensitive regex for a {@code *}/{@code ?} glob. */
    static Pattern glob(String glob) {
        StringBuilder re = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char c : glob.toCharArray()) {
            if (c == '*' || c == '?') {
                if (!literal.isEmpty()) {
                    re.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                re.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (!literal.isEmpty()) {
            re.append(Pattern.quote(literal.toString()));
        }
        return Pattern.compile(re.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL);
    }
}
