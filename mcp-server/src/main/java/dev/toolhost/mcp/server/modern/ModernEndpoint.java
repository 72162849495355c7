package dev.toolhost.mcp.server.modern;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Serves 2026-07-28 (stateless) JSON-RPC messages: every request carries its protocol version, client
 * info and capabilities in {@code _meta}; no session, no handshake. Transport-agnostic: the stdio server
 * and the streamable HTTP server hand it decoded messages and write what it returns.
 */
public interface ModernEndpoint {

    /**
     * @param message     a decoded JSON-RPC request or notification
     * @param bearerToken the HTTP bearer token the request came with (binds the caller's handles), or null
     * @param stream      receives the request's own notifications (progress, log messages, listen events)
     *                    before the response, as JSON-RPC notification objects
     * @return the response (a result with {@code resultType}, or an error carrying the request's id) and the
     *         HTTP status it maps to; a null message for a notification. Cancelling it cancels the request (the
     *         client closed the stream or sent {@code notifications/cancelled}); a cancelled request is not
     *         answered. A {@code subscriptions/listen} future completes only when the server ends it.
     */
    CompletableFuture<Reply> handle(
            Map<String, Object> message, String bearerToken, Consumer<Map<String, Object>> stream);

    /**
     * @param message    the JSON-RPC response, or null (nothing to send: the message was a notification)
     * @param httpStatus 200 (a result, or an error raised while handling a well-formed request: unknown tool,
     *                   bad cursor, resource not found), 400 (an envelope error: -32602 for missing or malformed
     *                   {@code _meta}, -32600, -32020, -32021, -32022), 404 (-32601), 202 (notification)
     */
    record Reply(Map<String, Object> message, int httpStatus) {}

    /**
     * True when a message belongs to the stateless era: its {@code params._meta} claims a protocol version,
     * or it is {@code server/discover}.
     */
    static boolean isModern(Map<String, Object> message) {
        if ("server/discover".equals(message.get("method"))) {
            return true;
        }
        return message.get("params") instanceof Map<?, ?> p
                && p.get("_meta") instanceof Map<?, ?> meta
                && meta.containsKey("io.modelcontextprotocol/protocolVersion");
    }

    /**
     * The {@code inputSchema} of the tool {@code name} as this caller would see it in {@code tools/list}, or null
     * when there is no such tool (or the endpoint does not say). The HTTP transport checks the request's
     * {@code Mcp-Param-*} headers against the schema's {@code x-mcp-header} annotations (2026-07-28 streamable
     * HTTP, "Custom Headers from Tool Parameters"); null skips that check.
     */
    default Map<String, Object> toolInputSchema(String name, String bearerToken) {
        return null;
    }
}
