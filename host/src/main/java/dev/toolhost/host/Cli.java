package dev.toolhost.host;

import picocli.CommandLine;

/** Builds the picocli command line with Toolhost's exit-code and error conventions. */
final class Cli {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    private Cli() {
    }

    static CommandLine create() {
        CommandLine cli = new CommandLine(new Main());
        cli.setExitCodeExceptionMapper(e -> e instanceof UserError ue ? ue.exitCode() : FAILED);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof UserError ue) {
                commandLine.getErr().println("error: " + ue.getMessage());
                commandLine.getErr().flush();
                return ue.exitCode();
            }
            commandLine.getErr().println("error: " + e);
            if (System.getenv("TOOLHOST_DEBUG") != null) {
                e.printStackTrace(commandLine.getErr());
            } else {
                commandLine.getErr().println("(set TOOLHOST_DEBUG=1 to see the stack trace)");
            }
            commandLine.getErr().flush();
            return FAILED;
        });
        cli.setParameterExceptionHandler((e, args) -> {
            CommandLine c = e.getCommandLine();
            c.getErr().println("error: " + e.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(e, c.getErr());
            if (c.getCommandSpec().userObject() instanceof McpAddCommand
                    && e instanceof CommandLine.UnmatchedArgumentException) {
                c.getErr().println("Put the server's command after --, e.g. toolhost mcp add NAME -- npx -y PACKAGE");
            }
            c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for usage.");
            c.getErr().flush();
            return USAGE;
        });
        everyCommand(cli);
        return cli;
    }

    /** Every command answers --help and --version, whoever wrote it. */
    private static void everyCommand(CommandLine c) {
        c.getCommandSpec().mixinStandardHelpOptions(true);
        c.getCommandSpec().versionProvider(new Version());
        c.getSubcommands().values().forEach(Cli::everyCommand);
    }
}
