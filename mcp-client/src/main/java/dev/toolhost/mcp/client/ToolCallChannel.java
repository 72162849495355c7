package dev.toolhost.mcp.client;

import dev.toolhost.mcp.core.CancellableRequests;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.lang.reflect.Type;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import reactor.core.publisher.Mono;

/**
 * Wraps a client transport so the hub can send {@code tools/call} beside the SDK session that owns
 * the transport, correlating those responses itself; every other message still goes to and from
 * the SDK session.
 *
 * <p>Why not {@code McpAsyncClient.callTool}: in SDK 1.1.5 each call builds a Reactor chain with
 * two timeouts (the initialization check and the request timeout), each of which schedules and
 * cancels a timer and names itself by walking the operator chain; on a busy gateway that cost more
 * CPU than both JSON hops together. The hub enforces {@code tool_timeout_sec} itself by sweeping its
 * calls in flight, and it only calls once the session is initialized. The ids used here cannot
 * collide with the SDK's (a hex UUID prefix, a dash and a counter).
 *
 * <p>The server's tool, prompt and resource lists pass through {@link PeerItems} here, before the SDK
 * converts them, so one invalid item is repaired or left out instead of failing the whole list.
 */
final class ToolCallChannel implements McpClientTransport {
    private static final String ID_PREFIX = "toolhost-call-";
    private static final TypeRef<McpSchema.CallToolResult> CALL_TOOL_RESULT = new TypeRef<>() {};

    private final McpClientTransport delegate;
    private final PeerItems peerItems;
    private final Map<Object, CompletableFuture<McpSchema.CallToolResult>> pending = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final Predicate<McpSchema.JSONRPCNotification> callNotifications;
    private final Function<McpSchema.JSONRPCRequest, CompletableFuture<Object>> ownRequests;

    /**
     * @param warnings          told about every list item of this server's that is left out or repaired in part
     * @param callNotifications handed each notification first, on the reading thread and in arrival order; true
     *                          when it took it (then the SDK session never sees it). A call's progress and log
     *                          messages go this way: through the SDK they could arrive after the call's result
     * @param ownRequests       handed each request from the server first, on the reading thread; the answer when it
     *                          takes it (sent back here; a failure becomes a JSON-RPC error: an {@link McpError}'s own,
     *                          else -32603 with its message, as the SDK session answers), else null (then the SDK
     *                          session answers it). {@code roots/list} under {@code forward_roots} goes this way (the
     *                          SDK session can only answer with one fixed list), and so does a request the transport
     *                          relates to one of our calls (the SDK session cannot tell which call it belongs to)
     */
    ToolCallChannel(
            McpClientTransport delegate,
            String server,
            Consumer<String> warnings,
            Predicate<McpSchema.JSONRPCNotification> callNotifications,
            Function<McpSchema.JSONRPCRequest, CompletableFuture<Object>> ownRequests) {
        this.delegate = delegate;
        this.callNotifications = callNotifications;
        this.ownRequests = ownRequests;
        this.peerItems = new PeerItems(
                server,
                warnings,
                (item, type) -> delegate.unmarshalFrom(item, new TypeRef<Object>() {
                    @Override
                    public Type getType() {
                        return type;
                    }
                }));
    }

    McpClientTransport delegate() {
        return delegate;
    }

    /** Responses to our calls stop here; everything else goes on to the SDK session. */
    @Override
    public Mono<Void> connect(Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler) {
        return delegate.connect(messages -> handler.apply(messages.filter(m -> !completesCall(m)
                && !(m instanceof McpSchema.JSONRPCNotification n && callNotifications.test(n))
                && !(m instanceof McpSchema.JSONRPCRequest r && answersOwn(r)))));
    }

    private boolean answersOwn(McpSchema.JSONRPCRequest request) {
        CompletableFuture<Object> answer = ownRequests.apply(request);
        if (answer == null) {
            return false;
        }
        answer.whenComplete((result, e) -> delegate.sendMessage(
                        e == null
                                ? new McpSchema.JSONRPCResponse(McpSchema.JSONRPC_VERSION, request.id(), result, null)
                                : new McpSchema.JSONRPCResponse(
                                        McpSchema.JSONRPC_VERSION,
                                        request.id(),
                                        null,
                                        ServerConnection.asJsonRpcError(
                                                        e instanceof CompletionException && e.getCause() != null
                                                                ? e.getCause()
                                                                : e)
                                                .getJsonRpcError()))
                .subscribe(null, x -> {}));
        return true;
    }

    /** A JSON-RPC id for the next {@link #call}. */
    String newRequestId() {
        return ID_PREFIX + ids.incrementAndGet();
    }

    /**
     * Sends one {@code tools/call} under {@code id}; the result, a JSON-RPC error as {@link McpError},
     * or the transport's failure completes {@code result}.
     */
    void call(String id, McpSchema.CallToolRequest request, CompletableFuture<McpSchema.CallToolResult> result) {
        pending.put(id, result);
        result.whenComplete((r, e) -> pending.remove(id));
        delegate.sendMessage(new McpSchema.JSONRPCRequest(
                        McpSchema.JSONRPC_VERSION, McpSchema.METHOD_TOOLS_CALL, id, request))
                .subscribe(null, result::completeExceptionally);
    }

    /** Tells the server to stop working on a call we no longer wait for. */
    void cancel(Object requestId, String reason) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("requestId", requestId);
        params.put("reason", reason);
        delegate.sendMessage(new McpSchema.JSONRPCNotification(
                        McpSchema.JSONRPC_VERSION, CancellableRequests.CANCELLED, params))
                .subscribe(null, e -> {});
    }

    private boolean completesCall(McpSchema.JSONRPCMessage message) {
        if (!(message instanceof McpSchema.JSONRPCResponse response)
                || !(response.id() instanceof String id)
                || !id.startsWith(ID_PREFIX)) {
            return false;
        }
        CompletableFuture<McpSchema.CallToolResult> result = pending.remove(id);
        if (result == null) {
            return true; // a late answer to a call that timed out or was cancelled
        }
        if (response.error() != null) {
            result.completeExceptionally(new McpError(response.error()));
        } else {
            try {
                McpSchema.CallToolResult simple = JsonRpcMessages.callToolResult(response.result());
                result.complete(simple != null ? simple : delegate.unmarshalFrom(response.result(), CALL_TOOL_RESULT));
            } catch (RuntimeException e) {
                result.completeExceptionally(new IllegalStateException(
                        "the server's tools/call result is not a" + " valid CallToolResult: " + e.getMessage(), e));
            }
        }
        return true;
    }

    @Override
    public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
        return delegate.sendMessage(message);
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
        return delegate.unmarshalFrom(peerItems.repair(data, typeRef.getType()), typeRef);
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
