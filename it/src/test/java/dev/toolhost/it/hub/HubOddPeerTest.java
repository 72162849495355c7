package dev.toolhost.it.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.config.McpServerConfig;
import dev.toolhost.it.Peers;
import dev.toolhost.mcp.client.CallContext;
import dev.toolhost.mcp.client.McpHub;
import dev.toolhost.mcp.client.ToolHub;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 16 items 2 and 3: a peer's invalid list items and unreadable replies, against a real misbehaving server. */
class HubOddPeerTest {
    @TempDir
    Path dir;

    private final List<String> warnings = new CopyOnWriteArrayList<>();

    private McpHub hub(McpServerConfig config) {
        return hub(config, McpServerConfig.DEFAULT_MAX_MESSAGE_BYTES);
    }

    private McpHub hub(McpServerConfig config, int maxMessageBytes) {
        return McpHub.builder()
                .logDirectory(dir)
                .onWarning(warnings::add)
                .server(config.withTimeouts(Duration.ofSeconds(20), Duration.ofSeconds(60))
                        .withMaxMessageBytes(maxMessageBytes))
                .build();
    }

    private static McpSchema.CallToolResult call(McpHub hub, String tool, Map<String, Object> args) throws Exception {
        return hub.call(tool, args, CallContext.none()).get(90, TimeUnit.SECONDS);
    }

    @Test
    void invalidToolsAreRepairedOrLeftOutWithAWarningAndTheRestServed() {
        try (McpHub hub = hub(OddServer.config("odd"))) {
            assertEquals(
                    ToolHub.ServerStatus.State.READY,
                    hub.servers().get(0).state(),
                    hub.servers().toString());
            assertEquals(
                    Map.of("type", "object"),
                    hub.tool("mcp__odd__no_schema").tool().inputSchema());
            assertEquals(
                    "object", hub.tool("mcp__odd__untyped").tool().inputSchema().get("type"));
            assertNotNull(hub.tool("mcp__odd__good"));
            assertNull(hub.tool("mcp__odd__string_schema"));
            assertTrue(
                    warnings.stream()
                            .anyMatch(w -> w.contains("MCP server 'odd'")
                                    && w.contains("'string_schema'")
                                    && w.contains("left out")),
                    warnings.toString());
        }
    }

    @Test
    void theTypeScriptClientListsEveryToolThroughToolhost() throws Exception {
        Path home = dir.resolve("home");
        Files.createDirectories(home);
        Files.writeString(
                home.resolve("config.toml"),
                "[mcp_servers.odd]\ncommand = \"python3\"\nargs = " + OddServer.tomlArgs() + "\n");
        String script = """
                import { Client } from '@modelcontextprotocol/sdk/client/index.js';
                import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
                const [java, ...args] = JSON.parse(process.argv[1]);
                const transport = new StdioClientTransport({ command: java, args,
                    env: { ...process.env, TOOLHOST_HOME: process.argv[2] }, stderr: 'ignore' });
                const client = new Client({ name: 'ts-client', version: '1' });
                await client.connect(transport);
                const { tools } = await client.listTools();
                console.log(tools.map(t => t.name).sort().join(' '));
                await client.close();
                """;
        String command = io.modelcontextprotocol.json.McpJsonDefaults.getMapper()
                .writeValueAsString(Peers.toolhost("mcp-server"));
        ProcessBuilder pb = new ProcessBuilder("node", "--input-type=module", "-e", script, command, home.toString())
                .directory(Peers.peersDir().toFile())
                .redirectErrorStream(true);
        Process p = pb.start();
        assertTrue(p.waitFor(90, TimeUnit.SECONDS), "the TypeScript client finished");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        List<String> names = List.of(out.trim().split(" "));
        assertTrue(
                names.containsAll(
                        List.of("exec_command", "mcp__odd__good", "mcp__odd__no_schema", "mcp__odd__untyped")),
                out);
        assertFalse(names.contains("mcp__odd__string_schema"), out);
    }

    @Test
    void aValidReplyOverJacksonsDefaultStringLimitIsDelivered() throws Exception {
        try (McpHub hub = hub(OddServer.config("odd"))) {
            McpSchema.CallToolResult r = call(hub, "mcp__odd__big", Map.of("n", 25_000_000));
            assertFalse(Boolean.TRUE.equals(r.isError()), Servers.text(r).substring(0, 200));
            assertEquals(25_000_000, Servers.text(r).length());
        }
    }

    @Test
    void aReplyInABatchIsDelivered() throws Exception {
        try (McpHub hub = hub(OddServer.config("odd"))) {
            assertEquals("in a batch", Servers.text(call(hub, "mcp__odd__batch", Map.of())));
        }
    }

    @Test
    void aReplyThatCannotBeParsedFailsItsCallAtOnceWithTheReasonAndSize() throws Exception {
        try (McpHub hub = hub(OddServer.config("odd"))) {
            McpSchema.CallToolResult r = call(hub, "mcp__odd__broken", Map.of());
            assertEquals(Boolean.TRUE, r.isError());
            String text = Servers.text(r);
            assertTrue(text.contains("MCP server 'odd' sent a line of "), text);
            assertTrue(text.contains("bytes that could not be read: Unexpected character ('}'"), text);
            assertFalse(text.contains("timed out"), text);
            assertEquals("ok good", Servers.text(call(hub, "mcp__odd__good", Map.of())), "the session goes on");
        }
    }

    @Test
    void aReplyOverMaxMessageBytesFailsItsCallAtOnceNamingTheLimit() throws Exception {
        try (McpHub hub = hub(OddServer.config("odd"), 1 << 20)) {
            McpSchema.CallToolResult r = call(hub, "mcp__odd__big", Map.of("n", 3_000_000));
            assertEquals(Boolean.TRUE, r.isError());
            String text = Servers.text(r);
            assertTrue(text.contains("sent a line of 3000"), text);
            assertTrue(text.contains("it is longer than max_message_bytes (1048576 bytes)"), text);
            assertEquals("ok good", Servers.text(call(hub, "mcp__odd__good", Map.of())), "the session goes on");
        }
    }
}
