package dev.toolhost.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** With --json every failure is also one JSON object on stdout, in the shape the command's output already has. */
class JsonFailureTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path home;

    /** The one JSON object on stdout. */
    private static JsonNode onlyObject(CliRun r) {
        assertEquals(1, r.out().lines().count(), "one line on stdout: " + r.out());
        JsonNode node = JSON.readTree(r.out());
        assertTrue(node.isObject(), r.out());
        return node;
    }

    /** As a tool timeout reports itself: an isError result whose text is the message (also on stderr). */
    private static void assertCallFailure(CliRun r, int exitCode, String message) {
        assertEquals(exitCode, r.exitCode(), r.err());
        JsonNode result = onlyObject(r);
        assertTrue(result.get("isError").asBoolean(), r.out());
        assertEquals("text", result.get("content").get(0).get("type").asString());
        assertTrue(result.get("content").get(0).get("text").asString().contains(message), r.out());
        assertTrue(r.err().contains(message), r.err());
    }

    @Test
    void callUsageErrorsAreJsonOnStdout() {
        assertCallFailure(CliRun.run(home, "call", "--json", "no_such_tool"), 2, "unknown tool 'no_such_tool'");
        assertCallFailure(CliRun.run(home, "call", "--json", "read_file", "{not json"), 2, "JSON_ARGS is not valid");
        assertCallFailure(CliRun.run(home, "call", "--json"), 2, "Missing required parameter: 'TOOL'");
        assertCallFailure(CliRun.run(home, "call", "--json", "--bogus", "read_file"), 2, "--bogus");
    }

    @Test
    void callToAServerThatIsDownIsJsonOnStdout() throws Exception {
        Files.writeString(home.resolve("config.toml"), "[mcp_servers.down]\ncommand = \"false\"\n");
        assertCallFailure(CliRun.run(home, "call", "--json", "mcp__down__anything", "{}"), 1, "MCP server 'down'");
    }

    @Test
    void withoutJsonFailuresLeaveStdoutEmpty() {
        CliRun r = CliRun.run(home, "call", "no_such_tool");
        assertEquals(2, r.exitCode());
        assertEquals("", r.out());
    }

    @Test
    void execFailuresBeforeTheTurnAreAnErrorEvent() {
        InputStream stdin = System.in;
        for (String[] args : new String[][] {
            {"exec", "--json", "resume", "--last", "hi"},
            {"exec", "resume", "--json", "--last", "hi"},
            {"exec", "--json", "--bogus", "hi"},
            {"exec", "--json"}
        }) {
            // Without a PROMPT, exec reads one from stdin (not a terminal here): an empty one.
            System.setIn(new ByteArrayInputStream(new byte[0]));
            CliRun r;
            try {
                r = CliRun.run(home, args);
            } finally {
                System.setIn(stdin);
            }
            assertEquals(2, r.exitCode(), String.join(" ", args) + ": " + r.err());
            JsonNode event = onlyObject(r);
            assertEquals("error", event.get("type").asString(), r.out());
            assertTrue(r.err().contains(event.get("message").asString()), r.err());
        }
    }
}
