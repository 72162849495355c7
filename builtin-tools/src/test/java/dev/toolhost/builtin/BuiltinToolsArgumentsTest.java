package dev.toolhost.builtin;

import static dev.toolhost.builtin.TestSupport.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.config.ApprovalPolicy;
import dev.toolhost.config.SandboxMode;
import dev.toolhost.exec.local.LocalExecBackend;
import dev.toolhost.mcp.core.McpRequest;
import dev.toolhost.mcp.core.Outcome;
import dev.toolhost.mcp.core.RequestMeta;
import dev.toolhost.mcp.core.RequestSink;
import dev.toolhost.mcp.core.RequestStates;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every built-in tool checks its arguments against its published inputSchema through {@link BuiltinTools#call},
 * the path every caller takes (MCP in both eras, the hub, the agent loop): an unknown field or a value of the
 * wrong type is an isError result naming the field, and nothing runs.
 */
class BuiltinToolsArgumentsTest {
    private static final String PATCH = "*** Begin Patch\n*** Add File: patched.txt\n+x\n*** End Patch";

    @TempDir
    Path dir;

    LocalExecBackend backend;
    BuiltinTools tools;

    @BeforeEach
    void setUp() throws IOException {
        Files.writeString(dir.resolve("a.txt"), "one\ntwo\n");
        backend = new LocalExecBackend();
        tools = BuiltinTools.create(
                TestSupport.config(dir, SandboxMode.DANGER_FULL_ACCESS, ApprovalPolicy.NEVER),
                backend,
                RequestStates.random(Duration.ofMinutes(5), Clock.systemUTC()));
    }

    @AfterEach
    void tearDown() {
        tools.close();
        backend.close();
    }

    private McpSchema.CallToolResult call(String tool, Map<String, Object> args) {
        Outcome<McpSchema.CallToolResult> outcome = tools.call(
                        McpRequest.toolCall(tool, args, RequestMeta.local()), RequestSink.none())
                .join();
        return ((Outcome.Complete<McpSchema.CallToolResult>) outcome).result();
    }

    private static Map<String, Object> with(Map<String, Object> valid, String field, Object value) {
        Map<String, Object> args = new LinkedHashMap<>(valid);
        args.put(field, value);
        return args;
    }

    /** Per tool: arguments that would do something, and a field of each integer/boolean/string/array type. */
    static Stream<Arguments> tools() {
        return Stream.of(
                Arguments.of(
                        "exec_command",
                        Map.of("cmd", "touch ran-exec", "login", false),
                        "[cmd, workdir, shell, login, tty, yield_time_ms, max_output_tokens, sandbox_permissions,"
                                + " justification]",
                        "tty",
                        "false",
                        "a boolean, got a string (\"false\")"),
                Arguments.of(
                        "write_stdin",
                        Map.of("session_id", 1),
                        "[session_id, chars, yield_time_ms, max_output_tokens]",
                        "yield_time_ms",
                        "250",
                        "an integer, got a string (\"250\")"),
                Arguments.of(
                        "apply_patch", Map.of("input", PATCH), "[input]", "input", 5, "a string, got a number (5)"),
                Arguments.of(
                        "read_file",
                        Map.of("path", "a.txt"),
                        "[path, file_path, offset, limit, mode]",
                        "offset",
                        "2",
                        "an integer, got a string (\"2\")"),
                Arguments.of(
                        "list_dir",
                        Map.of(),
                        "[path, dir_path, offset, depth, limit]",
                        "depth",
                        1.5,
                        "an integer, got a number (1.5)"),
                Arguments.of(
                        "grep_files",
                        Map.of("pattern", "one"),
                        "[pattern, path, include, limit]",
                        "limit",
                        true,
                        "an integer, got a boolean"),
                Arguments.of(
                        "update_plan",
                        Map.of("plan", List.of(Map.of("step", "s", "status", "pending"))),
                        "[explanation, plan]",
                        "plan",
                        "s",
                        "an array, got a string (\"s\")"),
                Arguments.of(
                        "view_image",
                        Map.of("path", "a.txt"),
                        "[path]",
                        "path",
                        List.of("a.txt"),
                        "a string, got an array"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tools")
    void anUnknownFieldIsAToolErrorNamingItAndTheAllowedFields(
            String tool, Map<String, Object> valid, String allowed, String typed, Object wrong, String expected) {
        McpSchema.CallToolResult r = call(tool, with(valid, "cwd", "/usr"));
        assertTrue(r.isError(), text(r));
        assertEquals("invalid arguments for " + tool + ":\n  cwd: unknown field (allowed: " + allowed + ")", text(r));
        assertNothingRan();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tools")
    void aWrongTypeIsAToolErrorNamingTheFieldAndTheExpectedType(
            String tool, Map<String, Object> valid, String allowed, String typed, Object wrong, String expected) {
        McpSchema.CallToolResult r = call(tool, with(valid, typed, wrong));
        assertTrue(r.isError(), text(r));
        assertEquals("invalid arguments for " + tool + ":\n  " + typed + ": expected " + expected, text(r));
        assertNothingRan();
    }

    @Test
    void everyBadFieldIsNamedAndAMissingRequiredOneToo() {
        McpSchema.CallToolResult r = call("exec_command", Map.of("cwd", "/usr", "timeout_ms", 1000, "tty", "false"));
        assertTrue(r.isError(), text(r));
        String t = text(r);
        assertTrue(t.contains("\n  cmd: required field is missing"), t);
        assertTrue(t.contains("\n  cwd: unknown field (allowed: [cmd, workdir, "), t);
        assertTrue(t.contains("\n  timeout_ms: unknown field (allowed: [cmd, workdir, "), t);
        assertTrue(t.contains("\n  tty: expected a boolean, got a string (\"false\")"), t);
    }

    @Test
    void nullForAnOptionalFieldIsNotGivenAndValidCallsRun() throws IOException {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("cmd", "touch ran-exec");
        args.put("login", false);
        args.put("workdir", null);
        McpSchema.CallToolResult r = call("exec_command", args);
        assertFalse(r.isError(), text(r));
        assertTrue(Files.exists(dir.resolve("ran-exec")));
        assertEquals("L2: two\n", text(call("read_file", Map.of("path", "a.txt", "offset", 2))));
    }

    @Test
    void aRejectedWriteStdinTypesNothingIntoTheSession() {
        McpSchema.CallToolResult started = call(
                "exec_command", Map.of("cmd", "read a; echo got-$a", "login", false, "tty", true, "yield_time_ms", 0));
        assertFalse(started.isError(), text(started));
        Object id = ((Map<?, ?>) started.structuredContent()).get("session_id");
        McpSchema.CallToolResult rejected = call("write_stdin", Map.of("session_id", id, "chars", "x\n", "bogus", 1));
        assertTrue(rejected.isError(), text(rejected));
        McpSchema.CallToolResult done =
                call("write_stdin", Map.of("session_id", id, "chars", "y\n", "yield_time_ms", 10_000));
        String output = (String) ((Map<?, ?>) done.structuredContent()).get("output");
        assertTrue(output.contains("got-y") && !output.contains("got-x"), output);
    }

    @Test
    void codexsNamesForThePathAreAccepted() {
        assertEquals(
                "L1: one\nL2: two\n",
                text(call("read_file", Map.of("file_path", dir.resolve("a.txt").toString()))));
        assertTrue(text(call("list_dir", Map.of("dir_path", dir.toString()))).contains("a.txt"));
        McpSchema.CallToolResult both = call("read_file", Map.of("path", "a.txt", "file_path", "b.txt"));
        assertTrue(both.isError(), text(both));
        assertEquals("read_file: 'path' and 'file_path' name the same argument; give one", text(both));
        McpSchema.CallToolResult none = call("read_file", Map.of("offset", 1));
        assertEquals(
                "invalid arguments for read_file:\n  path: required field is missing\n"
                        + "  file_path: required field is missing",
                text(none),
                "one of the two is required");
    }

    @Test
    void anIntegerOutOfItsPublishedRangeIsRefusedBeforeTheToolRuns() {
        McpSchema.CallToolResult r = call("list_dir", Map.of("depth", 0));
        assertTrue(r.isError(), text(r));
        assertTrue(text(r).startsWith("invalid arguments for list_dir:"), text(r));
        assertTrue(text(r).contains("depth: must have a minimum value of 1"), text(r));
        McpSchema.CallToolResult big = call("read_file", Map.of("path", "x", "limit", 20_001));
        assertTrue(text(big).contains("limit: must have a maximum value of 20000"), text(big));
    }

    @Test
    void aPlanStepWithAnUnknownFieldIsRefused() {
        McpSchema.CallToolResult r =
                call("update_plan", Map.of("plan", List.of(Map.of("step", "s", "status", "pending", "extra", 1))));
        assertTrue(r.isError(), text(r));
        assertTrue(text(r).contains("plan[0].extra: unknown field"), text(r));
        assertNothingRan();
    }

    private void assertNothingRan() {
        assertFalse(Files.exists(dir.resolve("ran-exec")), "exec_command ran");
        assertFalse(Files.exists(dir.resolve("patched.txt")), "apply_patch ran");
        assertEquals("Current plan\n(no steps)\n", text(call("update_plan", Map.of())), "update_plan ran");
        assertEquals(0, tools.liveCommandSessions());
    }
}
