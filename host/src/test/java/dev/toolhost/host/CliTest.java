package dev.toolhost.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

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
}
