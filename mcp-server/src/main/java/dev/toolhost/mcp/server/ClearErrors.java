package dev.toolhost.mcp.server;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;

/**
 * Rewrites the SDK's error responses that do not say what went wrong. Today one: for a {@code tools/call}
 * naming no tool it serves, SDK 2.1.0 answers the literal message "Unknown tool: invalid_tool_name" (the real
 * name is only in {@code data}); the message becomes "Unknown tool: 'NAME'".
 */
public final class ClearErrors {
    private static final String SDK_UNKNOWN_TOOL = "Unknown tool: invalid_tool_name";
    private static final String SDK_TOOL_NOT_FOUND = "Tool not found: ";

    private ClearErrors() {}

    /** {@code value} with a clear error message when it is one of the SDK's unclear error responses. */
    static Object clarify(Object value) {
        if (value instanceof McpSchema.JSONRPCResponse r
                && r.error() != null
                && SDK_UNKNOWN_TOOL.equals(r.error().message())) {
            String data = String.valueOf(r.error().data());
            String name = data.startsWith(SDK_TOOL_NOT_FOUND) ? data.substring(SDK_TOOL_NOT_FOUND.length()) : "";
            String message = name.isEmpty()
                    ? "tools/call needs params.name, the name of a tool from tools/list"
                    : "Unknown tool: '" + name + "'";
            return new McpSchema.JSONRPCResponse(
                    r.jsonrpc(),
                    r.id(),
                    null,
                    new McpSchema.JSONRPCResponse.JSONRPCError(
                            r.error().code(), message, r.error().data()));
        }
        return value;
    }

    /** A mapper writing through {@code json} with {@link #clarify} applied (for transports Toolhost does not own). */
    public static McpJsonMapper mapper(McpJsonMapper json) {
        return new ForwardingJsonMapper(json) {
            @Override
            public String writeValueAsString(Object value) throws IOException {
                return json.writeValueAsString(clarify(value));
            }

            @Override
            public byte[] writeValueAsBytes(Object value) throws IOException {
                return json.writeValueAsBytes(clarify(value));
            }
        };
    }
}
