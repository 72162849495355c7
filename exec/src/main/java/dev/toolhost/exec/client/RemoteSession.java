package dev.toolhost.exec.client;

import dev.toolhost.exec.ExecException;
import dev.toolhost.exec.protocol.ExecProtocol.Empty;
import dev.toolhost.exec.protocol.ExecProtocol.InitializeParams;
import dev.toolhost.exec.protocol.ExecProtocol.InitializeResponse;
import dev.toolhost.exec.protocol.ExecProtocol.Methods;
import dev.toolhost.exec.protocol.RpcCodec;
import dev.toolhost.exec.protocol.RpcError;
import dev.toolhost.exec.protocol.RpcException;
import dev.toolhost.exec.protocol.RpcMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * One exec-server session: JSON-RPC request/response correlation, the initialize handshake, and, for
 * WebSocket, reconnecting with {@code initialize {resumeSessionId}} after the connection drops.
 */
final class RemoteSession {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteSession.class);

    /** What the session reports to its owner. Notifications arrive on the connection's reader thread. */
    interface Handler {
        void onNotification(String method, JsonNode params);

        /** The connection dropped; reconnecting. */
        void onDisconnected();

        /** The session was resumed on a new connection. */
        void onResumed();

        /** The session is gone for good. */
        void onLost(String reason);
    }

    private enum State {
        CONNECTING,
        READY,
        RECONNECTING,
        LOST,
        CLOSED
    }

    private final ExecTransport.Factory factory;
    private final ClientOptions options;
    private final Handler handler;
    private final ScheduledExecutorService scheduler;
    private final Executor pool;
    private final RpcCodec codec;
    private final AtomicLong nextId = new AtomicLong(1);
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private State state = State.CONNECTING;
    private Link current;
    private volatile String sessionId;

    RemoteSession(
            ExecTransport.Factory factory,
            ClientOptions options,
            Handler handler,
            ScheduledExecutorService scheduler,
            Executor pool,
            RpcCodec codec) {
        this.factory = factory;
        this.options = options;
        this.handler = handler;
        this.scheduler = scheduler;
        this.pool = pool;
        this.codec = codec;
    }

    /** Connects and initializes; throws a user-facing error naming the endpoint. */
    void open() throws ExecException {
        try {
            handshake(null);
        } catch (RpcException e) {
            closeLink();
            throw new ExecException("exec-server at " + factory.describe() + " refused initialize: " + e.getMessage());
        } catch (ExecException e) {
            closeLink();
            throw e;
        }
        synchronized (this) {
            if (state == State.CONNECTING) {
                state = State.READY;
            }
        }
    }

    String sessionId() {
        return sessionId;
    }

    String describe() {
        return factory.describe();
    }

    /** Sends a request; fails with {@link ConnectionLostException} when not connected, {@link RpcException} on an error reply. */
    CompletableFuture<JsonNode> request(String method, Object params) {
        Link link;
        synchronized (this) {
            link = state == State.READY ? current : null;
        }
        if (link == null) {
            return CompletableFuture.failedFuture(
                    new ConnectionLostException("not connected to " + factory.describe()));
        }
        return send(link, method, params);
    }

    void close() {
        synchronized (this) {
            state = State.CLOSED;
        }
        closeLink();
        failPending("the exec client was closed");
    }

    private CompletableFuture<JsonNode> send(Link link, String method, Object params) {
        long id = nextId.getAndIncrement();
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        link.transport.send(codec.encode(codec.request(id, method, params)));
        return reply.orTimeout(options.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((result, error) -> pending.remove(id));
    }

    /** Opens a connection and runs initialize (resuming when {@code resumeId} is set), then initialized. */
    private void handshake(String resumeId) throws ExecException, RpcException {
        Link link = new Link();
        link.transport = factory.connect(link);
        synchronized (this) {
            if (state == State.CLOSED) {
                link.transport.close();
                throw new ExecException("the exec client was closed");
            }
            current = link;
        }
        JsonNode result;
        try {
            result = send(link, Methods.INITIALIZE, new InitializeParams(options.clientName(), resumeId))
                    .get(options.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof CompletionException c ? c.getCause() : e.getCause();
            if (cause instanceof RpcException rpc) {
                throw rpc;
            }
            throw new ExecException("exec-server at " + factory.describe() + " did not answer initialize: "
                    + (cause instanceof TimeoutException ? "timed out" : String.valueOf(cause.getMessage())));
        } catch (TimeoutException e) {
            throw new ExecException("exec-server at " + factory.describe() + " did not answer initialize: timed out");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ExecException("interrupted while initializing the exec-server session");
        }
        String id = codec.params(result, InitializeResponse.class).sessionId();
        if (id == null) {
            throw new ExecException(
                    "exec-server at " + factory.describe() + " answered initialize without a sessionId");
        }
        sessionId = id;
        link.transport.send(codec.encode(codec.notification(Methods.INITIALIZED, new Empty())));
    }

    private void onMessage(Link link, String text) {
        RpcMessage message;
        try {
            message = codec.decode(text);
        } catch (RpcException e) {
            LOG.warn(
                    "ignoring an unreadable message from {} ({}): {}",
                    factory.describe(),
                    e.getMessage(),
                    abbreviate(text));
            return;
        }
        if (message instanceof RpcMessage.Notification note) {
            if (link == currentLink()) {
                handler.onNotification(note.method(), note.params());
            }
        } else if (message instanceof RpcMessage.Response response) {
            CompletableFuture<JsonNode> reply = pendingFor(response.id());
            if (reply != null) {
                reply.complete(response.result());
            }
        } else if (message instanceof RpcMessage.ErrorResponse error) {
            CompletableFuture<JsonNode> reply = pendingFor(error.id());
            if (reply != null) {
                reply.completeExceptionally(
                        new RpcException(error.error().code(), error.error().message()));
            } else {
                LOG.warn(
                        "exec-server {} reported an error: {}",
                        factory.describe(),
                        error.error().message());
            }
        } else if (message instanceof RpcMessage.Request request) {
            LOG.warn("ignoring request '{}' from exec-server {}", request.method(), factory.describe());
        }
    }

    private CompletableFuture<JsonNode> pendingFor(JsonNode id) {
        return id != null && id.canConvertToLong() ? pending.get(id.asLong()) : null;
    }

    private void onClosed(Link link, String reason) {
        boolean wasReady;
        synchronized (this) {
            if (link != current) {
                return;
            }
            current = null;
            wasReady = state == State.READY;
            if (wasReady) {
                state = factory.resumable() ? State.RECONNECTING : State.LOST;
            }
        }
        failPending("connection to " + factory.describe() + " lost: " + reason);
        if (!wasReady) {
            return;
        }
        if (factory.resumable()) {
            LOG.warn("connection to exec-server {} lost ({}); reconnecting", factory.describe(), reason);
            handler.onDisconnected();
            long deadline = System.nanoTime() + options.reconnectGiveUp().toNanos();
            scheduleReconnect(deadline, reason);
        } else {
            handler.onLost("connection to " + factory.describe() + " lost: " + reason);
        }
    }

    private void scheduleReconnect(long deadline, String lastError) {
        scheduler.schedule(
                () -> pool.execute(() -> reconnect(deadline, lastError)),
                options.reconnectInterval().toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private void reconnect(long deadline, String previousError) {
        synchronized (this) {
            if (state != State.RECONNECTING) {
                return;
            }
        }
        String error;
        try {
            handshake(sessionId);
            synchronized (this) {
                if (state != State.RECONNECTING) {
                    return;
                }
                state = State.READY;
            }
            LOG.warn("resumed the exec-server session at {}", factory.describe());
            handler.onResumed();
            return;
        } catch (RpcException e) {
            closeLink();
            if (e.code() != RpcError.SESSION_ATTACHED) {
                giveUp("exec-server at " + factory.describe() + " could not resume session " + sessionId + ": "
                        + e.getMessage());
                return;
            }
            error = e.getMessage();
        } catch (ExecException e) {
            closeLink();
            error = e.getMessage();
        }
        if (System.nanoTime() - deadline >= 0) {
            giveUp("lost the connection to exec-server at " + factory.describe() + " and could not reconnect within "
                    + options.reconnectGiveUp().toMillis() / 1000.0 + " s: " + error);
        } else {
            scheduleReconnect(deadline, error == null ? previousError : error);
        }
    }

    private void giveUp(String reason) {
        synchronized (this) {
            if (state != State.RECONNECTING) {
                return;
            }
            state = State.LOST;
        }
        handler.onLost(reason);
    }

    private synchronized Link currentLink() {
        return current;
    }

    private void closeLink() {
        Link link;
        synchronized (this) {
            link = current;
            current = null;
        }
        if (link != null) {
            link.transport.close();
        }
    }

    private void failPending(String reason) {
        List<CompletableFuture<JsonNode>> waiting = new ArrayList<>(pending.values());
        pending.clear();
        for (CompletableFuture<JsonNode> reply : waiting) {
            reply.completeExceptionally(new ConnectionLostException(reason));
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }

    /** Binds one transport's callbacks to this session so that a replaced connection is ignored. */
    private final class Link implements ExecTransport.Listener {
        ExecTransport transport;

        @Override
        public void onMessage(String text) {
            RemoteSession.this.onMessage(this, text);
        }

        @Override
        public void onClosed(String reason) {
            RemoteSession.this.onClosed(this, reason);
        }
    }
}
