package dev.toolhost.mcp.server;

import dev.toolhost.mcp.client.JsonRpcMessages;
import dev.toolhost.mcp.core.CancellableRequests;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON mapper for the SDK's HTTP transport, changing two things:
 * <ul>
 * <li>the transport writes its error responses (bad JSON, unknown session, ...) by serializing the
 * {@link McpError} exception itself, stack trace included; this mapper writes those as JSON-RPC
 * error objects instead, carrying the request's id ({@link LegacyHttpGuard#requestId()});</li>
 * <li>the SDK's own error responses that hide what went wrong are made clear ({@link ClearErrors});</li>
 * <li>the transport turns each request body into a message by parsing it to a map and converting
 * the map; this mapper builds the message from the map directly ({@link JsonRpcMessages}).</li>
 * </ul>
 * Everything else is delegated unchanged.
 */
final class HttpTransportMapper extends ForwardingJsonMapper {
    private final RequestCancellation cancellation;

    HttpTransportMapper(McpJsonMapper json, RequestCancellation cancellation) {
        super(json);
        this.cancellation = cancellation;
    }

    private static Object replace(Object value) {
        if (!(value instanceof McpError e)) {
            return ClearErrors.clarify(value);
        }
        McpSchema.JSONRPCResponse.JSONRPCError rpc = e.getJsonRpcError();
        Map<String, Object> error = new LinkedHashMap<>();
        int code = rpc == null ? McpSchema.ErrorCodes.INTERNAL_ERROR : rpc.code();
        String text = rpc == null || rpc.message() == null ? String.valueOf(e.getMessage()) : rpc.message();
        if (text.startsWith("Session not found") || text.startsWith("Session ID required")) {
            code = McpSchema.ErrorCodes.INVALID_REQUEST; // the SDK says "internal error" or "method not found"
        } else if (text.startsWith("Error processing message")) {
            text = "internal error while processing the message"; // the rest is a Java exception's text
        } else if (text.startsWith("Invalid message format")
                && (text.contains("jackson") || text.contains("McpSchema") || text.contains("Exception"))) {
            text = "Invalid message format: the message does not match the MCP schema";
        }
        error.put("code", code);
        error.put("message", text);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("jsonrpc", McpSchema.JSONRPC_VERSION);
        body.put("id", LegacyHttpGuard.requestId());
        body.put("error", error);
        return body;
    }

    @Override
    public String writeValueAsString(Object value) throws IOException {
        return json.writeValueAsString(replace(value));
    }

    @Override
    public byte[] writeValueAsBytes(Object value) throws IOException {
        return json.writeValueAsBytes(replace(value));
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T convertValue(Object fromValue, Class<T> type) {
        if (fromValue instanceof Map<?, ?> map
                && (type == McpSchema.JSONRPCRequest.class
                        || type == McpSchema.JSONRPCNotification.class
                        || type == McpSchema.JSONRPCResponse.class)) {
            McpSchema.JSONRPCMessage message;
            try {
                message = JsonRpcMessages.fromMap(map);
            } catch (IllegalArgumentException e) {
                return json.convertValue(fromValue, type); // let the SDK report it as it does
            }
            if (type.isInstance(message)) {
                return (T) cancellationAware(message);
            }
        }
        return json.convertValue(fromValue, type);
    }

    /** Tags tools/call with its id and acts on notifications/cancelled (see {@link RequestCancellation}). */
    private McpSchema.JSONRPCMessage cancellationAware(McpSchema.JSONRPCMessage message) {
        if (message instanceof McpSchema.JSONRPCRequest r
                && r.id() != null
                && r.params() instanceof McpSchema.CallToolRequest call) {
            Map<String, Object> meta = call.meta() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(call.meta());
            meta.put(RequestCancellation.REQUEST_ID_META, r.id());
            return new McpSchema.JSONRPCRequest(
                    r.jsonrpc(),
                    r.method(),
                    r.id(),
                    new McpSchema.CallToolRequest(call.name(), call.arguments(), meta));
        }
        Object cancelled = CancellableRequests.cancelledRequestId(message);
        if (cancelled != null) {
            cancellation.cancel(cancelled);
        }
        return message;
    }
}
