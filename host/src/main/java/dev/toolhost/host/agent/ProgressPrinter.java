package dev.toolhost.host.agent;

import dev.toolhost.host.agent.ThreadItem.AgentMessage;
import dev.toolhost.host.agent.ThreadItem.Change;
import dev.toolhost.host.agent.ThreadItem.CommandExecution;
import dev.toolhost.host.agent.ThreadItem.ErrorItem;
import dev.toolhost.host.agent.ThreadItem.FileChange;
import dev.toolhost.host.agent.ThreadItem.McpToolCall;
import dev.toolhost.host.agent.ThreadItem.Reasoning;
import dev.toolhost.host.agent.ThreadItem.Todo;
import dev.toolhost.host.agent.ThreadItem.TodoList;
import java.io.PrintStream;
import java.util.function.Consumer;

/**
 * Human-mode output of {@code toolhost exec}: one short line per step on stderr. Agent messages are held
 * back until the model moves on, so that the final answer (printed on stdout by the caller) is not
 * shown twice. Echoes of what the model or the user wrote (commands, paths, plans, errors) are cut at
 * {@link #ECHO_LIMIT} characters: a 3 MB command must not flood the terminal.
 */
public final class ProgressPrinter implements Consumer<ThreadEvent> {
    /** The longest echo of one command, patch summary, plan or error line, in characters. */
    public static final int ECHO_LIMIT = 500;

    private final PrintStream err;
    private String heldMessage;

    public ProgressPrinter(PrintStream err) {
        this.err = err;
    }

    @Override
    public void accept(ThreadEvent event) {
        if (event instanceof ThreadEvent.ItemStarted e) {
            releaseMessage();
            started(e.item());
        } else if (event instanceof ThreadEvent.ItemUpdated e) {
            if (e.item() instanceof TodoList plan) {
                err.println("plan: " + capped(plan(plan)));
            }
        } else if (event instanceof ThreadEvent.ItemCompleted e) {
            completed(e.item());
        } else if (event instanceof ThreadEvent.TurnCompleted e) {
            ThreadEvent.TokenUsage u = e.usage();
            err.println("tokens: " + u.inputTokens() + " in (" + u.cachedInputTokens() + " cached), " + u.outputTokens()
                    + " out");
        } else if (event instanceof ThreadEvent.TurnFailed) {
            releaseMessage(); // the caller prints the error
        }
        err.flush();
    }

    private void started(ThreadItem item) {
        if (item instanceof CommandExecution c) {
            err.println("$ " + capped(c.command()));
        } else if (item instanceof FileChange f) {
            err.println("patch: " + capped(changes(f)));
        } else if (item instanceof McpToolCall m) {
            err.println("tool: " + capped(m.server() + "." + m.tool()));
        } else if (item instanceof TodoList plan) {
            err.println("plan: " + capped(plan(plan)));
        }
    }

    private void completed(ThreadItem item) {
        if (item instanceof AgentMessage m) {
            releaseMessage();
            heldMessage = m.text();
        } else if (item instanceof Reasoning r) {
            err.println("thinking: " + capped(firstLine(r.text())));
        } else if (item instanceof CommandExecution c) {
            err.println("  "
                    + (c.exitCode() != null
                            ? "exit " + c.exitCode()
                            : ThreadItem.IN_PROGRESS.equals(c.status()) ? "still running" : c.status()));
        } else if (item instanceof FileChange f) {
            printFailure(f.status(), f.error());
        } else if (item instanceof McpToolCall m) {
            printFailure(m.status(), m.error());
        } else if (item instanceof ErrorItem e) {
            err.println("error: " + capped(e.message()));
        }
    }

    private void printFailure(String status, ThreadEvent.ErrorInfo error) {
        if (!ThreadItem.COMPLETED.equals(status)) {
            err.println("  " + status
                    + (error != null && error.message() != null ? ": " + capped(firstLine(error.message())) : ""));
        }
    }

    private void releaseMessage() {
        if (heldMessage != null) {
            err.println(heldMessage);
            heldMessage = null;
        }
    }

    private static String changes(FileChange item) {
        StringBuilder s = new StringBuilder();
        for (Change change : item.changes()) {
            String kind = change.kind();
            s.append(s.isEmpty() ? "" : ", ")
                    .append(kind.equals("add") ? "A " : kind.equals("delete") ? "D " : "M ")
                    .append(change.path());
        }
        return s.toString();
    }

    private static String plan(TodoList item) {
        StringBuilder s = new StringBuilder();
        for (Todo todo : item.items()) {
            s.append(s.isEmpty() ? "" : "  ")
                    .append(todo.completed() ? "[x] " : "[ ] ")
                    .append(todo.text());
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
