package dev.toolhost.mcp.client.modern;

import io.modelcontextprotocol.spec.McpClientTransport;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * One JSON-RPC request at a time over a 2026-07-28 transport (streamable HTTP or stdio). Requests are
 * independent: no session, no handshake.
 */
interface Wire extends AutoCloseable {

    /**
     * Sends one request under a fresh id.
     *
     * @param headers       extra HTTP headers for this request ({@code Mcp-Param-*}); ignored on stdio
     * @param notifications the notifications that belong to this request (its progress, its log messages, the
     *                      messages of a listen stream), as JSON objects
     * @return the {@code result} object; fails with {@link ServerErrorException} for an error answer and with
     *         {@link WireBrokenException} when the answer was lost. Cancelling it cancels the request (HTTP:
     *         the stream is closed; stdio: {@code notifications/cancelled}).
     */
    CompletableFuture<Map<String, Object>> request(
            String method,
            Map<String, Object> params,
            Map<String, String> headers,
            Consumer<Map<String, Object>> notifications);

    /** The protocol version sent in the {@code MCP-Protocol-Version} header (HTTP). */
    void protocolVersion(String version);

    /** Whether header rules for HTTP apply ({@code x-mcp-header}). */
    boolean isHttp();

    /**
     * stdio: the running process as a transport for a legacy session, or null when this wire cannot hand its
     * connection over (HTTP).
     */
    default McpClientTransport handOver() {
        return null;
    }

    /** The transport ended (stdio: the process exited): fail what is in flight. */
    default void terminated(String reason) {}

    @Override
    void close();
}
