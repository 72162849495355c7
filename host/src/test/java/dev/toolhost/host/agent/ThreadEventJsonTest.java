package dev.toolhost.host.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.host.model.Usage;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The exact {@code exec --json} lines (Codex's field names, nesting and order, unchanged from the map-built
 * events they replace), each of which also matches the published schema.
 */
class ThreadEventJsonTest {

    private static void assertLine(String expected, ThreadEvent event) {
        assertEquals(expected, event.toJsonLine());
        EventSchema.assertValid(event.toJsonLine());
    }

    @Test
    void turnEvents() {
        assertLine(
                "{\"type\":\"thread.started\",\"thread_id\":\"0199-abc\"}", new ThreadEvent.ThreadStarted("0199-abc"));
        assertLine("{\"type\":\"turn.started\"}", new ThreadEvent.TurnStarted());
        assertLine(
                "{\"type\":\"turn.completed\",\"usage\":{\"input_tokens\":10,\"cached_input_tokens\":4,"
                        + "\"output_tokens\":2}}",
                new ThreadEvent.TurnCompleted(new Usage(10, 4, 2)));
        assertLine(
                "{\"type\":\"turn.failed\",\"error\":{\"message\":\"turn cancelled\"}}",
                new ThreadEvent.TurnFailed("turn cancelled"));
        assertLine("{\"type\":\"error\",\"message\":\"model: 500\"}", new ThreadEvent.ErrorEvent("model: 500"));
    }

    @Test
    void messageItems() {
        assertLine(
                "{\"type\":\"item.completed\",\"item\":{\"id\":\"item_0\",\"type\":\"agent_message\","
                        + "\"text\":\"Done.\"}}",
                new ThreadEvent.ItemCompleted(new ThreadItem.AgentMessage("item_0", "Done.")));
        assertLine(
                "{\"type\":\"item.completed\",\"item\":{\"id\":\"item_1\",\"type\":\"reasoning\",\"text\":\"hm\"}}",
                new ThreadEvent.ItemCompleted(new ThreadItem.Reasoning("item_1", "hm")));
        assertLine(
                "{\"type\":\"item.completed\",\"item\":{\"id\":\"item_2\",\"type\":\"error\",\"message\":\"bad\"}}",
                new ThreadEvent.ItemCompleted(new ThreadItem.ErrorItem("item_2", "bad")));
    }

    @Test
    void commandExecutionKeepsANullExitCodeWhileRunning() {
        ToolCallItem call = ToolCallItem.of("item_3", "exec_command", Map.of("cmd", "ls"), null);
        assertLine(
                "{\"type\":\"item.started\",\"item\":{\"id\":\"item_3\",\"type\":\"command_execution\","
                        + "\"command\":\"ls\",\"aggregated_output\":\"\",\"exit_code\":null,\"status\":\"in_progress\"}}",
                new ThreadEvent.ItemStarted(call.item()));
        call.progress(new McpSchema.ProgressNotification("t", 1.0, null, "a.txt"));
        assertLine(
                "{\"type\":\"item.updated\",\"item\":{\"id\":\"item_3\",\"type\":\"command_execution\","
                        + "\"command\":\"ls\",\"aggregated_output\":\"a.txt\\n\",\"exit_code\":null,"
                        + "\"status\":\"in_progress\"}}",
                new ThreadEvent.ItemUpdated(call.item()));
        call.completed(
                McpSchema.CallToolResult.builder()
                        .addTextContent("Process exited with code 2\nOutput:\nno\n")
                        .isError(false)
                        .build(),
                "Process exited with code 2\nOutput:\nno\n");
        assertLine(
                "{\"type\":\"item.completed\",\"item\":{\"id\":\"item_3\",\"type\":\"command_execution\","
                        + "\"command\":\"ls\",\"aggregated_output\":\"no\\n\",\"exit_code\":2,\"status\":\"failed\"}}",
                new ThreadEvent.ItemCompleted(call.item()));
    }

    @Test
    void aCommandStillRunningWhenItsCallReturnsIsInProgressNotCompleted() {
        ToolCallItem call = ToolCallItem.of("item_3", "exec_command", Map.of("cmd", "sleep 30"), null);
        String text = "Chunk ID: 1\nWall time: 1.0 seconds\nProcess running with session ID 7\nOutput:\n";
        call.completed(
                McpSchema.CallToolResult.builder()
                        .addTextContent(text)
                        .structuredContent(Map.of("session_id", 7))
                        .isError(false)
                        .build(),
                text);
        assertLine(
                "{\"type\":\"item.completed\",\"item\":{\"id\":\"item_3\",\"type\":\"command_execution\","
                        + "\"command\":\"sleep 30\",\"aggregated_output\":\"\",\"exit_code\":null,"
                        + "\"status\":\"in_progress\"}}",
                new ThreadEvent.ItemCompleted(call.item()));
    }

    @Test
    void anApplyPatchRunThroughTheShellIsAFileChange() {
        String cmd = "apply_patch <<'EOF'\n*** Begin Patch\n*** Add File: a.txt\n+x\n*** End Patch\nEOF";
        ToolCallItem call = ToolCallItem.of("item_6", "exec_command", Map.of("cmd", cmd), null);
        assertLine(
                "{\"type\":\"item.started\",\"item\":{\"id\":\"item_6\",\"type\":\"file_change\","
                        + "\"changes\":[{\"path\":\"a.txt\",\"kind\":\"add\"}],\"status\":\"in_progress\"}}",
                new ThreadEvent.ItemStarted(call.item()));
        ToolCallItem other = ToolCallItem.of("item_7", "exec_command", Map.of("cmd", cmd, "shell", "/opt/x"), null);
        assertTrue(other.item() instanceof ThreadItem.CommandExecution, "another shell runs it as a command");
    }

