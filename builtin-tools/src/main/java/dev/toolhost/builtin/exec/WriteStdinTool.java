package dev.toolhost.builtin.exec;

import static dev.toolhost.builtin.Schemas.prop;
import static dev.toolhost.builtin.Schemas.props;

import dev.toolhost.builtin.Args;
import dev.toolhost.builtin.BuiltinTool;
import dev.toolhost.builtin.Schemas;
import dev.toolhost.builtin.ToolCall;
import dev.toolhost.builtin.ToolError;
import dev.toolhost.exec.ExitStatus;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** {@code write_stdin}: writes to a running exec session and returns what it printed since the last call. */
public final class WriteStdinTool implements BuiltinTool {
    private final ExecRunner runner;

    public WriteStdinTool(ExecRunner runner) {
        this.runner = runner;
    }

    @Override
    public McpSchema.Tool tool() {
        return McpSchema.Tool.builder()
                .name("write_stdin")
                .description("Types characters into the terminal of a session that exec_command started with"
                        + " tty=true and returns its new output, its exit code once it exited. \\u0004 (Ctrl-D) at the"
                        + " start of a line ends the input, \\u0003 (Ctrl-C) interrupts. Empty chars just polls; that is"
                        + " all it can do for a session started without tty, whose stdin is /dev/null.")
                .inputSchema(Schemas.input(
                        props(
                                "session_id",
                                        Schemas.integer("the session ID exec_command reported", 0, Long.MAX_VALUE),
                                "chars", prop("string", "characters to type (tty sessions only); empty to poll"),
                                "yield_time_ms",
                                        Schemas.integer(
                                                "how long to wait for output; default 250",
                                                0,
                                                ExecCommandTool.MAX_YIELD_MS),
                                "max_output_tokens",
                                        Schemas.integer(
                                                "output budget (1 token = 4 bytes); default 10000",
                                                1,
                                                ExecCommandTool.MAX_OUTPUT_TOKENS)),
                        List.of("session_id")))
                .outputSchema(ExecRunner.outputSchema())
                .annotations(
                        new McpSchema.ToolAnnotations("Write to a running command", false, true, false, true, null))
                .build();
    }

    @Override
    public McpSchema.CallToolResult call(ToolCall call) throws ToolError {
        Args args = call.args();
        long id = args.optLong("session_id", -1, 0, Long.MAX_VALUE);
        if (id < 0) {
            throw new ToolError("write_stdin: missing required argument 'session_id' (integer)");
        }
        String chars = args.optString("chars", "");
        long yieldMs = args.optLong("yield_time_ms", 250, 0, ExecCommandTool.MAX_YIELD_MS);
        long maxBytes = args.optLong(
                        "max_output_tokens",
                        ExecCommandTool.DEFAULT_MAX_OUTPUT_TOKENS,
                        1,
                        ExecCommandTool.MAX_OUTPUT_TOKENS)
                * Truncation.BYTES_PER_TOKEN;
        CommandSession session = runner.sessions().get(id, call.session().id());
        if (!chars.isEmpty() && !session.tty()) {
            throw new ToolError("write_stdin: stdin is closed for session " + id + ": it was started without tty, so"
                    + " its stdin is /dev/null. Rerun exec_command with tty=true to keep stdin open, or call"
                    + " write_stdin with empty chars to poll its output");
        }
        if (!chars.isEmpty()) {
            try {
                session.process().write(chars.getBytes(StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
                ExitStatus exit = session.awaitExit(0);
                if (exit == null) {
                    throw new ToolError("write_stdin: could not write to session " + id + ": "
                            + (cause.getMessage() == null ? cause.toString() : cause.getMessage()));
                }
                return runner.result(session, exit, maxBytes, "stdin was not written: the process had already exited");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ToolError("write_stdin: interrupted");
            }
        }
        return runner.result(session, session.awaitExit(yieldMs), maxBytes, null);
    }
}
