package dev.toolhost.mcp.client;

import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/**
 * Wraps any client transport to learn the JSON-RPC id the SDK gave each {@code tools/call} (the SDK
 * does not expose it), keyed by the progress token the hub put in the request. With it the hub can
 * send {@code notifications/cancelled} for a call that timed out or was cancelled.
 */
final class RequestTrackingTransport implements McpClientTransport {
    private final McpClientTransport delegate;
    private final Map<Object, Object> requestIdByToken = new ConcurrentHashMap<>();

    RequestTrackingTransport(McpClientTransport delegate) {
        this.delegate = delegate;
    }

    McpClientTransport delegate() {
        return delegate;
    }

    @Override
    public Mono<Void> connect(Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler) {
        return delegate.connect(handler);
    }

    @Override
    public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
        if (message instanceof McpSchema.JSONRPCRequest r && r.params() instanceof McpSchema.CallToolRequest call
                && call.meta() != null && call.meta().get("progressToken") != null) {
            requestIdByToken.put(call.meta().get("progressToken"), r.id());
        }
        return delegate.sendMessage(message);
    }

    /** Forgets the call and returns its request id, or null if it was never sent. */
    Object forget(Object progressToken) {
        return requestIdByToken.remove(progressToken);
    }

    /** Sends {@code notifications/cancelled} for the call with this progress token, if it was sent. */
    void cancel(Object progressToken, String reason) {
        Object id = forget(progressToken);
        if (id == null) {
            return;
        }
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("requestId", id);
        params.put("reason", reason);
        delegate.sendMessage(new McpSchema.JSONRPCNotification(McpSchema.JSONRPC_VERSION, "notifications/cancelled", params))
                .subscribe(v -> { }, e -> { });
    }

    @Override
    public Mono<Void> closeGracefully() {
        return delegate.closeGracefully();
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
        return delegate.unmarshalFrom(data, typeRef);
    }

    @Override
    public void setExceptionHandler(Consumer<Throwable> handler) {
        delegate.setExceptionHandler(handler);
    }

    @Override
    public List<String> protocolVersions() {
        return delegate.protocolVersions();
    }
}
