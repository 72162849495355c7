package dev.toolhost.host;

import dev.toolhost.config.ApprovalPolicy;
import dev.toolhost.config.ConfigException;
import dev.toolhost.config.ConfigLoader;
import dev.toolhost.config.ConfigRequest;
import dev.toolhost.config.LoadedConfig;
import dev.toolhost.config.SandboxMode;
import dev.toolhost.config.ToolhostHome;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options every command accepts. Subcommands add it with {@code @Mixin GlobalOptions global;}. */
public final class GlobalOptions {

    @Option(names = "-c", paramLabel = "key=value",
            description = "Override a config value (dotted key; value parsed as TOML, else a string). Repeatable.")
    List<String> overrides = new ArrayList<>();

    @Option(names = {"-p", "--profile"}, paramLabel = "NAME", description = "Config profile to apply.")
    String profile;

    @Option(names = "--config", paramLabel = "FILE", description = "Config file (default $TOOLHOST_HOME/config.toml).")
    Path configFile;

    @Option(names = {"-C", "--cd"}, paramLabel = "DIR", description = "Working directory for tools.")
    Path cd;

    @Option(names = {"-s", "--sandbox"}, paramLabel = "MODE",
            description = "read-only, workspace-write or danger-full-access.")
    String sandbox;

    @Option(names = {"-a", "--ask-for-approval"}, paramLabel = "POLICY",
            description = "untrusted, on-failure, on-request or never.")
    String approval;

    @Option(names = "--strict-config", description = "Treat unknown config keys as errors.")
    boolean strict;

    Path configFile() {
        return configFile != null ? configFile : ToolhostHome.defaultConfigFile();
    }

    /** Loads the effective config, or throws a usage error (exit 2) with the loader's message. */
    LoadedConfig load() {
        try {
            SandboxMode s = sandbox == null ? null : parse(() -> SandboxMode.fromWireName(sandbox), "-s/--sandbox",
                    sandbox, "read-only, workspace-write or danger-full-access");
            ApprovalPolicy a = approval == null ? null : parse(() -> ApprovalPolicy.fromWireName(approval),
                    "-a/--ask-for-approval", approval, "untrusted, on-failure, on-request or never");
            return ConfigLoader.load(new ConfigRequest(configFile(), profile, overrides, s, a, cd, strict));
        } catch (ConfigException e) {
            throw UserError.usage(e.getMessage());
        }
    }

    private static <T> T parse(java.util.function.Supplier<T> f, String flag, String value, String expected) {
        try {
            return f.get();
        } catch (IllegalArgumentException e) {
            throw UserError.usage(flag + ": '" + value + "' is not valid; expected " + expected);
        }
    }
}
