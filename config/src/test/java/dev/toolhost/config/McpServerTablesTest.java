package dev.toolhost.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

class McpServerTablesTest {

    private static String sample() throws IOException {
        try (var in = McpServerTablesTest.class.getResourceAsStream("/commented-sample.toml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static ObjectNode stdio(String command, String... args) {
        ObjectNode t = JsonNodeFactory.instance.objectNode();
        t.put("command", command);
        List.of(args).forEach(t.putArray("args")::add);
        t.putObject("env").put("TOKEN \"x\"", "a\\b");
        return t;
    }

    @Test
    void renderWritesParseableToml() throws Exception {
        String table = McpServerTables.render("my-server", stdio("node", "server.js", "--flag=1"));
        assertEquals(
                "[mcp_servers.my-server]\ncommand = \"node\"\nargs = [\"server.js\", \"--flag=1\"]\n"
                        + "env = { \"TOKEN \\\"x\\\"\" = \"a\\\\b\" }\n",
                table);
        McpServerConfig s = ConfigLoader.load(ConfigRequest.ofFile(null), table)
                .config()
                .mcpServers()
                .get("my-server");
        assertEquals("a\\b", s.env().get("TOKEN \"x\""));
        assertEquals(List.of("server.js", "--flag=1"), s.args());
    }

    @Test
    void addKeepsEveryByteAndRemoveRestoresTheFile() throws Exception {
        String original = sample();
        String table = McpServerTables.render("extra", stdio("x"));
        String added = McpServerTables.put(original, "extra", table);
        assertTrue(added.startsWith(original), "original bytes are a prefix");
        assertEquals(original + "\n" + table, added);
        assertEquals(original, McpServerTables.remove(added, "extra"));
    }

    @Test
    void removeTableInTheMiddleKeepsTheRest() throws Exception {
        String original = sample();
        String removed = McpServerTables.remove(original, "fs");
        String expected = original.substring(0, original.indexOf("[mcp_servers.fs]"))
                + original.substring(original.indexOf("# the documentation server"));
        assertEquals(expected, removed);
        assertFalse(removed.contains("LOG_LEVEL"), "sub-table [mcp_servers.fs.env] goes too");
        LoadedConfig c = ConfigLoader.load(ConfigRequest.ofFile(null), removed);
        assertEquals(List.of("docs"), List.copyOf(c.config().mcpServers().keySet()));
    }

    @Test
    void multiLineStringIsNotATableHeader() throws Exception {
        assertFalse(McpServerTables.hasTable(sample(), "fake"));
        assertTrue(McpServerTables.hasTable(sample(), "docs"));
        assertThrows(IllegalArgumentException.class, () -> McpServerTables.remove(sample(), "fake"));
    }

    @Test
    void replaceInPlace() throws Exception {
        String original = sample();
        ObjectNode http = JsonNodeFactory.instance.objectNode().put("url", "https://new.example/mcp");
        String replaced = McpServerTables.put(original, "docs", McpServerTables.render("docs", http));
        String before = original.substring(0, original.indexOf("[mcp_servers.docs]"));
        String after = original.substring(original.indexOf("\n[shell_environment_policy]"));
        assertEquals(before + "[mcp_servers.docs]\nurl = \"https://new.example/mcp\"\n" + after, replaced);
    }

    @Test
    void addToEmptyAndUnterminatedFiles() {
        String table = McpServerTables.render(
                "a", JsonNodeFactory.instance.objectNode().put("command", "x"));
        assertEquals(table, McpServerTables.put("", "a", table));
        assertEquals("model = \"m\"\n\n" + table, McpServerTables.put("model = \"m\"", "a", table));
        assertEquals(
                "model = \"m\"\r\n\r\n" + table.replace("\n", "\r\n"),
                McpServerTables.put("model = \"m\"\r\n", "a", table));
    }
}
