package dev.toolhost.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CliTest {
    @Test
    void findsTheSubcommandPastGlobalOptions() {
        assertEquals("config", Cli.subcommandNamed("config", "show"));
        assertEquals(
                "mcp-server",
                Cli.subcommandNamed("-c", "model=x", "-p", "fast", "--strict-config", "-C", "mcp", "mcp-server"));
        assertEquals("mcp", Cli.subcommandNamed("--config=/x.toml", "-cmodel=x", "mcp", "list"));
        assertNull(Cli.subcommandNamed("--help"));
        assertNull(Cli.subcommandNamed("bogus", "config"));
    }

    @Test
    void registersOnlyWhatTheArgumentsCanUse() {
        assertEquals(
                Set.of("mcp-server"),
                Cli.create("-s", "read-only", "mcp-server", "--help")
                        .getSubcommands()
                        .keySet());
        assertEquals(Set.of(), Cli.create("--version").getSubcommands().keySet());
        assertEquals(
                List.copyOf(Main.SUBCOMMANDS.keySet()),
                List.copyOf(Cli.create("--help").getSubcommands().keySet()));
        assertEquals(
                List.copyOf(Main.SUBCOMMANDS.keySet()),
                List.copyOf(Cli.create("confgi").getSubcommands().keySet()));
    }

    @Test
    void startingWithTheSubcommandSparesTheRootModel() {
        assertFalse(Cli.create("mcp-server").getCommandSpec().userObject() instanceof Main);
        assertInstanceOf(
                Main.class,
                Cli.create("-s", "read-only", "mcp-server").getCommandSpec().userObject());
        assertInstanceOf(Main.class, Cli.create("--help").getCommandSpec().userObject());
    }

    /** The command line built for the arguments answers exactly as the full tree does: output, errors, exit code. */
    @Test
    void aBareRootAnswersLikeTheFullTree(@TempDir Path home) {
        for (List<String> args : List.of(
                List.of("mcp-server", "--help"),
                List.of("mcp-server", "--version"),
                List.of("mcp-server", "--bogus"),
                List.of("mcp-server", "foo"),
                List.of("mcp-server", "--max-concurrent-calls", "x"),
                List.of("mcp-server", "--only"),
                List.of("mcp-server", "--replica-id", "a"),
                List.of("mcp-server", "-s", "bogus"),
                List.of("mcp-server", "--config", home.resolve("missing.toml").toString()),
                List.of("config", "show", "--bogus"),
                List.of("mcp", "--help"))) {
            String[] a = args.toArray(String[]::new);
            Answer full = answer(Cli.create(), home, a);
            assertEquals(full, answer(Cli.create(a), home, a), String.join(" ", args));
            assertFalse(full.err().isEmpty() && full.out().isEmpty(), String.join(" ", args));
        }
    }

    private record Answer(int exitCode, String out, String err) {}

    private static Answer answer(CommandLine cli, Path home, String... args) {
        String previous = System.getProperty("toolhost.home");
        System.setProperty("toolhost.home", home.toString());
        try {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(err, true));
            int code = cli.execute(args);
            return new Answer(code, out.toString(), err.toString());
        } finally {
            if (previous == null) {
                System.clearProperty("toolhost.home");
            } else {
                System.setProperty("toolhost.home", previous);
            }
        }
    }
}
