package dev.toolhost.exec.client;

import dev.toolhost.config.Redact;
import dev.toolhost.exec.ExecException;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The exec protocol over a WebSocket, one JSON message per text message.
 *
 * <p>Built on Vert.x's WebSocket client (the server uses Vert.x too) rather than {@code java.net.http}:
 * the JDK client was observed here to miss an abrupt TCP close that arrives while it is receiving a large
 * message (no onClose/onError), which would leave the client waiting instead of resuming. Vert.x reports
 * every close, aggregates fragmented messages, and its upgrade rejection carries the HTTP status, which
 * turns a bad token into a clear "HTTP 401" error. One event-loop thread per backend.
 */
final class WebSocketClientTransport implements ExecTransport {

    /** A read reply carries up to the 1 MiB retained window, base64-encoded, in one message. */
    private static final int MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

    private static final int MAX_FRAME_BYTES = 16 * 1024 * 1024;

    private final WebSocket socket;
    private final AtomicBoolean closed;
    private final Listener listener;

    private WebSocketClientTransport(WebSocket socket, AtomicBoolean closed, Listener listener) {
        this.socket = socket;
        this.closed = closed;
        this.listener = listener;
    }

    static Factory factory(URI url, String token, Duration connectTimeout) {
        Vertx vertx = Vertx.vertx(
                new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1).setInternalBlockingPoolSize(1));
        WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions()
                .setMaxMessageSize(MAX_MESSAGE_BYTES)
                .setMaxFrameSize(MAX_FRAME_BYTES)
                .setTcpNoDelay(true)
                .setConnectTimeout((int) connectTimeout.toMillis()));
        return new Factory() {
            @Override
            public ExecTransport connect(Listener listener) throws ExecException {
                // Not setTimeout(): on a WebSocket it is a timer that closes the connection (status 1000) once
                // it fires, whatever the traffic (observed after 5 s of busy use).
                WebSocketConnectOptions options = new WebSocketConnectOptions()
                        .setAbsoluteURI(url.toString())
                        .setAllowOriginHeader(false) // not a browser: no Origin, as Codex's client
                        .setConnectTimeout(connectTimeout.toMillis());
                if (token != null) {
                    options.putHeader("Authorization", "Bearer " + token);
                }
                AtomicBoolean closed = new AtomicBoolean();
                CompletableFuture<ExecTransport> connected = new CompletableFuture<>();
                // Handlers are set on the event loop as the upgrade completes, before any message is read.
                client.connect(options).onComplete(result -> {
                    if (result.failed()) {
                        connected.completeExceptionally(result.cause());
                        return;
                    }
                    WebSocket ws = result.result();
                    WebSocketClientTransport transport = new WebSocketClientTransport(ws, closed, listener);
                    ws.textMessageHandler(transport::onText);
                    ws.exceptionHandler(e -> transport.finish(describeError(e)));
                    ws.closeHandler(ignored -> transport.finish("closed by server"
                            + (ws.closeStatusCode() == null ? "" : " (" + ws.closeStatusCode() + ")")));
                    connected.complete(transport);
                });
                try {
                    return connected.get(connectTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    throw connectError(url, e.getCause());
                } catch (TimeoutException e) {
                    throw new ExecException("timed out connecting to exec-server at " + Redact.url(url.toString()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ExecException(
                            "interrupted while connecting to exec-server at " + Redact.url(url.toString()));
                }
            }

            @Override
            public boolean resumable() {
                return true;
            }

            @Override
            public String describe() {
                return Redact.url(url.toString());
            }

            @Override
            public void close() {
                vertx.close();
            }
        };
    }

    private static ExecException connectError(URI uri, Throwable cause) {
        String url = Redact.url(uri.toString());
        if (cause instanceof UpgradeRejectedException rejected) {
            if (rejected.getStatus() == 401) {
                return new ExecException("exec-server at " + url
                        + " rejected the connection token (HTTP 401 Unauthorized); check exec_server_token_file");
            }
            return new ExecException(
                    "exec-server at " + url + " refused the WebSocket upgrade (HTTP " + rejected.getStatus() + ")");
        }
        if (cause instanceof ConnectException) {
            return new ExecException("cannot reach exec-server at " + url + ": connection refused");
        }
        return new ExecException("cannot connect to exec-server at " + url + ": " + describeError(cause), cause);
    }

    private static String describeError(Throwable e) {
        return e == null
                ? "unknown error"
                : e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    private void onText(String message) {
        if (!closed.get()) {
            listener.onMessage(message);
        }
    }

    @Override
    public void send(String json) {
        // Serialized so that messages leave in call order.
        synchronized (this) {
            socket.writeTextMessage(json).onFailure(e -> finish("send failed: " + describeError(e)));
        }
    }

    @Override
    public void close() {
        socket.close();
        finish("closed by client");
    }

    private void finish(String reason) {
        if (closed.compareAndSet(false, true)) {
            listener.onClosed(reason);
        }
    }
}
