package dev.toolhost.builtin.exec;

import dev.toolhost.builtin.ToolError;
import dev.toolhost.builtin.ToolResults;
import dev.toolhost.exec.ExecBackend;
import dev.toolhost.exec.ExecException;
import dev.toolhost.exec.ExecRequest;
import dev.toolhost.exec.ExitStatus;
import dev.toolhost.exec.SandboxPolicy;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Starts shell commands through the {@link ExecBackend} and turns their state into tool results. */
public final class ExecRunner {
    private final ExecBackend backend;
    private final CommandSessions sessions;
    private final Map<String, String> env;

    public ExecRunner(ExecBackend backend, CommandSessions sessions, Map<String, String> env) {
        this.backend = backend;
        this.sessions = sessions;
        this.env = Map.copyOf(env);
    }

    public CommandSessions sessions() {
        return sessions;
    }

    /** The PATH commands run with, or null when the environment has none. */
    String path() {
        return env.get("PATH");
    }

    /** A started command: the session and, when it finished within the yield time, how it ended. */
    record Started(CommandSession session, ExitStatus exit) {}

    Started start(
            String owner, String cmd, List<String> argv, Path cwd, boolean tty, SandboxPolicy sandbox, long yieldMs)
            throws ToolError {
        sessions.checkCapacity(owner);
        CommandSession session = new CommandSession(owner, cmd, tty);
        try {
            // As Codex: no stdin pipe without a terminal, so the command reads end-of-input from /dev/null.
            session.attach(backend.start(new ExecRequest(argv, cwd, env, tty, false, sandbox), session));
        } catch (ExecException e) {
            throw new ToolError("exec_command: could not start '" + cmd + "': " + e.getMessage());
        }
        ExitStatus exit = session.awaitExit(yieldMs);
        if (exit == null && Thread.currentThread().isInterrupted()) {
            // The call was cancelled (the MCP client sent notifications/cancelled): nobody will poll it.
            session.terminate();
            throw new ToolError("exec_command: cancelled; '" + cmd + "' was stopped");
        }
        return new Started(session, exit);
    }

    /**
     * The result for a session's current state; registers it when still running, forgets it when done.
     */
    McpSchema.CallToolResult result(CommandSession session, ExitStatus exit, long maxBytes, String note)
            throws ToolError {
        if (exit == null && session.id() == 0) {
            try {
                sessions.register(session);
            } catch (ToolError full) {
                session.terminate();
                throw full;
            }
        }
        if (exit != null && session.id() != 0) {
            sessions.remove(session.id());
        }
        Truncation.Result out = Truncation.apply(session.drain(), maxBytes);
        Map<String, Object> structured = new LinkedHashMap<>();
        StringBuilder text = new StringBuilder();
        if (exit == null) {
            structured.put("session_id", session.id());
            text.append("Process running with session ID ").append(session.id()).append('\n');
        } else {
            structured.put("exit_code", exit.exitCode());
            text.append("Process exited with code ").append(exit.exitCode()).append('\n');
            if (exit.sandboxDenied()) {
                structured.put("sandbox_denied", true);
                text.append("The sandbox blocked this command\n");
            }
            if (exit.failure() != null) {
                structured.put("failure", exit.failure());
                text.append("Failure: ").append(exit.failure()).append('\n');
            }
        }
        double wall = session.wallSeconds();
        structured.put("wall_time_seconds", wall);
        text.append(String.format(Locale.ROOT, "Wall time: %.3f seconds%n", wall));
        if (out.removedBytes() > 0) {
            structured.put("truncated_bytes", out.removedBytes());
        }
        if (note != null) {
            structured.put("note", note);
            text.append(note).append('\n');
        }
        structured.put("output", out.text());
        text.append("Output:\n").append(out.text());
        return ToolResults.structured(text.toString(), structured);
    }

    /** The output schema shared by exec_command and write_stdin. */
    static Map<String, Object> outputSchema() {
        return dev.toolhost.builtin.Schemas.output(
                dev.toolhost.builtin.Schemas.props(
                        "exit_code", Map.of("type", "integer", "description", "exit code, when the process has exited"),
                        "session_id",
                                Map.of("type", "integer", "description", "id for write_stdin, while the process runs"),
                        "wall_time_seconds", Map.of("type", "number"),
                        "output",
                                Map.of(
                                        "type",
                                        "string",
                                        "description",
                                        "stdout and stderr, cut in the middle when over budget"),
                        "truncated_bytes", Map.of("type", "integer"),
                        "sandbox_denied", Map.of("type", "boolean"),
                        "failure", Map.of("type", "string"),
                        "note", Map.of("type", "string")),
                List.of("wall_time_seconds", "output"));
    }
}
