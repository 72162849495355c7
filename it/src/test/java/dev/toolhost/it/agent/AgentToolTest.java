package dev.toolhost.it.agent;

import static dev.toolhost.it.agent.ScriptedModelServer.call;
import static dev.toolhost.it.agent.ScriptedModelServer.calls;
import static dev.toolhost.it.agent.ScriptedModelServer.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.it.Peers;
import dev.toolhost.mcp.client.LosslessStdioClientTransport;
import dev.toolhost.mcp.client.StdioLaunch;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code agent} / {@code agent-reply} MCP tools of a spawned {@code toolhost mcp-server}, driven by the Java SDK. */
class AgentToolTest {
    @TempDir
    Path home;

    @TempDir
    Path work;

    @Test
    void theAgentToolRunsTheLoopAsksTheCallerForApprovalAndCanBeContinued() throws Exception {
        try (ScriptedModelServer model = ScriptedModelServer.start()) {
            model.reply(
                    calls(call("c1", "exec_command", Map.of("cmd", "touch made-by-agent"))),
                    text("Created the file."),
                    text("It is called made-by-agent."));
            List<String> args = new ArrayList<>(
                    List.of("mcp-server", "--only", "builtin,agent", "-s", "workspace-write", "-C", work.toString()));
            for (String o : model.configOverrides("responses")) {
                args.add("-c");
                args.add(o);
            }
            List<McpSchema.ElicitRequest> asked = new CopyOnWriteArrayList<>();
            List<String> logged = new CopyOnWriteArrayList<>();
            StdioLaunch launch = new StdioLaunch(
                    "toolhost",
                    Peers.toolhost(args.toArray(String[]::new)),
                    Map.of("TOOLHOST_HOME", home.toString(), "PATH", System.getenv("PATH")),
                    work,
                    home.resolve("server-stderr.log"));
            McpSyncClient client = McpClient.sync(new LosslessStdioClientTransport(launch))
                    .clientInfo(new McpSchema.Implementation("agent-it", "1"))
                    .requestTimeout(Duration.ofSeconds(60))
                    .initializationTimeout(Duration.ofSeconds(30))
                    .capabilities(
                            McpSchema.ClientCapabilities.builder().elicitation().build())
                    .elicitation(request -> {
                        asked.add(request);
                        return new McpSchema.ElicitResult(
                                McpSchema.ElicitResult.Action.ACCEPT, Map.of("decision", "approved"));
                    })
                    .loggingConsumer(n -> logged.add(n.data()))
                    .build();
            try (client) {
                client.initialize();
                client.setLoggingLevel(McpSchema.LoggingLevel.INFO);
                McpSchema.CallToolResult first = client.callTool(new McpSchema.CallToolRequest(
                        "agent", Map.of("prompt", "make a file", "approval-policy", "untrusted")));

                assertFalse(Boolean.TRUE.equals(first.isError()), first.toString());
                assertEquals(
                        "Created the file.",
                        ((McpSchema.TextContent) first.content().get(0)).text());
                assertTrue(
                        Files.exists(work.resolve("made-by-agent")),
                        "the approved command ran: " + model.requests().get(1).conversation() + " / asked " + asked
                                + " / log " + logged);
                assertEquals(1, asked.size(), "the untrusted command was put to the calling client");
                assertTrue(
                        asked.get(0).message().contains("touch made-by-agent"),
                        asked.get(0).message());
                String threadId = (String) ((Map<?, ?>) first.structuredContent()).get("threadId");
                assertTrue(
                        logged.stream().anyMatch(l -> l.contains("\"thread.started\"") && l.contains(threadId)),
                        logged.toString());
                assertTrue(logged.stream().anyMatch(l -> l.contains("\"command_execution\"")), logged.toString());

                McpSchema.CallToolResult second = client.callTool(new McpSchema.CallToolRequest(
                        "agent-reply", Map.of("threadId", threadId, "prompt", "what is it called?")));
                assertFalse(Boolean.TRUE.equals(second.isError()), second.toString());
                assertEquals(
                        "It is called made-by-agent.",
                        ((McpSchema.TextContent) second.content().get(0)).text());
                List<Map<String, Object>> input = model.requests().get(2).conversation();
                assertEquals("function_call", input.get(1).get("type"));
                assertEquals(5, input.size(), input.toString()); // user, call, output, answer, user
            }
        }
    }
}
