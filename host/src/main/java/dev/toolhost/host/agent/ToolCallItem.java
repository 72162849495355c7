package dev.toolhost.host.agent;

import dev.toolhost.builtin.patch.ApplyPatchInvocation;
import dev.toolhost.host.agent.ThreadEvent.ErrorInfo;
import dev.toolhost.host.agent.ThreadItem.Change;
import dev.toolhost.host.agent.ThreadItem.CommandExecution;
import dev.toolhost.host.agent.ThreadItem.FileChange;
import dev.toolhost.host.agent.ThreadItem.McpToolCall;
import dev.toolhost.host.agent.ThreadItem.McpToolResult;
import dev.toolhost.host.agent.ThreadItem.Todo;
import dev.toolhost.host.agent.ThreadItem.TodoList;
import dev.toolhost.mcp.client.ToolHub;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JSONL item that shows one tool call: {@code command_execution} for exec_command, {@code file_change}
 * for apply_patch, {@code todo_list} for update_plan, {@code mcp_tool_call} for every other tool.
 */
final class ToolCallItem {
    enum Kind {
        COMMAND,
        PATCH,
        PLAN,
        MCP
    }

    private static final Pattern EXIT_CODE = Pattern.compile("(?m)^Process exited with code (-?\\d+)");
    private static final Pattern OUTPUT = Pattern.compile("(?m)^Output:\\R");
    private static final Pattern PATCH_HEADER = Pattern.compile("(?m)^\\*\\*\\* (Add|Delete|Update) File: (.+?)\\s*$");

    private final Kind kind;
    private ThreadItem item;
    private boolean done;

    private ToolCallItem(Kind kind, ThreadItem item) {
        this.kind = kind;
        this.item = item;
    }

    Kind kind() {
        return kind;
    }

    /** Whether {@link #completed} or {@link #failed} has given the item its final state. */
    boolean done() {
        return done;
    }

    /** @param tool the hub's tool of that name, or null when the model named a tool that does not exist */
    static ToolCallItem of(String id, String name, Map<String, Object> args, ToolHub.HubTool tool) {
        boolean builtin = tool != null ? !tool.qualifiedName().startsWith("mcp__") : !name.startsWith("mcp__");
        String original = tool != null ? tool.originalName() : name;
        if (builtin && original.equals("exec_command")) {
            ApplyPatchInvocation.ShellForm patch = args.get("shell") == null
                    ? ApplyPatchInvocation.fromShellScript(String.valueOf(args.getOrDefault("cmd", "")))
                    : null;
            if (patch != null) {
                // Run as the apply_patch tool (Codex's apply_patch heredoc): shown as the file change it is.
                return new ToolCallItem(
                        Kind.PATCH, new FileChange(id, changes(patch.patch()), ThreadItem.IN_PROGRESS, null));
            }
            return new ToolCallItem(
                    Kind.COMMAND,
                    new CommandExecution(
                            id, String.valueOf(args.getOrDefault("cmd", "")), "", null, ThreadItem.IN_PROGRESS));
        }
        if (builtin && original.equals("apply_patch")) {
            return new ToolCallItem(
                    Kind.PATCH,
                    new FileChange(
                            id, changes(String.valueOf(args.getOrDefault("input", ""))), ThreadItem.IN_PROGRESS, null));
        }
        if (builtin && original.equals("update_plan")) {
            return new ToolCallItem(Kind.PLAN, new TodoList(id, todoItems(args.get("plan"))));
        }
        return new ToolCallItem(
                Kind.MCP,
                new McpToolCall(
                        id,
                        tool != null ? tool.server() : serverOf(name),
                        tool != null ? tool.originalName() : name,
                        args,
                        ThreadItem.IN_PROGRESS,
                        null,
                        null,
                        null));
    }

    /** The item as it is now (a snapshot: it is replaced, never changed, as the call goes on). */
    ThreadItem item() {
        return item;
    }

