package dev.toolhost.it.builtin;

import static dev.toolhost.it.builtin.BuiltinClient.structured;
import static dev.toolhost.it.builtin.BuiltinClient.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every built-in tool through a real SDK client over stdio against {@code toolhost mcp-server --only builtin}. */
class BuiltinToolsStdioTest {
    @TempDir
    static Path dir;

    static BuiltinClient mcp;

    @BeforeAll
    static void start() throws IOException {
        Files.writeString(dir.resolve("a.txt"), "one\ntwo\nthree\n");
        Files.createDirectories(dir.resolve("src"));
        Files.writeString(dir.resolve("src/Main.java"), "class Main { // TODO\n}\n");
        mcp = BuiltinClient.answering("denied", dir, "-s", "workspace-write", "-a", "never");
    }

    @AfterAll
    static void stop() {
        if (mcp != null) {
            mcp.close();
        }
    }

    @Test
    void listsEveryToolWithSchemas() {
        Map<String, McpSchema.Tool> tools =
                mcp.client.listTools().tools().stream().collect(Collectors.toMap(McpSchema.Tool::name, t -> t));
        assertEquals(
                List.of(
                        "apply_patch",
                        "exec_command",
                        "grep_files",
                        "list_dir",
                        "read_file",
                        "update_plan",
                        "view_image",
                        "write_stdin"),
                tools.keySet().stream().sorted().toList());
        assertEquals(List.of("cmd"), tools.get("exec_command").inputSchema().get("required"));
        assertNotNull(tools.get("exec_command").outputSchema());
        assertNotNull(tools.get("write_stdin").outputSchema());
    }

    @Test
    void execCommandReturnsExitCodeOutputAndStructuredContent() {
        McpSchema.CallToolResult r = mcp.call("exec_command", Map.of("cmd", "echo hello; exit 4", "login", false));
        assertFalse(r.isError(), text(r));
        assertTrue(text(r).startsWith("Process exited with code 4\nWall time: "), text(r));
        assertEquals(4, structured(r).get("exit_code"));
        assertEquals("hello\n", structured(r).get("output"));
    }

    @Test
    void execCommandErrorsAreToolErrors() {
        McpSchema.CallToolResult noCmd = mcp.call("exec_command", Map.of());
        assertTrue(noCmd.isError());
        assertTrue(text(noCmd).contains("cmd: required field is missing"), text(noCmd));
        McpSchema.CallToolResult badDir = mcp.call("exec_command", Map.of("cmd", "ls", "workdir", "missing"));
        assertTrue(badDir.isError());
        assertTrue(text(badDir).contains("not a directory"), text(badDir));
        McpSchema.CallToolResult badSession = mcp.call("write_stdin", Map.of("session_id", 9999, "chars", "x"));
        assertTrue(badSession.isError());
        assertTrue(text(badSession).contains("no running session with ID 9999"), text(badSession));
    }

    @Test
    void argumentsThatDoNotFitTheInputSchemaAreToolErrorsAndNothingRuns() throws IOException {
        Files.createDirectories(dir.resolve("sub"));
        Map<String, Object> wrongName = new LinkedHashMap<>();
        wrongName.put("cmd", "pwd > where.txt");
        wrongName.put("cwd", "sub");
        wrongName.put("timeout_ms", 1000);
        McpSchema.CallToolResult unknown = mcp.call("exec_command", wrongName);
        assertTrue(unknown.isError(), text(unknown));
        assertEquals(
                "invalid arguments for exec_command:"
                        + "\n  cwd: unknown field (allowed: [cmd, workdir, shell, login, tty, yield_time_ms,"
                        + " max_output_tokens, sandbox_permissions, justification])"
                        + "\n  timeout_ms: unknown field (allowed: [cmd, workdir, shell, login, tty, yield_time_ms,"
                        + " max_output_tokens, sandbox_permissions, justification])",
                text(unknown));
        assertFalse(Files.exists(dir.resolve("where.txt")), "the command ran in the default directory");

        McpSchema.CallToolResult tty = mcp.call("exec_command", Map.of("cmd", "touch tty-ran", "tty", "false"));
        assertTrue(tty.isError(), text(tty));
        assertEquals(
                "invalid arguments for exec_command:\n  tty: expected a boolean, got a string (\"false\")", text(tty));
        assertFalse(Files.exists(dir.resolve("tty-ran")));

        McpSchema.CallToolResult offset = mcp.call("read_file", Map.of("path", "a.txt", "offset", "2"));
        assertTrue(offset.isError(), text(offset));
        assertEquals(
                "invalid arguments for read_file:\n  offset: expected an integer, got a string (\"2\")", text(offset));
    }

