package dev.toolhost.config;

import java.nio.file.Path;

/**
 * Where Toolhost keeps its config, logs and sessions: the system property {@code toolhost.home} (for
 * tests), else {@code $TOOLHOST_HOME}, else {@code ~/.toolhost}.
 */
public final class ToolhostHome {
    private ToolhostHome() {}

    public static Path dir() {
        String prop = System.getProperty("toolhost.home");
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop).toAbsolutePath();
        }
        String env = System.getenv("TOOLHOST_HOME");
        if (env != null && !env.isBlank()) {
            return Path.of(env).toAbsolutePath();
        }
        return Path.of(System.getProperty("user.home"), ".toolhost");
    }

    public static Path defaultConfigFile() {
        return dir().resolve("config.toml");
    }
}
