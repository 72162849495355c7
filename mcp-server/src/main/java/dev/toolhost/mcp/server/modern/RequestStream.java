package dev.toolhost.mcp.server.modern;

import dev.toolhost.mcp.core.RequestMeta;
import dev.toolhost.mcp.core.RequestSink;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One 2026-07-28 request's own notifications, onto that request's stream only (spec
 * {@code basic/patterns/subscriptions}: progress and log messages never go anywhere else). Progress is sent
 * only when the request carried a {@code progressToken}, under that token; log messages only when its
 * {@code _meta} asked for a {@code logLevel}, and only at or above it.
 */
final class RequestStream implements RequestSink {
    private static final Logger log = LoggerFactory.getLogger(RequestStream.class);

    private final RequestMeta meta;
    private final Consumer<Map<String, Object>> stream;
    private volatile boolean closed;

    RequestStream(RequestMeta meta, Consumer<Map<String, Object>> stream) {
        this.meta = meta;
        this.stream = stream;
    }

    @Override
    public void progress(McpSchema.ProgressNotification p) {
        if (meta.progressToken() == null) {
            return;
        }
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("progressToken", meta.progressToken());
        params.put("progress", p.progress());
        if (p.total() != null) {
            params.put("total", p.total());
        }
        if (p.message() != null) {
            params.put("message", p.message());
        }
        send("notifications/progress", params);
    }

    @Override
    public void log(McpSchema.LoggingMessageNotification m) {
        McpSchema.LoggingLevel wanted = meta.logLevel();
        if (wanted == null || m.level() == null || m.level().level() < wanted.level()) {
            return;
        }
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("level", m.level().name().toLowerCase(Locale.ROOT));
        if (m.logger() != null) {
            params.put("logger", m.logger());
        }
        params.put("data", m.data());
        send("notifications/message", params);
    }

    /** The request has its answer: anything later (a downstream server's late log line) has nowhere to go. */
    void close() {
        closed = true;
    }

    private void send(String method, Map<String, Object> params) {
        if (closed) {
            return;
        }
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("jsonrpc", "2.0");
        n.put("method", method);
        n.put("params", params);
        try {
            stream.accept(n);
        } catch (RuntimeException e) {
            // The stream is gone (the client hung up): the request's answer will not arrive either.
            log.debug("{} not delivered: {}", method, e.toString());
        }
    }
}