    @Test
    void aLongRunningCommandIsContinuedWithWriteStdin() {
        McpSchema.CallToolResult first = mcp.call(
                "exec_command",
                Map.of(
                        "cmd",
                        "echo waiting; read a; read b; echo $a-$b",
                        "login",
                        false,
                        "tty",
                        true,
                        "yield_time_ms",
                        500));
        assertTrue(text(first).startsWith("Process running with session ID "), text(first));
        long id = ((Number) structured(first).get("session_id")).longValue();
        McpSchema.CallToolResult second = mcp.call("write_stdin", Map.of("session_id", id, "chars", "left\n"));
        assertTrue(text(second).startsWith("Process running with session ID " + id), text(second));
        McpSchema.CallToolResult third =
                mcp.call("write_stdin", Map.of("session_id", id, "chars", "right\n", "yield_time_ms", 10_000));
        assertTrue(text(third).startsWith("Process exited with code 0"), text(third));
        assertTrue(((String) structured(third).get("output")).endsWith("left-right\r\n"), text(third));
    }

    @Test
    void withoutTtyStdinIsAtEndOfInputAndWriteStdinOnlyPolls() {
        McpSchema.CallToolResult r = mcp.call("exec_command", Map.of("cmd", "cat; echo cat-done", "login", false));
        assertEquals(0, structured(r).get("exit_code"), text(r));
        assertEquals("cat-done\n", structured(r).get("output"));
        McpSchema.CallToolResult running =
                mcp.call("exec_command", Map.of("cmd", "sleep 30", "login", false, "yield_time_ms", 0));
        long id = ((Number) structured(running).get("session_id")).longValue();
        McpSchema.CallToolResult typed = mcp.call("write_stdin", Map.of("session_id", id, "chars", "x\n"));
        assertTrue(typed.isError(), text(typed));
        assertTrue(text(typed).contains("stdin is closed") && text(typed).contains("tty=true"), text(typed));
        assertFalse(mcp.call("write_stdin", Map.of("session_id", id)).isError());
    }

    @Test
    void bigOutputIsTruncatedInTheMiddle() {
        McpSchema.CallToolResult r =
                mcp.call("exec_command", Map.of("cmd", "seq 1 50000", "login", false, "max_output_tokens", 50));
        String out = (String) structured(r).get("output");
        assertTrue(out.startsWith("1\n2\n3\n") && out.endsWith("49999\n50000\n"), out);
        assertTrue(out.contains("tokens) of output truncated"), out);
        assertTrue(((Number) structured(r).get("truncated_bytes")).longValue() > 288_000);
    }

    @Test
    void theSandboxBlocksWritesOutsideTheWorkspaceAndNeverDoesNotAsk() {
        McpSchema.CallToolResult r =
                mcp.call("exec_command", Map.of("cmd", "touch /usr/toolhost-it-probe", "login", false));
        assertFalse(r.isError(), text(r));
        assertTrue(((Number) structured(r).get("exit_code")).intValue() != 0, text(r));
        assertEquals(true, structured(r).get("sandbox_denied"), text(r));
        assertFalse(Files.exists(Path.of("/usr/toolhost-it-probe")));
        assertTrue(mcp.elicitations.isEmpty());
        McpSchema.CallToolResult inside = mcp.call("exec_command", Map.of("cmd", "touch made-inside", "login", false));
        assertEquals(0, structured(inside).get("exit_code"), text(inside));
        assertTrue(Files.exists(dir.resolve("made-inside")));
    }

