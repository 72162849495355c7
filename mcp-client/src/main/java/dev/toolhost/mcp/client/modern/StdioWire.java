package dev.toolhost.mcp.client.modern;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/**
 * 2026-07-28 over stdio (spec {@code basic/transports/stdio}): newline-delimited JSON-RPC on a transport
 * that is already connected to the process. Notifications reach the request they name
 * ({@code progressToken}, {@code subscriptionId}); any other one (a log message) reaches the request in
 * flight when there is exactly one (list fetches and listen streams aside), and is dropped otherwise, so that it
 * never reaches another caller.
 */
final class StdioWire implements Wire {
    /**
     * @param call a request a server's log message can belong to ({@code tools/call}, {@code prompts/get},
     *             {@code resources/read}); a list fetch or a listen stream beside it never owns one
     */
    private record Pending(
            String id,
            Object progressToken,
            CompletableFuture<Map<String, Object>> result,
            Consumer<Map<String, Object>> notifications,
            boolean call) {}

    /** Unlike the ids of a legacy session that may take the process over ({@code toolhost-call-N}, the SDK's). */
    private static final String ID_PREFIX = "toolhost-modern-";

    private final McpClientTransport transport;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    /** Once the process is handed over to a legacy session: where its messages go instead. */
    private volatile Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> successor;

    private final AtomicLong ids = new AtomicLong();

    private StdioWire(McpClientTransport transport) {
        this.transport = transport;
    }

    /** Connects {@code transport} (starting the process) and returns the wire over it. */
    static StdioWire connect(McpClientTransport transport) {
        StdioWire wire = new StdioWire(transport);
        transport
                .connect(messages -> messages.doOnNext(wire::onMessage).then(Mono.empty()))
                .block();
        return wire;
    }

    /** Fails every request in flight: the process ended. */
    @Override
    public void terminated(String reason) {
        for (Pending p : List.copyOf(pending.values())) {
            p.result().completeExceptionally(new WireBrokenException(reason, null));
        }
    }

    @Override
    public void protocolVersion(String version) {
        // stdio has no headers: the version travels in _meta only
    }

    @Override
    public boolean isHttp() {
        return false;
    }

    @Override
    public CompletableFuture<Map<String, Object>> request(
            String method,
            Map<String, Object> params,
            Map<String, String> headers,
            Consumer<Map<String, Object>> notifications) {
        String id = ID_PREFIX + ids.incrementAndGet();
        Map<String, Object> meta = Json.object(params.get("_meta"));
        Object token = meta == null ? null : meta.get("progressToken");
        CompletableFuture<Map<String, Object>> result = new CompletableFuture<>();
        pending.put(
                id,
                new Pending(
                        id,
                        token,
                        result,
                        notifications,
                        Set.of("tools/call", "prompts/get", "resources/read").contains(method)));
        result.whenComplete((r, e) -> {
            pending.remove(id);
            if (result.isCancelled()) {
                Map<String, Object> cancel = new LinkedHashMap<>();
                cancel.put("requestId", id);
                cancel.put("reason", "cancelled by the caller");
                transport
                        .sendMessage(new McpSchema.JSONRPCNotification(
                                McpSchema.JSONRPC_VERSION, "notifications/cancelled", cancel))
                        .subscribe(null, x -> {});
            }
        });
        transport
                .sendMessage(new McpSchema.JSONRPCRequest(McpSchema.JSONRPC_VERSION, method, id, params))
                .subscribe(
                        null,
                        e -> result.completeExceptionally(
                                new WireBrokenException("sending " + method + " failed: " + e.getMessage(), e)));
        return result;
    }

    /**
     * The running process as a transport for a legacy session ({@code initialize} on the same process, after a
     * probe that got no modern answer): its {@code connect} takes the messages over instead of starting anything.
     * Requests of this wire still waiting fail.
     */
    public McpClientTransport handOver() {
        terminated("the server is legacy: the connection was handed over to initialize");
        return new McpClientTransport() {
            @Override
            public Mono<Void> connect(Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> h) {
                successor = h;
                return Mono.empty();
            }

            @Override
            public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
                return transport.sendMessage(message);
            }

            @Override
            public Mono<Void> closeGracefully() {
                return transport.closeGracefully();
            }

            @Override
            public void close() {
                transport.close();
            }

            @Override
            public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
                return transport.unmarshalFrom(data, typeRef);
            }

            @Override
            public List<String> protocolVersions() {
                return transport.protocolVersions();
            }
        };
    }

    private void onMessage(McpSchema.JSONRPCMessage message) {
        Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> next = successor;
        if (next != null) {
            if (message instanceof McpSchema.JSONRPCResponse r
                    && String.valueOf(r.id()).startsWith(ID_PREFIX)) {
                return; // a late answer to the probe
            }
            next.apply(Mono.just(message)).subscribe(v -> {}, e -> {});
            return;
        }
        if (message instanceof McpSchema.JSONRPCResponse response) {
            Pending p = pending.remove(String.valueOf(response.id()));
            if (p == null) {
                return; // a late answer to a request given up on
            }
            if (response.error() != null) {
                McpSchema.JSONRPCResponse.JSONRPCError e = response.error();
                p.result()
                        .completeExceptionally(
                                new ServerErrorException(e.code() == 0 ? -32603 : e.code(), e.message(), e.data(), -1));
            } else {
                Map<String, Object> result =
                        Json.object(McpJsonDefaults.getMapper().convertValue(response.result(), Map.class));
                p.result().complete(result == null ? Map.of() : result);
            }
        } else if (message instanceof McpSchema.JSONRPCNotification n) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("jsonrpc", "2.0");
            m.put("method", n.method());
            Map<String, Object> params = Json.object(McpJsonDefaults.getMapper().convertValue(n.params(), Map.class));
            m.put("params", params == null ? Map.of() : params);
            Pending to = owner(params);
            if (to != null) {
                to.notifications().accept(m);
            }
        } else if (message instanceof McpSchema.JSONRPCRequest request) {
            // A 2026-07-28 server asks through input_required results, never with requests of its own.
            transport
                    .sendMessage(new McpSchema.JSONRPCResponse(
                            McpSchema.JSONRPC_VERSION,
                            request.id(),
                            null,
                            new McpSchema.JSONRPCResponse.JSONRPCError(
                                    ModernProtocol.METHOD_NOT_FOUND,
                                    "Method not found: a 2026-07-28 client takes no requests (" + request.method()
                                            + ")",
                                    null)))
                    .subscribe(null, x -> {});
        }
    }

    private Pending owner(Map<String, Object> params) {
        Object token = params == null ? null : params.get("progressToken");
        Map<String, Object> meta = params == null ? null : Json.object(params.get("_meta"));
        Object subscription = meta == null ? null : meta.get(ModernProtocol.META_SUBSCRIPTION_ID);
        for (Pending p : pending.values()) {
            if (token != null && String.valueOf(token).equals(String.valueOf(p.progressToken()))) {
                return p;
            }
            if (subscription != null && String.valueOf(subscription).equals(p.id())) {
                return p;
            }
        }
        if (token != null || subscription != null) {
            return null;
        }
        // A listen stream or a list fetch beside the calls (the hub follows list changes) owns no log line.
        List<Pending> calls = pending.values().stream().filter(Pending::call).toList();
        return calls.size() == 1 ? calls.get(0) : null;
    }

    @Override
    public void close() {
        transport.close();
    }
}
