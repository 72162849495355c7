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
                return ue.exitCode();
            }
            commandLine.getErr().println("error: " + e);
            return FAILED;
        });
        return cli;
    }
}
