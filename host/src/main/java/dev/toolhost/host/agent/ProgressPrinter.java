package dev.toolhost.host.agent;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Human-mode output of {@code toolhost exec}: one short line per step on stderr. Agent messages are held
 * back until the model moves on, so that the final answer (printed on stdout by the caller) is not
 * shown twice. Echoes of what the model or the user wrote (commands, paths, plans, errors) are cut at
 * {@link #ECHO_LIMIT} characters: a 3 MB command must not flood the terminal.
 */
public final class ProgressPrinter implements Consumer<Map<String, Object>> {
    /** The longest echo of one command, patch summary, plan or error line, in characters. */
    public static final int ECHO_LIMIT = 500;

    private final PrintStream err;
    private String heldMessage;

    public ProgressPrinter(PrintStream err) {
        this.err = err;
    }

    @Override
    public void accept(Map<String, Object> event) {
        String type = String.valueOf(event.get("type"));
        switch (type) {
            case "item.started" -> {
                releaseMessage();
                started(item(event));
            }
            case "item.updated" -> {
                Map<String, Object> item = item(event);
                if ("todo_list".equals(item.get("type"))) {
                    err.println("plan: " + capped(plan(item)));
                }
            }
            case "item.completed" -> completed(item(event));
            case "turn.completed" -> {
                Map<?, ?> u = (Map<?, ?>) event.get("usage");
                err.println("tokens: " + u.get("input_tokens") + " in (" + u.get("cached_input_tokens") + " cached), "
                        + u.get("output_tokens") + " out");
            }
            case "turn.failed" -> releaseMessage(); // the caller prints the error
            default -> {
            }
        }
        err.flush();
    }

    private void started(Map<String, Object> item) {
        switch (String.valueOf(item.get("type"))) {
            case "command_execution" -> err.println("$ " + capped(String.valueOf(item.get("command"))));
            case "file_change" -> err.println("patch: " + capped(changes(item)));
            case "mcp_tool_call" -> err.println("tool: " + capped(item.get("server") + "." + item.get("tool")));
            case "todo_list" -> err.println("plan: " + capped(plan(item)));
            default -> {
            }
        }
    }

    private void completed(Map<String, Object> item) {
        String status = String.valueOf(item.get("status"));
        switch (String.valueOf(item.get("type"))) {
            case "agent_message" -> {
                releaseMessage();
                heldMessage = String.valueOf(item.get("text"));
            }
            case "reasoning" -> err.println("thinking: " + capped(firstLine(String.valueOf(item.get("text")))));
            case "command_execution" -> err.println("  " + (item.get("exit_code") != null
                    ? "exit " + item.get("exit_code") : status));
            case "file_change", "mcp_tool_call" -> {
                if (!"completed".equals(status)) {
                    Object error = item.get("error") instanceof Map<?, ?> e ? e.get("message") : null;
                    err.println("  " + status + (error != null ? ": " + capped(firstLine(error.toString())) : ""));
                }
            }
            case "error" -> err.println("error: " + capped(String.valueOf(item.get("message"))));
            default -> {
            }
        }
    }

    private void releaseMessage() {
        if (heldMessage != null) {
            err.println(heldMessage);
            heldMessage = null;
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> item(Map<String, Object> event) {
        return (Map<String, Object>) event.get("item");
    }

    private static String changes(Map<String, Object> item) {
        StringBuilder s = new StringBuilder();
        for (Object c : (List<?>) item.get("changes")) {
            Map<?, ?> change = (Map<?, ?>) c;
            String kind = String.valueOf(change.get("kind"));
            s.append(s.isEmpty() ? "" : ", ").append(kind.equals("add") ? "A " : kind.equals("delete") ? "D " : "M ")
                    .append(change.get("path"));
        }
        return s.toString();
    }

    private static String plan(Map<String, Object> item) {
        StringBuilder s = new StringBuilder();
        for (Object t : (List<?>) item.get("items")) {
            Map<?, ?> todo = (Map<?, ?>) t;
            s.append(s.isEmpty() ? "" : "  ").append(Boolean.TRUE.equals(todo.get("completed")) ? "[x] " : "[ ] ")
                    .append(todo.get("text"));
        }
        return s.toString();
    }

    /** The text, or its first {@link #ECHO_LIMIT} characters and how many more there were. */
    static String capped(String text) {
        if (text.length() <= ECHO_LIMIT) {
            return text;
        }
        int cut = Character.isHighSurrogate(text.charAt(ECHO_LIMIT - 1)) ? ECHO_LIMIT - 1 : ECHO_LIMIT;
        return text.substring(0, cut) + " ... (" + (text.length() - cut) + " more characters)";
    }

    private static String firstLine(String text) {
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl) + " ...";
    }
}
