package dev.toolhost.host.model;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads server-sent events from a streaming HTTP body. Lines arrive from the HTTP client's thread into a
 * queue; the reader waits at most the idle timeout for each, so a stalled stream fails instead of hanging.
 */
public final class SseStream implements Flow.Subscriber<String>, AutoCloseable {
    private static final Object END = new Object();

    private final BlockingQueue<Object> lines = new LinkedBlockingQueue<>();
    private final String provider;
    private final long idleTimeoutMs;
    private volatile Flow.Subscription subscription;
    private volatile boolean closed;
    private boolean ended;

    SseStream(String provider, long idleTimeoutMs) {
        this.provider = provider;
        this.idleTimeoutMs = idleTimeoutMs;
    }

    /** The body subscriber that feeds this stream, line by line. */
    HttpResponse.BodySubscriber<String> bodySubscriber() {
        return HttpResponse.BodySubscribers.fromLineSubscriber(this, s -> null, StandardCharsets.UTF_8, null);
    }

    /** The next event, or null once the stream has ended. */
    public SseEvent next() throws ModelException, InterruptedException {
        String event = null;
        StringBuilder data = null;
        while (true) {
            String line = nextLine();
            if (line == null || line.isEmpty()) {
                if (data != null) {
                    return new SseEvent(event, data.toString());
                }
                if (line == null) {
                    return null;
                }
                event = null;
                continue;
            }
            if (line.startsWith(":")) {
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            if (field.equals("event")) {
                event = value;
            } else if (field.equals("data")) {
                data = data == null
                        ? new StringBuilder(value)
                        : data.append('\n').append(value);
            }
        }
    }

    private String nextLine() throws ModelException, InterruptedException {
        if (ended) {
            return null;
        }
        Object item = lines.poll(idleTimeoutMs, TimeUnit.MILLISECONDS);
        if (item == null) {
            close();
            throw ModelException.streamBroken("model provider '" + provider + "' sent nothing for " + idleTimeoutMs
                    + " ms; the stream was abandoned (raise stream_idle_timeout_ms in [model_providers." + provider
                    + "] if the model is just slow)");
        }
        if (item == END) {
            ended = true;
            return null;
        }
        if (item instanceof Throwable t) {
            ended = true;
            throw ModelException.streamBroken(
                    "the stream from model provider '" + provider + "' broke off: " + describe(t));
        }
        return (String) item;
    }

    private static String describe(Throwable t) {
        while (t.getCause() != null && t.getMessage() == null) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (closed) {
            s.cancel();
        } else {
            s.request(Long.MAX_VALUE);
        }
    }

    @Override
    public void onNext(String line) {
        lines.add(line);
    }

    @Override
    public void onError(Throwable t) {
        lines.add(t);
    }

    @Override
    public void onComplete() {
        lines.add(END);
    }

    /** Stops reading; the HTTP exchange is cancelled. */
    @Override
    public void close() {
        closed = true;
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
    }
}
