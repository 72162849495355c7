package dev.toolhost.mcp.client.modern;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.nio.channels.ClosedChannelException;

/**
 * What went wrong on the network, in words: the JDK HTTP client's exceptions often carry no message (a
 * {@link ConnectException} or {@link ClosedChannelException} has none), which would show as {@code null} or a bare
 * class name.
 */
public final class NetworkFailures {
    private NetworkFailures() {}

    /** Whether the connection could not be made: refused, or the host unreachable. */
    public static boolean refused(Throwable e) {
        return find(e, ConnectException.class) != null;
    }

    /** Whether the server closed an open connection (mid-request, or before any answer on a reused one). */
    public static boolean closedByServer(Throwable e) {
        if (find(e, ClosedChannelException.class) != null || find(e, EOFException.class) != null) {
            return true;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && (m.contains("header parser received no bytes") || m.contains("Connection reset"))) {
                return true;
            }
        }
        return false;
    }

    /** A short reason for a failed HTTP exchange: never {@code null}, never only a class name when we know better. */
    public static String describe(Throwable e) {
        if (find(e, HttpConnectTimeoutException.class) != null) {
            return "the connection timed out";
        }
        if (refused(e)) {
            return "connection refused or host unreachable";
        }
        if (closedByServer(e)) {
            return "the server closed the connection";
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getMessage();
            }
        }
        return e == null ? "unknown error" : e.getClass().getSimpleName();
    }

    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
