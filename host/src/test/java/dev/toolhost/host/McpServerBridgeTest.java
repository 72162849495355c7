package dev.toolhost.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
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
    void flagErrorsComeBeforeAnyServerIsStarted() throws Exception {
        Path marker = home.resolve("started");
        Files.writeString(home.resolve("config.toml"), """
                [mcp_servers.slow]
                command = "sh"
                args = ["-c", "touch %s; sleep 30"]
                """.formatted(marker));
        CliRun badPort = CliRun.run(home, "mcp-server", "--http", "127.0.0.1:99999");
        assertEquals(2, badPort.exitCode(), badPort.err());
        assertTrue(badPort.err().contains("--http: port 99999 is out of range"), badPort.err());
        CliRun noName = CliRun.run(home, "mcp-server", "--only", "");
        assertEquals(2, noName.exitCode(), noName.err());
        assertTrue(noName.err().contains("--only needs at least one name"), noName.err());
        assertFalse(Files.exists(marker), "no server was started");
    }

    @Test
    void anUnknownOnlyNameIsAUsageErrorListingEverythingServable() throws Exception {
        Files.writeString(home.resolve("config.toml"), """
                [mcp_servers.docs]
                command = "node"
                args = ["docs.js"]
                """);
        CliRun r = CliRun.run(home, "mcp-server", "--only", "agent,nope");
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("--only: no MCP server named 'nope'; known: agent, builtin, docs"), r.err());
    }

    @Test
    @Timeout(60) // before the fix it served an empty server, without end
    void aDisabledServerIsAUsageErrorNamingTheServerAndTheKey() throws Exception {
        Files.writeString(home.resolve("config.toml"), """
                [mcp_servers.fixture]
                command = "node"
                args = ["fixture.js"]
                """);
        CliRun r = CliRun.run(
                home, "-c", "mcp_servers.fixture.enabled=false", "mcp-server", "--bridge", "fixture", "--http", ":0");
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(
                r.err()
                        .contains("--bridge: MCP server 'fixture' is disabled in the config"
                                + " (mcp_servers.fixture.enabled = false)"),
                r.err());
    }

    @Test
    @Timeout(60) // before the fix it warned "continuing without it" and served an empty server, without end
    void aServerThatFailsToStartEndsTheCommandWithExit1() throws Exception {
        Path missing = home.resolve("no-such-command");
        Files.writeString(
                home.resolve("config.toml"),
                "[mcp_servers.broken]\ncommand = \"" + missing + "\"\nstartup_timeout_sec = 20\n");
        CliRun r = CliRun.run(home, "mcp-server", "--bridge", "broken", "--http", ":0");
        assertEquals(1, r.exitCode(), r.err());
        assertTrue(r.err().contains("MCP server 'broken' failed to start"), r.err());
        assertTrue(r.err().contains("a bridge serves this one server"), r.err());
        // The process never started, so no era was probed: no hint about probing, and one space between words.
        assertFalse(r.err().contains("while probing"), r.err());
        assertFalse(r.err().lines().findFirst().orElseThrow().contains("  "), r.err());
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

    @Test
    void anAddressAlreadyInUseIsSaidSoWithoutAStackTrace() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String address = "127.0.0.1:" + taken.getLocalPort();
            CliRun r = CliRun.run(home, "mcp-server", "--http", address);
            assertEquals(1, r.exitCode(), r.err());
            assertEquals("error: cannot listen on " + address + ": the address is already in use\n", r.err());
        }
    }
}