    /** Folds a progress notification into the item; false when there is nothing to show. */
    boolean progress(McpSchema.ProgressNotification p) {
        if (p.message() == null || p.message().isBlank()) {
            return false;
        }
        if (item instanceof CommandExecution c) {
            item = new CommandExecution(
                    c.id(), c.command(), c.aggregatedOutput() + p.message() + "\n", c.exitCode(), c.status());
        } else if (item instanceof McpToolCall m) {
            item = new McpToolCall(m.id(), m.server(), m.tool(), m.arguments(), m.status(), p.message(), null, null);
        } else {
            return false;
        }
        return true;
    }

    void completed(McpSchema.CallToolResult result, String text) {
        done = true;
        boolean error = Boolean.TRUE.equals(result.isError());
        if (item instanceof CommandExecution c) {
            Integer exit = exitCode(result, text);
            // A command still running when its call returned goes on as a write_stdin session.
            boolean running = !error
                    && exit == null
                    && result.structuredContent() instanceof Map<?, ?> m
                    && m.get("session_id") != null;
            item = new CommandExecution(
                    c.id(),
                    c.command(),
                    commandOutput(text),
                    exit,
                    running
                            ? ThreadItem.IN_PROGRESS
                            : error || (exit != null && exit != 0) ? ThreadItem.FAILED : ThreadItem.COMPLETED);
        } else if (item instanceof FileChange f) {
            item = new FileChange(
                    f.id(),
                    f.changes(),
                    error ? ThreadItem.FAILED : ThreadItem.COMPLETED,
                    error ? new ErrorInfo(text) : null);
        } else if (item instanceof McpToolCall m) {
            // Converted as a whole: only the declared List<Content> writes each block's "type" (text, image, ...).
            Map<String, Object> wire = AgentJson.toMap(result);
            McpToolResult r = new McpToolResult(wire.get("content"), wire.get("structuredContent"));
            item = new McpToolCall(
                    m.id(),
                    m.server(),
                    m.tool(),
                    m.arguments(),
                    error ? ThreadItem.FAILED : ThreadItem.COMPLETED,
                    null,
                    error ? null : r,
                    error ? new ErrorInfo(text) : null);
        }
    }

    void failed(String message) {
        done = true;
        if (item instanceof CommandExecution c) {
            item = new CommandExecution(c.id(), c.command(), message, c.exitCode(), ThreadItem.FAILED);
        } else if (item instanceof FileChange f) {
            item = new FileChange(f.id(), f.changes(), ThreadItem.FAILED, new ErrorInfo(message));
        } else if (item instanceof McpToolCall m) {
            item = new McpToolCall(
                    m.id(), m.server(), m.tool(), m.arguments(), ThreadItem.FAILED, null, null, new ErrorInfo(message));
        }
    }

    private static Integer exitCode(McpSchema.CallToolResult result, String text) {
        if (result.structuredContent() instanceof Map<?, ?> m && m.get("exit_code") instanceof Number n) {
            return n.intValue();
        }
        Matcher m = EXIT_CODE.matcher(text);
        return m.find() ? Integer.valueOf(m.group(1)) : null;
    }

    private static String commandOutput(String text) {
        Matcher m = OUTPUT.matcher(text);
        return m.find() ? text.substring(m.end()) : text;
    }

    static List<Change> changes(String patch) {
        List<Change> changes = new ArrayList<>();
        Matcher m = PATCH_HEADER.matcher(patch);
        while (m.find()) {
            String kind = switch (m.group(1)) {
                case "Add" -> "add";
                case "Delete" -> "delete";
                default -> "update";
            };
            changes.add(new Change(m.group(2), kind));
        }
        return changes;
    }

    static List<Todo> todoItems(Object plan) {
        List<Todo> items = new ArrayList<>();
        if (plan instanceof List<?> steps) {
            for (Object s : steps) {
                if (s instanceof Map<?, ?> step) {
                    items.add(new Todo(String.valueOf(step.get("step")), "completed".equals(step.get("status"))));
                }
            }
        }
        return items;
    }

    private static String serverOf(String name) {
        if (name.startsWith("mcp__")) {
            int end = name.indexOf("__", 5);
            if (end > 5) {
                return name.substring(5, end);
            }
        }
        return "";
    }
}
