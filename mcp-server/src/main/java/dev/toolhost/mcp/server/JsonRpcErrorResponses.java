package dev.toolhost.mcp.server;

import io.modelcontextprotocol.json.McpJsonMapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** JSON-RPC error responses Toolhost writes itself (not through the SDK), in either era, on either transport. */
public final class JsonRpcErrorResponses {
    private JsonRpcErrorResponses() {}

    /** {@code {"jsonrpc":"2.0","id":ID,"error":{"code":CODE,"message":MESSAGE}}}; {@code id} null when unknown. */
    public static Map<String, Object> of(Object id, int code, String message) {
        return of(id, code, message, null);
    }

    /** As {@link #of(Object, int, String)}, with the error's {@code data} when it is not null. */
    public static Map<String, Object> of(Object id, int code, String message, Object data) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        if (data != null) {
            error.put("data", data);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("jsonrpc", "2.0");
        body.put("id", id);
        body.put("error", error);
        return body;
    }

    /** Writes {@code body} as the whole {@code application/json} response with this HTTP status. */
    public static void write(HttpServletResponse response, McpJsonMapper json, int status, Map<String, Object> body)
            throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        response.setStatus(status);
        response.setContentType("application/json");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