    @Test
    void fileChangeNamesItsFilesAndAddsTheErrorAfterTheStatus() {
        String patch = "*** Begin Patch\n*** Add File: a.txt\n+x\n*** Delete File: b.txt\n*** Update File: c.txt\n"
                + "@@\n-a\n+b\n*** End Patch";
        ToolCallItem call = ToolCallItem.of("item_4", "apply_patch", Map.of("input", patch), null);
        String changes = "\"changes\":[{\"path\":\"a.txt\",\"kind\":\"add\"},{\"path\":\"b.txt\",\"kind\":\"delete\"},"
                + "{\"path\":\"c.txt\",\"kind\":\"update\"}]";
        assertLine(
                "{\"type\":\"item.started\",\"item\":{\"id\":\"item_4\",\"type\":\"file_change\"," + changes
                        + ",\"status\":\"in_progress\"}}",
                new ThreadEvent.ItemStarted(call.item()));
        call.failed("denied: read-only");
        assertLine(
                "{\"type\":\"item.completed\",\"item\":{\"id\":\"item_4\",\"type\":\"file_change\"," + changes
                        + ",\"status\":\"failed\",\"error\":{\"message\":\"denied: read-only\"}}}",
                new ThreadEvent.ItemCompleted(call.item()));
    }

    @Test
    void mcpToolCallShowsProgressThenItsResultOrError() {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("a", 1);
        args.put("b", null);
        ToolCallItem ok = ToolCallItem.of("item_5", "mcp__fs__read", args, null);
        String head = "{\"id\":\"item_5\",\"type\":\"mcp_tool_call\",\"server\":\"fs\",\"tool\":\"mcp__fs__read\","
                + "\"arguments\":{\"a\":1,\"b\":null},";
        ok.progress(new McpSchema.ProgressNotification("t", 1.0, 2.0, "half"));
        assertLine(
                "{\"type\":\"item.updated\",\"item\":" + head + "\"status\":\"in_progress\",\"progress\":\"half\"}}",
                new ThreadEvent.ItemUpdated(ok.item()));
        McpSchema.CallToolResult result = McpSchema.CallToolResult.builder()
                .addTextContent("ok")
                .addContent(new McpSchema.ImageContent(null, "iVBOR", "image/png"))
                .structuredContent(Map.of("n", 1))
                .isError(false)
                .build();
        ok.completed(result, "ok");
        // Each block as the server sent it, with its type.
        String content =
                "[{\"type\":\"text\",\"text\":\"ok\"},{\"type\":\"image\",\"data\":\"iVBOR\",\"mimeType\":\"image/png\"}]";
        assertLine(
                "{\"type\":\"item.completed\",\"item\":" + head + "\"status\":\"completed\",\"result\":{\"content\":"
                        + content + ",\"structured_content\":{\"n\":1}}}}",
                new ThreadEvent.ItemCompleted(ok.item()));

        ToolCallItem failed = ToolCallItem.of("item_5", "mcp__fs__read", args, null);
        failed.completed(
                McpSchema.CallToolResult.builder()
                        .addTextContent("boom")
                        .isError(true)
                        .build(),
                "boom");
        assertLine(
                "{\"type\":\"item.completed\",\"item\":" + head + "\"status\":\"failed\",\"error\":{\"message\":"
                        + "\"boom\"}}}",
                new ThreadEvent.ItemCompleted(failed.item()));
    }

    @Test
    void todoList() {
        ToolCallItem plan = ToolCallItem.of(
                "item_6",
                "update_plan",
                Map.of(
                        "plan",
                        List.of(
                                Map.of("step", "read", "status", "completed"),
                                Map.of("step", "write", "status", "pending"))),
                null);
        assertLine(
                "{\"type\":\"item.started\",\"item\":{\"id\":\"item_6\",\"type\":\"todo_list\",\"items\":["
                        + "{\"text\":\"read\",\"completed\":true},{\"text\":\"write\",\"completed\":false}]}}",
                new ThreadEvent.ItemStarted(plan.item()));
    }

    @Test
    void theSchemaRejectsWhatTheStreamNeverWrites() {
        assertFalse(EventSchema.validate("{\"type\":\"thread.started\"}").valid());
        assertFalse(EventSchema.validate("{\"type\":\"item.completed\",\"item\":{\"id\":\"item_0\","
                        + "\"type\":\"command_execution\",\"command\":\"ls\",\"aggregated_output\":\"\",\"status\":\"done\","
                        + "\"exit_code\":0}}")
                .valid());
        assertFalse(EventSchema.validate("{\"type\":\"turn.begun\"}").valid());
        assertFalse(EventSchema.validate("{\"type\":\"item.completed\",\"item\":{\"id\":\"item_0\","
                        + "\"type\":\"mcp_tool_call\",\"server\":\"s\",\"tool\":\"t\",\"arguments\":{},"
                        + "\"status\":\"completed\",\"result\":{\"content\":[{\"text\":\"no type\"}]}}}")
                .valid());
    }
}
