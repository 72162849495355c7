package dev.toolhost.exec.client;

import dev.toolhost.exec.ExecException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The exec protocol over a WebSocket, one JSON message per text frame.
 *
 * <p>Built on the JDK's {@code java.net.http.WebSocket} rather than Vert.x (which the server uses): a
 * client library embedded in tools should not own an event loop it must remember to shut down, and the
 * JDK's handshake failure carries the HTTP status, which turns a bad token into a clear "HTTP 401" error.
 */
final class WebSocketTransport implements ExecTransport {

    private final WebSocket socket;
    private final Receiver receiver;
    private final Object sendLock = new Object();
    private CompletableFuture<?> sendChain = CompletableFuture.completedFuture(null);

    private WebSocketTransport(WebSocket socket, Receiver receiver) {
        this.socket = socket;
        this.receiver = receiver;
    }

    static Factory factory(HttpClient http, URI url, String token, Duration connectTimeout) {
        return new Factory() {
            @Override
            public ExecTransport connect(Listener listener) throws ExecException {
                Receiver receiver = new Receiver(listener);
                WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(connectTimeout);
                if (token != null) {
                    builder.header("Authorization", "Bearer " + token);
                }
                try {
                    WebSocket socket = builder.buildAsync(url, receiver)
                            .get(connectTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
                    return new WebSocketTransport(socket, receiver);
                } catch (ExecutionException e) {
                    throw connectError(url, e.getCause());
                } catch (TimeoutException e) {
                    throw new ExecException("timed out connecting to exec-server at " + url);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ExecException("interrupted while connecting to exec-server at " + url);
                }
            }

            @Override
            public boolean resumable() {
                return true;
            }

            @Override
            public String describe() {
                return url.toString();
            }
        };
    }

    private static ExecException connectError(URI url, Throwable cause) {
        if (cause instanceof WebSocketHandshakeException handshake) {
            int status = handshake.getResponse().statusCode();
            if (status == 401) {
                return new ExecException("exec-server at " + url
                        + " rejected the connection token (HTTP 401 Unauthorized); check exec_server_token_file");
            }
            return new ExecException("exec-server at " + url + " refused the WebSocket upgrade (HTTP " + status + ")");
        }
        if (cause instanceof HttpTimeoutException) {
            return new ExecException("timed out connecting to exec-server at " + url);
        }
        if (cause instanceof ConnectException || cause != null && cause.getCause() instanceof ConnectException) {
            return new ExecException("cannot reach exec-server at " + url + ": connection refused");
        }
        String detail = cause == null ? "unknown error" : cause.getClass().getSimpleName()
                + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        return new ExecException("cannot connect to exec-server at " + url + ": " + detail, cause);
    }

    @Override
    public void send(String json) {
        synchronized (sendLock) {
            // java.net.http allows one outstanding send at a time: chain them.
            sendChain = sendChain.thenCompose(ignored -> socket.sendText(json, true));
            sendChain.exceptionally(e -> {
                receiver.closed("send failed: " + e.getMessage());
                socket.abort();
                return null;
            });
        }
    }

    @Override
    public void close() {
        socket.abort();
        receiver.closed("closed by client");
    }

    /** Reassembles fragmented text messages and reports the end of the connection once. */
    private static final class Receiver implements WebSocket.Listener {
        private final Listener listener;
        private final StringBuilder partial = new StringBuilder();
        private final AtomicBoolean closed = new AtomicBoolean();

        Receiver(Listener listener) {
            this.listener = listener;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String message = partial.toString();
                partial.setLength(0);
                if (!closed.get()) {
                    listener.onMessage(message);
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed("closed by server (" + statusCode + (reason.isEmpty() ? "" : " " + reason) + ")");
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed(error.getClass().getSimpleName() + (error.getMessage() == null ? "" : ": " + error.getMessage()));
        }

        void closed(String reason) {
            if (closed.compareAndSet(false, true)) {
                listener.onClosed(reason);
            }
        }
    }
}
