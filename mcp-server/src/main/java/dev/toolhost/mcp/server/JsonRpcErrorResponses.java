package dev.toolhost.mcp.server;

import io.modelcontextprotocol.json.McpJsonMapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** JSON-RPC error responses written by the HTTP filters, in either era, before (or instead of) the SDK. */
public final class JsonRpcErrorResponses {
    private JsonRpcErrorResponses() {}

    /** {@code {"jsonrpc":"2.0","id":ID,"error":{"code":CODE,"message":MESSAGE}}}; {@code id} null when unknown. */
    public static Map<String, Object> of(Object id, int code, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
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
