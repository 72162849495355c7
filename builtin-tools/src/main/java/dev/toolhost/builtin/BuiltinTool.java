package dev.toolhost.builtin;

import io.modelcontextprotocol.spec.McpSchema;

/** One built-in tool: its MCP definition and what a call does. */
public interface BuiltinTool {

    McpSchema.Tool tool();

    /** Runs a call; a {@link ToolError} becomes an {@code isError} result carrying its message. */
    McpSchema.CallToolResult call(ToolCall call) throws ToolError;
}
