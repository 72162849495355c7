package dev.toolhost.host.agent;

import dev.toolhost.mcp.client.ToolHub;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JSONL item that shows one tool call: {@code command_execution} for exec_command, {@code file_change}
 * for apply_patch, {@code todo_list} for update_plan, {@code mcp_tool_call} for every other tool.
 */
final class ToolCallItem {
    enum Kind { COMMAND, PATCH, PLAN, MCP }

    private static final Pattern EXIT_CODE = Pattern.compile("(?m)^Process exited with code (-?\\d+)");
    private static final Pattern OUTPUT = Pattern.compile("(?m)^Output:\\R");
    private static final Pattern PATCH_HEADER = Pattern.compile("(?m)^\\*\\*\\* (Add|Delete|Update) File: (.+?)\\s*$");

    private final Kind kind;
    private final Map<String, Object> item;

    private ToolCallItem(Kind kind, Map<String, Object> item) {
        this.kind = kind;
        this.item = item;
    }

    Kind kind() {
        return kind;
    }

    /** @param tool the hub's tool of that name, or null when the model named a tool that does not exist */
    static ToolCallItem of(String id, String name, Map<String, Object> args, ToolHub.HubTool tool) {
        boolean builtin = tool != null ? !tool.qualifiedName().startsWith("mcp__") : !name.startsWith("mcp__");
        String original = tool != null ? tool.originalName() : name;
        if (builtin && original.equals("exec_command")) {
            Map<String, Object> item = Events.item(id, "command_execution");
            item.put("command", String.valueOf(args.getOrDefault("cmd", "")));
            item.put("aggregated_output", "");
            item.put("exit_code", null);
            item.put("status", "in_progress");
            return new ToolCallItem(Kind.COMMAND, item);
        }
        if (builtin && original.equals("apply_patch")) {
            Map<String, Object> item = Events.item(id, "file_change");
            item.put("changes", changes(String.valueOf(args.getOrDefault("input", ""))));
            item.put("status", "in_progress");
            return new ToolCallItem(Kind.PATCH, item);
        }
        if (builtin && original.equals("update_plan")) {
            Map<String, Object> item = Events.item(id, "todo_list");
            item.put("items", todoItems(args.get("plan")));
            return new ToolCallItem(Kind.PLAN, item);
        }
        Map<String, Object> item = Events.item(id, "mcp_tool_call");
        item.put("server", tool != null ? tool.server() : serverOf(name));
        item.put("tool", tool != null ? tool.originalName() : name);
        item.put("arguments", args);
        item.put("status", "in_progress");
        return new ToolCallItem(Kind.MCP, item);
    }

    Map<String, Object> item() {
        return item;
    }

    /** Folds a progress notification into the item; false when there is nothing to show. */
    boolean progress(McpSchema.ProgressNotification p) {
        if (p.message() == null || p.message().isBlank()) {
            return false;
        }
        if (kind == Kind.COMMAND) {
            item.put("aggregated_output", item.get("aggregated_output") + p.message() + "\n");
        } else if (kind == Kind.MCP) {
            item.put("progress", p.message());
        } else {
            return false;
        }
        return true;
    }

    void completed(McpSchema.CallToolResult result, String text) {
        boolean error = Boolean.TRUE.equals(result.isError());
        switch (kind) {
            case COMMAND -> {
                Integer exit = exitCode(result, text);
                item.put("aggregated_output", commandOutput(text));
                item.put("exit_code", exit);
                item.put("status", error || (exit != null && exit != 0) ? "failed" : "completed");
            }
            case PATCH -> {
                if (error) {
                    item.put("error", Map.of("message", text));
                }
                item.put("status", error ? "failed" : "completed");
            }
            case PLAN -> {
            }
            case MCP -> {
                item.remove("progress");
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("content", AgentJson.toValue(result.content()));
                if (result.structuredContent() != null) {
                    r.put("structured_content", AgentJson.toValue(result.structuredContent()));
                }
                if (error) {
                    item.put("error", Map.of("message", text));
                } else {
                    item.put("result", r);
                }
                item.put("status", error ? "failed" : "completed");
            }
        }
    }

    void failed(String message) {
        switch (kind) {
            case COMMAND -> {
                item.put("aggregated_output", message);
                item.put("status", "failed");
            }
            case PATCH -> {
                item.put("error", Map.of("message", message));
                item.put("status", "failed");
            }
            case PLAN -> {
            }
            case MCP -> {
                item.remove("progress");
                item.put("error", Map.of("message", message));
                item.put("status", "failed");
            }
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

    static List<Map<String, Object>> changes(String patch) {
        List<Map<String, Object>> changes = new ArrayList<>();
        Matcher m = PATCH_HEADER.matcher(patch);
        while (m.find()) {
            String kind = switch (m.group(1)) {
                case "Add" -> "add";
                case "Delete" -> "delete";
                default -> "update";
            };
            Map<String, Object> change = new LinkedHashMap<>();
            change.put("path", m.group(2));
            change.put("kind", kind);
            changes.add(change);
        }
        return changes;
    }

    private static List<Map<String, Object>> todoItems(Object plan) {
        List<Map<String, Object>> items = new ArrayList<>();
        if (plan instanceof List<?> steps) {
            for (Object s : steps) {
                if (s instanceof Map<?, ?> step) {
                    Map<String, Object> todo = new LinkedHashMap<>();
                    todo.put("text", String.valueOf(step.get("step")));
                    todo.put("completed", "completed".equals(step.get("status")));
                    items.add(todo);
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
