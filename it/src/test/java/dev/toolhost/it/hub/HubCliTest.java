package dev.toolhost.it.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.it.Peers;
import dev.toolhost.mcp.client.ToolNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `toolhost mcp list`, `tools` and `call` as a user runs them, against real servers. */
class HubCliTest {
    @TempDir
    Path home;

    private Peers.Run toolhost(String... args) throws IOException, InterruptedException {
        return Peers.run(home, args);
    }

    @BeforeEach
    void config() throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("[mcp_servers.everything]");
        lines.add("command = \"" + Peers.bin("mcp-server-everything") + "\"");
        lines.add("disabled_tools = [\"get-env\"]");
        lines.add("[mcp_servers.broken]");
        lines.add("command = \"sh\"");
        lines.add("args = [\"-c\", \"echo 'config file missing' >&2; exit 2\"]");
        lines.add("[mcp_servers.off]");
        lines.add("command = \"true\"");
        lines.add("enabled = false");
        Files.write(home.resolve("config.toml"), lines);
    }

    @Test
    void aModernServersInputRequestsAreShownUnderTheServersNameNotTheTools() throws Exception {
        Peers.writeFixtureConfig(home);
        // No terminal: the input requests of this 2026-07-28 server are declined, with a message naming it.
        Peers.Run elicit = toolhost("call", "mcp__fixture__test_elicitation_sep1034_defaults", "{}");
        assertTrue(elicit.err().contains("MCP server 'fixture' asked for input"), elicit.err());
        assertFalse(elicit.err().contains("MCP server 'mcp__fixture__"), elicit.err());

        Peers.Run sample = toolhost("call", "mcp__fixture__test_input_required_result_sampling", "{}");
        String both = sample.out() + sample.err();
        assertTrue(both.contains("sampling requested by MCP server 'fixture'"), both);
        assertFalse(both.contains("MCP server 'mcp__fixture__"), both);
    }

    @Test
    void mcpListShowsLiveStatus() throws Exception {
        Peers.Run r = toolhost("mcp", "list");
        assertEquals(0, r.code(), r.err());
        String[] rows = r.out().split("\n");
        assertTrue(rows[0].matches("NAME\\s+TRANSPORT\\s+TARGET\\s+AUTH\\s+ERA\\s+STATUS"), r.out());
        assertTrue(
                rows[1].matches("everything\\s+stdio\\s+.*\\s+legacy \\(2025-11-25\\)\\s+ready \\(\\d+ tools\\)"),
                r.out());
        assertTrue(
                rows[2].matches("broken\\s+stdio\\s+sh -c .*\\s+-\\s+failed: exited with code 2.*; stderr: config file"
                        + " missing"),
                r.out());
        assertTrue(rows[3].matches("off\\s+stdio\\s+true\\s+unsupported\\s+-\\s+disabled"), r.out());

        Peers.Run json = toolhost("mcp", "list", "--json");
        assertEquals(0, json.code(), json.err());
        tools.jackson.databind.JsonNode everything = tools.jackson.databind.json.JsonMapper.builder()
                .build()
                .readTree(json.out())
                .get(0);
        assertEquals("legacy", everything.get("era").asString(), json.out());
        assertEquals("2025-11-25", everything.get("protocol_version").asString(), json.out());
        assertEquals("auto", everything.get("protocol").asString(), json.out());
        assertTrue(
                Files.readString(home.resolve("cache/mcp-eras.json")).contains("\"legacy\""),
                "the verdict is cached under TOOLHOST_HOME");
    }

    @Test
    void toolsListsBuiltinAndExternalToolsAndHidesDisabledOnes() throws Exception {
        Peers.Run r = toolhost("tools");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("exec_command\\s+builtin\\s+.*")), r.out());
        assertTrue(
                r.out().lines().anyMatch(l -> l.matches("mcp__everything__echo\\s+everything\\s+Echoes.*")), r.out());
        assertTrue(r.out().lines().noneMatch(l -> l.startsWith("mcp__everything__get-env")), r.out());
        assertTrue(r.err().contains("warning: MCP server 'broken' failed to start"), r.err());
        assertTrue(r.err().contains("config file missing"), "stderr tail in the warning: " + r.err());
    }

    @Test
    void callStartsOnlyTheServerItNeeds() throws Exception {
        Peers.Run r = toolhost("call", "mcp__everything__echo", "{\"message\":\"from the cli\"}");
        assertEquals(0, r.code(), r.err());
        assertEquals("Echo: from the cli\n", r.out());
        assertTrue(!r.err().contains("broken"), "the broken server was not started: " + r.err());
    }

    @Test
    void callFindsAToolWhoseLongNameWasCutAndHashedAndStartsNothingForAnUnknownServer() throws Exception {
        String server = "everything-under-a-name-long-enough-to-be-cut-in-its-tool-names";
        Files.writeString(
                home.resolve("config.toml"),
                Files.readString(home.resolve("config.toml"))
                        .replace("[mcp_servers.everything]", "[mcp_servers." + server + "]"));
        String hashed = ToolNames.qualify(server, "echo");
        assertFalse(hashed.startsWith("mcp__" + server), hashed);

        Peers.Run r = toolhost("call", hashed, "{\"message\":\"hashed\"}");
        assertEquals(0, r.code(), r.err());
        assertEquals("Echo: hashed\n", r.out());
        assertFalse(r.err().contains("broken"), "only the server the name can belong to was started: " + r.err());

        Peers.Run unknown = toolhost("call", "mcp__nosuch__echo", "{}");
        assertEquals(2, unknown.code(), unknown.err());
        assertEquals(
                "error: unknown tool 'mcp__nosuch__echo': no MCP server named 'nosuch' is configured; run `toolhost"
                        + " tools` to list the available tools\n",
                unknown.err());
    }

    @Test
    void callingAToolOfAServerThatIsDownSaysWhichServerAndWhyOnceAndExitsOne() throws Exception {
        Peers.Run r = toolhost("call", "mcp__broken__anything", "{}");
        assertEquals(1, r.code(), r.err());
        assertEquals("", r.out());
        assertTrue(
                r.err()
                        .startsWith("error: cannot call 'mcp__broken__anything': MCP server 'broken' failed to start:"
                                + " exited with code 2"),
                r.err());
        assertTrue(r.err().lines().noneMatch(l -> l.startsWith("warning")), "no warning repeating it: " + r.err());
        assertEquals(1, count(r.err(), "config file missing"), "the reason once: " + r.err());
        assertTrue(!r.err().contains("unknown tool"), r.err());

        Peers.Run disabled = toolhost("call", "mcp__off__anything", "{}");
        assertEquals(2, disabled.code(), disabled.err());
        assertTrue(
                disabled.err().contains("MCP server 'off' is disabled in the config (enabled = false)"),
                disabled.err());
    }

    @Test
    void libraryLogLinesGoToTheLogFileNotToTheTerminal() throws Exception {
        Files.writeString(
                home.resolve("config.toml"),
                "[mcp_servers.noisy]\ncommand = \"sh\"\n" + "args = [\"-c\", \"echo this-is-not-json-rpc; exit 3\"]\n");
        Peers.Run r = toolhost("mcp", "list");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("failed: exited with code 3"), r.out());
        for (String internal : List.of("dev.toolhost.", "io.modelcontextprotocol", "reactor.", "WARN", "Exception")) {
            assertTrue(!r.err().contains(internal), "no " + internal + " on stderr: " + r.err());
        }
        String log = Files.readString(home.resolve("logs/toolhost.log"), StandardCharsets.UTF_8);
        assertTrue(log.contains("this-is-not-json-rpc") && log.contains("LosslessStdioClientTransport"), log);
        // Private, like the transcripts in sessions/: a log line may name what only its user should see.
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("logs"))));
        for (String file : List.of("toolhost.log", "mcp-noisy.log")) {
            assertEquals(
                    "rw-------",
                    PosixFilePermissions.toString(
                            Files.getPosixFilePermissions(home.resolve("logs").resolve(file))),
                    file);
        }
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
