package dev.toolhost.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** `toolhost tools` and `toolhost call` in-process, with the built-in tools only (no config). */
class ToolsAndCallCommandTest {
    @TempDir
    Path home;

    @Test
    void toolsJsonListsBuiltinToolsWithServerAndSchema() {
        CliRun r = CliRun.run(home, "tools", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode tools = JsonMapper.builder().build().readTree(r.out());
        JsonNode readFile = null;
        for (JsonNode t : tools) {
            if (t.get("name").asString().equals("read_file")) {
                readFile = t;
            }
        }
        assertTrue(readFile != null, r.out());
        assertEquals("builtin", readFile.get("server").asString());
        assertEquals("object", readFile.get("inputSchema").get("type").asString());
    }

    @Test
    void callPrintsTextContent() throws Exception {
        Path file = home.resolve("hello.txt");
        Files.writeString(file, "hello\n");
        CliRun r = CliRun.run(home, "call", "read_file", "{\"path\":\"" + file + "\"}");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("L1: hello\n", r.out());
    }

    @Test
    void callJsonPrintsTheWholeResult() throws Exception {
        Path file = home.resolve("hello.txt");
        Files.writeString(file, "hello\n");
        CliRun r = CliRun.run(home, "call", "--json", "read_file", "{\"path\":\"" + file + "\"}");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode result = JsonMapper.builder().build().readTree(r.out());
        assertEquals("text", result.get("content").get(0).get("type").asString());
    }

    @Test
    void anExecServerThatCannotBeReachedFailsTheCallAndABadTokenFileIsAConfigError() throws Exception {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        String url = "exec_server_url=\"ws://127.0.0.1:" + closed + "\"";
        CliRun down = CliRun.run(home, "-c", url, "call", "exec_command", "{\"cmd\":\"true\"}");
        assertEquals(1, down.exitCode(), down.err());
        assertTrue(down.err().contains("cannot reach exec-server at ws://127.0.0.1:" + closed), down.err());
        CliRun noToken = CliRun.run(
                home,
                "-c",
                url,
                "-c",
                "exec_server_token_file=\"" + home.resolve("no-such-token") + "\"",
                "call",
                "exec_command",
                "{\"cmd\":\"true\"}");
        assertEquals(2, noToken.exitCode(), noToken.err());
        assertTrue(noToken.err().contains("does not exist"), noToken.err());
    }

    @Test
    void toolErrorExitsOne() {
        CliRun r = CliRun.run(home, "call", "read_file", "{\"path\":\"" + home.resolve("missing.txt") + "\"}");
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("does not exist"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void argumentsAreValidatedAgainstTheSchemaBeforeSending() {
        CliRun r = CliRun.run(home, "call", "read_file", "{\"offset\":\"x\"}");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("path: required field is missing"), r.err());
        assertTrue(r.err().contains("offset: expected an integer"), r.err());
    }

    @Test
    void badJsonNamesItsSourceLineColumnAndWhatWasUnexpected() throws Exception {
        CliRun arg = CliRun.run(home, "call", "read_file", "{\"path\": hi}");
        assertEquals(2, arg.exitCode());
        assertTrue(arg.err().startsWith("error: JSON_ARGS is not valid JSON (line 1, column "), arg.err());
        assertTrue(arg.err().contains("Unrecognized token 'hi'"), arg.err());
        assertEquals(1, arg.err().lines().count(), arg.err());

        InputStream stdin = System.in;
        try {
            System.setIn(new ByteArrayInputStream("{\n  \"path\": \"x\",\n  oops\n}".getBytes(StandardCharsets.UTF_8)));
            CliRun piped = CliRun.run(home, "call", "read_file", "-");
            assertEquals(2, piped.exitCode());
            assertTrue(
                    piped.err().startsWith("error: JSON_ARGS from stdin is not valid JSON (line 3, column "),
                    piped.err());
        } finally {
            System.setIn(stdin);
        }

        Path answers = Files.writeString(home.resolve("answers.json"), "{\"name\": \"Ada\",\n \"age\": 3x}");
        CliRun file = CliRun.run(home, "call", "--answers", answers.toString(), "read_file", "{}");
        assertEquals(2, file.exitCode());
        assertTrue(
                file.err().startsWith("error: --answers " + answers + " is not valid JSON (line 2, column "),
                file.err());
        assertFalse(file.err().contains("Failed to read value") || file.err().contains("\tat "), file.err());

        CliRun two = CliRun.run(home, "call", "read_file", "{\"path\": \"x\"} {\"y\": 1}");
        assertEquals(2, two.exitCode());
        assertTrue(two.err().contains("something follows the first JSON value; give exactly one"), two.err());
        assertFalse(two.err().contains("Trailing token"), two.err());

        CliRun missing =
                CliRun.run(home, "call", "--answers", home.resolve("nope.json").toString(), "read_file", "{}");
        assertEquals(2, missing.exitCode());
        assertTrue(missing.err().contains("nope.json: no such file"), missing.err());
    }

    @Test
    void badJsonAndUnknownToolsAreUsageErrors() {
        CliRun bad = CliRun.run(home, "call", "read_file", "{not json");
        assertEquals(2, bad.exitCode());
        assertTrue(bad.err().contains("JSON_ARGS is not valid JSON"), bad.err());
        CliRun notObject = CliRun.run(home, "call", "read_file", "[1]");
        assertEquals(2, notObject.exitCode());
        CliRun unknown = CliRun.run(home, "call", "no_such_tool");
        assertEquals(2, unknown.exitCode());
        assertTrue(unknown.err().contains("unknown tool 'no_such_tool'"), unknown.err());
    }

    @Test
    void callWaitsForExecCommandToEndInsteadOfYieldingASessionThatWouldDieWithIt() {
        CliRun r = CliRun.run(
                home,
                "-s",
                "danger-full-access",
                "-a",
                "never",
                "call",
                "exec_command",
                "{\"cmd\":\"sleep 1; echo done\",\"yield_time_ms\":100}");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("Process exited with code 0"), r.out());
        assertTrue(r.out().contains("done"), r.out());
        assertFalse(r.out().contains("session ID"), r.out());
    }

    @Test
    void callOfAnUnconfiguredServersToolStartsNothing() throws Exception {
        Path started = home.resolve("started");
        Files.writeString(
                home.resolve("config.toml"),
                "[mcp_servers.slow]\ncommand = \"sh\"\nargs = [\"-c\", \"touch '" + started + "'; sleep 30\"]\n");
        CliRun r = CliRun.run(home, "call", "mcp__nosuch__x", "{}");
        assertEquals(2, r.exitCode(), r.err());
        assertEquals(
                "error: unknown tool 'mcp__nosuch__x': no MCP server named 'nosuch' is configured; run `toolhost tools`"
                        + " to list the available tools\n",
                r.err());
        assertFalse(Files.exists(started), "no server was started");
    }

    @Test
    void onlyRejectsUnknownServers() {
        CliRun r = CliRun.run(home, "tools", "--only", "nope");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("no MCP server named 'nope'"), r.err());
    }
}
