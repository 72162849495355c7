package dev.toolhost.host;

import dev.toolhost.config.ToolhostHome;
import dev.toolhost.mcp.server.JsonWarmUp;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code toolhost} command. Subcommands are listed in {@link #SUBCOMMANDS} (one class each) and
 * registered by {@link Cli}.
 */
@Command(
        name = "toolhost",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "An MCP-centric tool host for coding agents.",
        footer = {
            "",
            "Exit codes: 0 ok, 1 the operation failed, 2 usage or configuration error.",
            "Log lines of the libraries inside Toolhost go to $TOOLHOST_HOME/logs/toolhost.log, not stderr"
                    + " (TOOLHOST_DEBUG=1 prints them too).",
            "The ./toolhost launcher builds the jar only for a person at a terminal; `./toolhost build` builds"
                    + " ahead for MCP clients and scripts."
        })
public final class Main implements Runnable {

    /** Every subcommand, in help order. */
    static final Map<String, Supplier<Object>> SUBCOMMANDS = subcommands();

    private static Map<String, Supplier<Object>> subcommands() {
        Map<String, Supplier<Object>> m = new LinkedHashMap<>();
        m.put("config", ConfigCommand::new);
        m.put("mcp", McpCommand::new);
        m.put("tools", ToolsCommand::new);
        m.put("call", CallCommand::new);
        m.put("exec", ExecCommand::new);
        m.put("mcp-server", McpServerCommand::new);
        m.put("exec-server", ExecServerCommand::new);
        return Collections.unmodifiableMap(m);
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    GlobalOptions global;

    public static void main(String[] args) {
        LogFile.install(ToolhostHome.dir().resolve("logs"));
        if ("mcp-server".equals(Cli.subcommandNamed(args))) {
            // MCP clients start it for every session: its JSON warm-up runs beside picocli building the command
            // line (tens of ms), off the way to the first answer.
            JsonWarmUp.start();
        }
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit code: 0 ok, 1 the operation failed, 2 usage or configuration error. */
    public static int run(String... args) {
        return Cli.create(args).execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
