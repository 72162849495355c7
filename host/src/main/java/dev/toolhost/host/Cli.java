package dev.toolhost.host;

import dev.toolhost.config.ToolhostHome;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;

/** Builds the picocli command line with Toolhost's exit-code and error conventions. */
final class Cli {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    private Cli() {}

    /** The command line with every subcommand registered. */
    static CommandLine create() {
        return create(Main.SUBCOMMANDS.keySet());
    }

    /**
     * The command line for these arguments: only the subcommand they name is registered (or none for a
     * bare --version), because picocli builds each registered command's model reflectively at start and
     * MCP clients start {@code toolhost mcp-server} for every session. Anything else gets them all (so
     * help, suggestions and errors see every subcommand).
     */
    static CommandLine create(String... args) {
        String named = subcommandNamed(args);
        if (named != null) {
            // First, the subcommand leaves the root nothing to parse: a bare root spares its model (its options,
            // help mixin and reflection, ~10 ms of a cold start).
            return named.equals(args[0]) ? create(List.of(named), true) : create(List.of(named), false);
        }
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            return create(List.of(), false);
        }
        return create();
    }

    private static CommandLine create(Collection<String> subcommands) {
        return create(subcommands, false);
    }

    /**
     * @param bareRoot the root is a spec named {@code toolhost} with no options, for arguments that start with the
     *                 subcommand's name (so the root parses nothing); usage, errors and exit codes are the same
     */
    private static CommandLine create(Collection<String> subcommands, boolean bareRoot) {
        CommandLine cli = bareRoot
                ? new CommandLine(CommandLine.Model.CommandSpec.create().name("toolhost"))
                : new CommandLine(new Main());
        for (String name : subcommands) {
            cli.addSubcommand(name, Main.SUBCOMMANDS.get(name).get());
        }
        cli.setExitCodeExceptionMapper(e -> e instanceof UserError ue ? ue.exitCode() : FAILED);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof UserError ue) {
                printJsonFailure(commandLine, false, ue.getMessage(), ue.exitCode());
                commandLine.getErr().println("error: " + ue.getMessage());
                commandLine.getErr().flush();
                return ue.exitCode();
            }
            // A failure nobody turned into a UserError: say what failed in one line; the stack trace goes to the log.
            String message = e.getMessage() != null && !e.getMessage().isBlank()
                    ? e.getMessage()
                    : "unexpected " + e.getClass().getSimpleName();
            printJsonFailure(commandLine, false, message, FAILED);
            commandLine.getErr().println("error: " + message);
            Logger.getLogger("toolhost")
                    .log(Level.SEVERE, commandLine.getCommandSpec().qualifiedName(" ") + " failed", e);
            if (System.getenv("TOOLHOST_DEBUG") == null) { // with it, the log lines are on stderr already
                commandLine
                        .getErr()
                        .println("(details in " + ToolhostHome.dir().resolve("logs/toolhost.log")
                                + "; TOOLHOST_DEBUG=1 prints them here)");
            }
            commandLine.getErr().flush();
            return FAILED;
        });
        cli.setParameterExceptionHandler((e, args) -> {
            CommandLine c = e.getCommandLine();
            printJsonFailure(c, List.of(args).contains("--json"), e.getMessage(), USAGE);
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
        if (bareRoot) {
            cli.getSubcommands().values().forEach(Cli::everyCommand);
        } else {
            everyCommand(cli);
        }
        return cli;
    }

    /**
     * With --json, a failure is also one JSON object on stdout (the message goes to stderr as always).
     *
     * @param jsonInArgs --json is among the raw arguments (parsing failed, so the command's fields may not say)
     */
    private static void printJsonFailure(CommandLine c, boolean jsonInArgs, String message, int exitCode) {
        if (c.getCommandSpec().userObject() instanceof JsonFailure f && (jsonInArgs || f.jsonRequested())) {
            c.getOut().println(f.jsonFailure(message, exitCode));
            c.getOut().flush();
        }
    }

    /** Global options that take a value, which is then not a subcommand name. */
    private static final Set<String> OPTIONS_WITH_VALUE =
            Set.of("-c", "-p", "--profile", "--config", "-C", "--cd", "-s", "--sandbox", "-a", "--ask-for-approval");

    /** The first argument that is a subcommand name, skipping global options and their values; or null. */
    static String subcommandNamed(String... args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (OPTIONS_WITH_VALUE.contains(a)) {
                i++;
            } else if (!a.startsWith("-")) {
                return Main.SUBCOMMANDS.containsKey(a) ? a : null;
            }
        }
        return null;
    }

    /** Every command answers --help and --version, whoever wrote it. */
    private static void everyCommand(CommandLine c) {
        if (!c.getCommandSpec().mixinStandardHelpOptions()) { // setting it again would build its model again
            c.getCommandSpec().mixinStandardHelpOptions(true);
        }
        c.getCommandSpec().versionProvider(new Version());
        c.getSubcommands().values().forEach(Cli::everyCommand);
    }
}
