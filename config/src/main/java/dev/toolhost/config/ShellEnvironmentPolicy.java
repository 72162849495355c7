package dev.toolhost.config;

import java.util.List;
import java.util.Map;

/**
 * The {@code [shell_environment_policy]} table: how the environment of every child process is built.
 *
 * @param inherit               "all", "core" or "none"
 * @param ignoreDefaultExcludes when false, variables whose names contain KEY, SECRET or TOKEN are dropped
 * @param exclude               glob patterns of variable names to drop
 * @param includeOnly           when non-empty, only names matching one of these globs are kept
 * @param set                   variables set explicitly (applied last)
 */
public record ShellEnvironmentPolicy(
        Inherit inherit,
        boolean ignoreDefaultExcludes,
        List<String> exclude,
        List<String> includeOnly,
        Map<String, String> set) {

    public enum Inherit {
        ALL("all"),
        CORE("core"),
        NONE("none");

        private final String wireName;

        Inherit(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        public static Inherit fromWireName(String name) {
            for (Inherit i : values()) {
                if (i.wireName.equals(name)) {
                    return i;
                }
            }
            throw new IllegalArgumentException(name);
        }
    }

    public ShellEnvironmentPolicy {
        exclude = List.copyOf(exclude);
        includeOnly = List.copyOf(includeOnly);
        set = Map.copyOf(set);
    }

    public static ShellEnvironmentPolicy defaults() {
        return new ShellEnvironmentPolicy(Inherit.ALL, false, List.of(), List.of(), Map.of());
    }
}
