package dev.toolhost.mcp.server.modern;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CancellationException;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.AbstractEndPoint;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices at once that the client of an HTTP/1 request still being answered closed its connection.
 *
 * <p>Jetty reads an HTTP/1 connection only while a request's body is wanted: once the body is read, a client that
 * closes the connection goes unnoticed until a write to it fails (the next SSE keep-alive, or the reply). This asks
 * the connection's endpoint to say when it becomes readable: a client waiting for the answer to its POST sends
 * nothing more (RFC 9112 section 9.3.2: no pipelining after a non-idempotent request), so readable means the end of
 * the stream (the client closed it) or a reset. The watch ends before the response is completed, so that the
 * connection reads the next request itself. Only HTTP/1 connections are watched (the server's connector speaks
 * nothing else).
 */
final class ClientDeparture implements Callback {
    private static final Logger log = LoggerFactory.getLogger(ClientDeparture.class);
    private static final ClientDeparture NONE = new ClientDeparture(null, () -> {});

    private final EndPoint endPoint;
    private final Runnable onGone;
    private boolean stopped;

    private ClientDeparture(EndPoint endPoint, Runnable onGone) {
        this.endPoint = endPoint;
        this.onGone = onGone;
    }

    /**
     * Starts watching the connection {@code request} came on; {@code onGone} runs (at most once, on a Jetty thread)
     * when the client closes or resets it before {@link #stop}.
     */
    static ClientDeparture watch(HttpServletRequest request, Runnable onGone) {
        ServletContextRequest jetty = ServletContextRequest.getServletContextRequest(request);
        if (jetty == null
                || jetty.getConnectionMetaData().getHttpVersion().getVersion() >= HttpVersion.HTTP_2.getVersion()) {
            return NONE;
        }
        ClientDeparture watch = new ClientDeparture(
                jetty.getConnectionMetaData().getConnection().getEndPoint(), onGone);
        watch.arm();
        return watch;
    }

    /** Stops watching; call it before writing the reply (a client that has it may send its next request at once). */
    void stop() {
        if (endPoint == null) {
            return;
        }
        synchronized (this) {
            if (stopped) {
                return;
            }
            stopped = true;
            // Nothing else wants to read this connection while its request is being answered: the interest is ours.
            if (endPoint instanceof AbstractEndPoint e && e.isFillInterested()) {
                e.getFillInterest().onFail(new CancellationException("the response is complete"));
            }
        }
    }

    private synchronized void arm() {
        if (!stopped && !endPoint.tryFillInterested(this)) {
            log.debug("the connection is being read already; its client's departure is noticed when a write fails");
        }
    }

    /** The connection is readable. */
    @Override
    public void succeeded() {
        boolean gone;
        synchronized (this) {
            if (stopped) {
                return;
            }
            ByteBuffer buffer = BufferUtil.allocate(256);
            int read;
            try {
                read = endPoint.fill(buffer);
            } catch (IOException e) {
                read = -1; // reset
            }
            if (read == 0) {
                endPoint.tryFillInterested(this); // woken without data: keep watching
                return;
            }
            gone = read < 0;
            stopped = true;
            if (!gone) {
                // Pipelining after a POST breaks HTTP/1.1: what was read here is lost to the connection.
                log.debug("the client sent {} bytes while its request was being answered; no longer watching", read);
            }
        }
        if (gone) {
            onGone.run();
        }
    }

    /** The connection was closed or failed, unless this is {@link #stop} ending the watch. */
    @Override
    public void failed(Throwable x) {
        synchronized (this) {
            if (stopped) {
                return;
            }
            stopped = true;
        }
        onGone.run();
    }
}
