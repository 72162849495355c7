package dev.toolhost.exec.server;

import io.netty.buffer.Unpooled;
import io.vertx.core.Context;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;

/** A WebSocket connection (Vert.x): one JSON message per text frame, sent from its event-loop context. */
final class WebSocketServerTransport implements Transport {

    /** Bytes Vert.x may buffer for the socket before {@link #writeQueueFull()} says stop. */
    static final int WRITE_QUEUE_BYTES = 1024 * 1024;

    private final ServerWebSocket ws;
    private final Context context;

    WebSocketServerTransport(ServerWebSocket ws, Context context) {
        this.ws = ws;
        this.context = context;
        ws.setWriteQueueMaxSize(WRITE_QUEUE_BYTES);
    }

    @Override
    public void execute(Runnable task) {
        context.runOnContext(v -> task.run());
    }

    @Override
    public void send(byte[]... message) {
        if (!ws.isClosed()) {
            // One text frame straight from the pieces: no String round trip, no copy of the base64 data.
            ws.writeFrame(new WebSocketFrameImpl(WebSocketFrameType.TEXT, Unpooled.wrappedBuffer(message), true));
        }
    }

    @Override
    public boolean writeQueueFull() {
        return !ws.isClosed() && ws.writeQueueFull();
    }

    @Override
    public void whenWritable(Runnable task) {
        ws.drainHandler(v -> {
            ws.drainHandler(null);
            task.run();
        });
    }

    @Override
    public void flush() {
        // Vert.x flushes each write
    }

    @Override
    public boolean resumable() {
        return true;
    }

    @Override
    public void close() {
        context.runOnContext(v -> ws.close());
    }
}
