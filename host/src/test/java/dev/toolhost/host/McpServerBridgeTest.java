package dev.toolhost.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mcp-server --bridge NAME}: usage errors before anything is served. */
class McpServerBridgeTest {
    @TempDir
    Path home;

    @Test
    void anUnknownServerIsAUsageErrorNamingTheConfiguredOnes() throws Exception {
        Files.writeString(home.resolve("config.toml"), """
                [mcp_servers.docs]
                command = "node"
                args = ["docs.js"]

                [mcp_servers.api]
                url = "https://api.example/mcp"
                """);
        CliRun r = CliRun.run(home, "mcp-server", "--bridge", "nope");
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(
                r.err().contains("--bridge: no MCP server named 'nope' is configured; configured: api, docs"), r.err());

        CliRun builtin = CliRun.run(home, "mcp-server", "--bridge", "builtin");
        assertEquals(2, builtin.exitCode(), builtin.err());
        assertTrue(builtin.err().contains("no MCP server named 'builtin'"), builtin.err());
    }

    @Test
    void withoutServersItSaysHowToAddOne() {
        CliRun r = CliRun.run(home, "mcp-server", "--bridge", "docs");
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("(there are none: add one with `toolhost mcp add`)"), r.err());
    }

    @Test
    void bridgeAndOnlyDoNotMix() {
        CliRun r = CliRun.run(home, "mcp-server", "--bridge", "docs", "--only", "docs");
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(
                r.err().contains("--bridge serves one server by itself; it cannot be combined with --only"), r.err());
    }
}
