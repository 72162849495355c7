package dev.toolhost.host;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code toolhost} command. */
@Command(name = "toolhost",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "An MCP-centric tool host for coding agents.",
        subcommands = {
                ConfigCommand.class,
                McpCommand.class,
                ToolsCommand.class,
                CallCommand.class,
                ExecCommand.class,
                McpServerCommand.class,
                ExecServerCommand.class,
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    GlobalOptions global;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit code: 0 ok, 1 the operation failed, 2 usage or configuration error. */
    public static int run(String... args) {
        return Cli.create().execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
