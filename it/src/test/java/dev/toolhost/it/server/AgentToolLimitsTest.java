package dev.toolhost.it.server;

import static dev.toolhost.it.agent.ScriptedModelServer.text;
import static dev.toolhost.it.server.ServerFixtures.home;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.it.agent.ScriptedModelServer;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trial's findings against a real {@code toolhost mcp-server --http} with its defaults (read-only sandbox,
 * on-request approvals) and two legacy HTTP sessions: a client cannot widen the server's settings through
 * {@code agent}, and cannot continue another session's thread.
 */
class AgentToolLimitsTest {
    @TempDir
    Path tmp;

    @Test
    void aClientCanOnlyNarrowTheServerAndContinueOnlyItsOwnThreads() throws Exception {
        try (ScriptedModelServer model = ScriptedModelServer.start()) {
            model.reply(text("Hello from the agent."), text("Still here."));
            Path work = Files.createDirectories(tmp.resolve("work"));
            Path home = home(tmp.resolve("home"), "");
            List<String> args = new ArrayList<>(List.of("--only", "builtin,agent", "-C", work.toString()));
            for (String o : model.configOverrides("responses")) {
                args.add("-c");
                args.add(o);
            }
            try (var server = new ServerFixtures.HttpServerProcess(home, Map.of(), args.toArray(String[]::new));
                    McpSyncClient a = ServerFixtures.httpClient(server.url(), null);
                    McpSyncClient b = ServerFixtures.httpClient(server.url(), null)) {
                McpSchema.CallToolResult wider = a.callTool(new McpSchema.CallToolRequest(
                        "agent", Map.of("prompt", "go", "sandbox", "danger-full-access", "approval-policy", "never")));
                assertTrue(wider.isError(), wider.toString());
                assertEquals(
                        "sandbox 'danger-full-access' is wider than this server's 'read-only'; start the server with"
                                + " -s danger-full-access to allow it",
                        ServerFixtures.text(wider));

                Path marker = tmp.resolve("evil-ran");
                McpSchema.CallToolResult evil = a.callTool(new McpSchema.CallToolRequest(
                        "agent",
                        Map.of(
                                "prompt",
                                "go",
                                "config",
                                Map.of(
                                        "mcp_servers.evil.command",
                                        "sh",
                                        // a string: an array value is refused by the inputSchema before the key
                                        "mcp_servers.evil.args",
                                        "-c touch " + marker))));
                assertTrue(evil.isError(), evil.toString());
                assertTrue(
                        ServerFixtures.text(evil).startsWith("config key 'mcp_servers.evil."),
                        ServerFixtures.text(evil));

                McpSchema.CallToolResult outside = a.callTool(
                        new McpSchema.CallToolRequest("agent", Map.of("prompt", "go", "cwd", tmp.toString())));
                assertTrue(outside.isError(), outside.toString());
                assertTrue(
                        ServerFixtures.text(outside).contains("is outside this server's workspace"),
                        ServerFixtures.text(outside));
                assertEquals(List.of(), model.requests(), "nothing refused reached the model");

                McpSchema.CallToolResult started =
                        a.callTool(new McpSchema.CallToolRequest("agent", Map.of("prompt", "hi")));
                assertFalse(Boolean.TRUE.equals(started.isError()), started.toString());
                String threadId = (String) ((Map<?, ?>) started.structuredContent()).get("threadId");

                McpSchema.CallToolResult stolen = b.callTool(new McpSchema.CallToolRequest(
                        "agent-reply", Map.of("threadId", threadId, "prompt", "what did they say?")));
                assertTrue(stolen.isError(), stolen.toString());
                assertTrue(
                        ServerFixtures.text(stolen).startsWith("unknown threadId '" + threadId + "'"),
                        ServerFixtures.text(stolen));
                assertEquals(1, model.requests().size(), "another session's reply never reached the model");

                McpSchema.CallToolResult continued = a.callTool(
                        new McpSchema.CallToolRequest("agent-reply", Map.of("threadId", threadId, "prompt", "again")));
                assertEquals("Still here.", ServerFixtures.text(continued), continued.toString());

                Path sessions = home.resolve("sessions");
                assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(sessions)));
                assertEquals(
                        "rw-------",
                        PosixFilePermissions.toString(
                                Files.getPosixFilePermissions(sessions.resolve(threadId + ".jsonl"))));
                assertFalse(Files.exists(marker));
            }
        }
    }
}
