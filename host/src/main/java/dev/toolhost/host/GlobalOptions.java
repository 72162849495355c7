package dev.toolhost.host;

import dev.toolhost.config.ApprovalPolicy;
import dev.toolhost.config.ConfigException;
import dev.toolhost.config.ConfigLoader;
import dev.toolhost.config.ConfigRequest;
import dev.toolhost.config.LoadedConfig;
import dev.toolhost.config.SandboxMode;
import dev.toolhost.config.ToolhostHome;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Options every command accepts. Subcommands add it with {@code @Mixin GlobalOptions global;}. Each
 * command level has its own instance (so the options work before and after a subcommand name); the
 * methods here combine them: {@code -c} values in command-line order, other options the last one given.
 */
public final class GlobalOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(
            names = "-c",
            paramLabel = "key=value",
            description = "Override a config value (dotted key; value parsed as TOML, else a string). Repeatable.")
    List<String> overrides = new ArrayList<>();

    @Option(
            names = {"-p", "--profile"},
            paramLabel = "NAME",
            description = "Config profile to apply.")
    String profile;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "Config file; it must exist (default $TOOLHOST_HOME/config.toml, which may be absent).")
    Path configFile;

    @Option(
            names = {"-C", "--cd"},
            paramLabel = "DIR",
            description = "Working directory for tools.")
    Path cd;

    @Option(
            names = {"-s", "--sandbox"},
            paramLabel = "MODE",
            description = "read-only, workspace-write or danger-full-access.")
    String sandbox;

    @Option(
            names = {"-a", "--ask-for-approval"},
            paramLabel = "POLICY",
            description = "untrusted, on-failure, on-request or never.")
    String approval;

    @Option(names = "--strict-config", description = "Treat unknown config keys as errors.")
    boolean strict;

    /**
     * The config file to read and edit. The default one may be absent (built-in defaults apply); a file named
     * with {@code --config} must exist, because reading a mistyped path as an empty config hides the mistake.
     *
     * @throws UserError (exit 2) naming the file when {@code --config} names a file that does not exist
     */
    Path configFile() {
        Path file = null;
        for (GlobalOptions g : chain()) {
            file = g.configFile != null ? g.configFile : file;
        }
        if (file == null) {
            return ToolhostHome.defaultConfigFile();
        }
        if (!Files.exists(file)) {
            throw UserError.usage("--config " + file + ": no such file (--config must name an existing file; "
                    + "create an empty one to start from the built-in defaults)");
        }
        return file;
    }

    /** The request these options describe, combined over the command levels. */
    ConfigRequest request() {
        List<String> allOverrides = new ArrayList<>();
        String p = null;
        Path dir = null;
        String s = null;
        String a = null;
        boolean strictAny = false;
        for (GlobalOptions g : chain()) {
            allOverrides.addAll(g.overrides);
            p = g.profile != null ? g.profile : p;
            dir = g.cd != null ? g.cd : dir;
            s = g.sandbox != null ? g.sandbox : s;
            a = g.approval != null ? g.approval : a;
            strictAny |= g.strict;
        }
        String sv = s;
        String av = a;
        SandboxMode mode = s == null
                ? null
                : parse(
                        () -> SandboxMode.fromWireName(sv),
                        "-s/--sandbox",
                        s,
                        "read-only, workspace-write or danger-full-access");
        ApprovalPolicy policy = a == null
                ? null
                : parse(
                        () -> ApprovalPolicy.fromWireName(av),
                        "-a/--ask-for-approval",
                        a,
                        "untrusted, on-failure, on-request or never");
        return new ConfigRequest(configFile(), p, allOverrides, mode, policy, dir, strictAny);
    }

    /**
     * Loads the effective config, printing its warnings (one line each) on stderr; throws a usage error
     * (exit 2) with the loader's message when the config is wrong.
     */
    LoadedConfig load() {
        try {
            LoadedConfig loaded = ConfigLoader.load(request());
            PrintWriter err = mixee != null ? mixee.commandLine().getErr() : new PrintWriter(System.err, true);
            for (String w : loaded.warnings()) {
                err.println("warning: " + w);
            }
            err.flush();
            return loaded;
        } catch (ConfigException e) {
            throw UserError.usage(e.getMessage());
        }
    }

    /** The instances of this mixin from the root command down to this one. */
    private List<GlobalOptions> chain() {
        List<GlobalOptions> out = new ArrayList<>();
        if (mixee == null) {
            out.add(this);
            return out;
        }
        for (CommandSpec s = mixee; s != null; s = s.parent()) {
            for (CommandSpec m : s.mixins().values()) {
                if (m.userObject() instanceof GlobalOptions g) {
                    out.add(0, g);
                    break;
                }
            }
        }
        if (out.isEmpty()) {
            out.add(this);
        }
        return out;
    }

    private static <T> T parse(Supplier<T> f, String flag, String value, String expected) {
        try {
            return f.get();
        } catch (IllegalArgumentException e) {
            throw UserError.usage(flag + ": '" + value + "' is not valid; expected " + expected);
        }
    }
}