    @Test
    void applyPatchIsAllOrNothing() throws IOException {
        McpSchema.CallToolResult ok = mcp.call("apply_patch", Map.of("input", """
                *** Begin Patch
                *** Add File: notes/new.md
                +hi
                *** Update File: a.txt
                @@
                 one
                -two
                +TWO
                *** End Patch
                """));
        assertFalse(ok.isError(), text(ok));
        assertEquals("Success. Updated the following files:\nA notes/new.md\nM a.txt", text(ok));
        assertEquals("one\nTWO\nthree\n", Files.readString(dir.resolve("a.txt")));

        McpSchema.CallToolResult bad = mcp.call(
                "apply_patch",
                Map.of(
                        "input",
                        "*** Begin Patch\n*** Add File: never.txt\n+x\n*** Update File: a.txt\n@@\n-nope\n+x\n*** End Patch"));
        assertTrue(bad.isError());
        assertTrue(text(bad).contains("hunk 1 of 'a.txt'") && text(bad).contains("'nope'"), text(bad));
        assertFalse(Files.exists(dir.resolve("never.txt")));
        assertEquals("one\nTWO\nthree\n", Files.readString(dir.resolve("a.txt")));

        McpSchema.CallToolResult escape = mcp.call(
                "apply_patch", Map.of("input", "*** Begin Patch\n*** Add File: ../escaped.txt\n+x\n*** End Patch"));
        assertTrue(escape.isError());
        assertTrue(text(escape).contains("outside the writable roots"), text(escape));
        assertFalse(Files.exists(dir.resolve("../escaped.txt")));

        McpSchema.CallToolResult malformed = mcp.call("apply_patch", Map.of("input", "not a patch"));
        assertTrue(malformed.isError());
        assertTrue(text(malformed).contains("*** Begin Patch"), text(malformed));
    }

    @Test
    void fileToolsWork() throws IOException {
        Files.writeString(dir.resolve("r.txt"), "uno\ndos\ntres\n");
        assertEquals("L2: dos\nL3: tres\n", text(mcp.call("read_file", Map.of("path", "r.txt", "offset", 2))));
        assertTrue(mcp.call("read_file", Map.of("path", "nope.txt")).isError());

        String listing = text(mcp.call("list_dir", Map.of("depth", 2)));
        assertTrue(listing.contains("src/\n  Main.java\n"), listing);
        assertTrue(mcp.call("list_dir", Map.of("path", "a.txt")).isError());

        assertEquals(dir.resolve("src/Main.java") + "\n", text(mcp.call("grep_files", Map.of("pattern", "TODO"))));
        assertTrue(mcp.call("grep_files", Map.of("pattern", "[")).isError());

        McpSchema.CallToolResult plan =
                mcp.call("update_plan", Map.of("plan", List.of(Map.of("step", "test", "status", "in_progress"))));
        assertEquals("Plan updated\n[>] test\n", text(plan));
        assertEquals("Current plan\n[>] test\n", text(mcp.call("update_plan", Map.of())));
        assertTrue(mcp.call("update_plan", Map.of("plan", List.of(Map.of("step", "x", "status", "bogus"))))
                .isError());

        byte[] gif = Base64.getDecoder().decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");
        Files.write(dir.resolve("dot.gif"), gif);
        McpSchema.CallToolResult img = mcp.call("view_image", Map.of("path", "dot.gif"));
        McpSchema.ImageContent content =
                assertInstanceOf(McpSchema.ImageContent.class, img.content().get(0));
        assertEquals("image/gif", content.mimeType());
        assertTrue(mcp.call("view_image", Map.of("path", "a.txt")).isError());
    }
}
