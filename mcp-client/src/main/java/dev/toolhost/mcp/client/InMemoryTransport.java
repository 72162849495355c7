package dev.toolhost.mcp.client;

import dev.toolhost.mcp.core.CancellableRequests;
import dev.toolhost.mcp.core.McpVersions;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpServerSession;
import io.modelcontextprotocol.spec.McpServerTransport;
import io.modelcontextprotocol.spec.McpServerTransportProvider;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;

/**
 * An SDK client transport and an SDK server transport provider joined in memory: JSON-RPC message
 * objects pass between them without framing or serialization, so the built-in tools server runs
 * in-process behind the same client code as any external server.
 *
 * <p>Each direction is delivered in order on its own thread, like a real transport's reader, so a
 * sender never runs the receiver's handlers on its own stack. {@code notifications/cancelled} from
 * the client cancels the named request's handler ({@link CancellableRequests}).
 *
 * <pre>{@code
 * InMemoryTransport pair = InMemoryTransport.create();
 * McpServer.sync(pair.serverProvider()).serverInfo(..).capabilities(..).tools(..).build();
 * McpClient.async(pair.clientTransport())...
 * }</pre>
 */
public final class InMemoryTransport {

    /** Every protocol version the SDK knows; the in-memory pair never hides newer features. */
    private final McpJsonMapper mapper;

    private final ExecutorService toServer;
    private final ExecutorService toClient;
    private final CompletableFuture<McpServerSession> session = new CompletableFuture<>();
    private final CompletableFuture<Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>>>
            clientHandler = new CompletableFuture<>();
    private final ClientSide client = new ClientSide();
    private final ServerProvider provider = new ServerProvider();
    private final CancellableRequests running = new CancellableRequests();
    private volatile boolean closed;

    private InMemoryTransport(String name) {
        this.mapper = McpJsonDefaults.getMapper();
        this.toServer = Executors.newSingleThreadExecutor(r -> daemon(r, "mcp-inmem-" + name + "-to-server"));
        this.toClient = Executors.newSingleThreadExecutor(r -> daemon(r, "mcp-inmem-" + name + "-to-client"));
    }

    public static InMemoryTransport create() {
        return create("builtin");
    }

    /** @param name used in thread names only */
    public static InMemoryTransport create(String name) {
        return new InMemoryTransport(name);
    }

    public McpClientTransport clientTransport() {
        return client;
    }

    public McpServerTransportProvider serverProvider() {
        return provider;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private Mono<Void> deliverToServer(McpSchema.JSONRPCMessage message) {
        return Mono.defer(() -> {
            if (closed) {
                return Mono.error(new IllegalStateException("the in-memory MCP connection is closed"));
            }
            toServer.execute(() -> {
                McpServerSession s = session.join();
                if (message instanceof McpSchema.JSONRPCRequest request) {
                    Disposable.Swap handling = Disposables.swap();
                    Runnable unregister = running.register(null, request.id(), handling::dispose);
                    handling.update(s.handle(request)
                            .doFinally(signal -> unregister.run())
                            .subscribe(null, e -> {}));
                } else if (CancellableRequests.isCancellation(message)) {
                    running.cancel(null, CancellableRequests.cancelledRequestId(message));
                } else {
                    s.handle(message).subscribe(v -> {}, e -> {});
                }
            });
            return Mono.empty();
        });
    }

    private Mono<Void> deliverToClient(McpSchema.JSONRPCMessage message) {
        return Mono.defer(() -> {
            if (closed) {
                return Mono.error(new IllegalStateException("the in-memory MCP connection is closed"));
            }
            toClient.execute(
                    () -> clientHandler.join().apply(Mono.just(message)).subscribe(v -> {}, e -> {}));
            return Mono.empty();
        });
    }

    private void shutdown() {
        closed = true;
        toServer.shutdown();
        toClient.shutdown();
    }

    private final class ClientSide implements McpClientTransport {
        @Override
        public Mono<Void> connect(Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler) {
            return Mono.fromRunnable(() -> clientHandler.complete(handler));
        }

        @Override
        public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
            return deliverToServer(message);
        }

        @Override
        public Mono<Void> closeGracefully() {
            return Mono.fromRunnable(() -> {
                McpServerSession s = session.getNow(null);
                if (s != null) {
                    s.close();
                }
                shutdown();
            });
        }

        @Override
        public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
            return mapper.convertValue(data, typeRef);
        }

        @Override
        public List<String> protocolVersions() {
            return McpVersions.LEGACY;
        }
    }

    private final class ServerProvider implements McpServerTransportProvider {
        @Override
        public void setSessionFactory(McpServerSession.Factory sessionFactory) {
            session.complete(sessionFactory.create(new ServerSide()));
        }

        @Override
        public Mono<Void> notifyClients(String method, Object params) {
            return Mono.defer(() -> session.join().sendNotification(method, params));
        }

        @Override
        public Mono<Void> notifyClient(String sessionId, String method, Object params) {
            return notifyClients(method, params);
        }

        @Override
        public Mono<Void> closeGracefully() {
            return Mono.fromRunnable(InMemoryTransport.this::shutdown);
        }

        @Override
        public List<String> protocolVersions() {
            return McpVersions.LEGACY;
        }
    }

    private final class ServerSide implements McpServerTransport {
        @Override
        public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
            return deliverToClient(message);
        }

        @Override
        public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
            return mapper.convertValue(data, typeRef);
        }

        @Override
        public Mono<Void> closeGracefully() {
            return Mono.empty();
        }

        @Override
        public List<String> protocolVersions() {
            return McpVersions.LEGACY;
        }
    }
}
