package dev.toolhost.mcp.client;

import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * One call's {@code tool_timeout_sec}: it runs while the server works and stops while a request the server made
 * for the call (elicitation, sampling, roots) waits for the caller's answer, which a person may take minutes to
 * give. What bounds that wait is whoever asks the person (the gateway's park wait, a client's own timeout).
 */
final class CallClock {
    private long deadlineNanos;
    /** The server's requests of this call with the caller right now; the clock runs only at zero. */
    private int asking;

    private long stoppedNanos;

    CallClock(Duration budget) {
        this.deadlineNanos = System.nanoTime() + budget.toNanos();
    }

    /** {@code handler}, with this clock stopped while it asks the caller. */
    ServerRequestHandler stoppedWhileAsking(ServerRequestHandler handler) {
        return new ServerRequestHandler() {
            @Override
            public McpSchema.ElicitResult elicit(String server, McpSchema.ElicitRequest request) {
                return stopped(() -> handler.elicit(server, request));
            }

            @Override
            public McpSchema.CreateMessageResult sample(String server, McpSchema.CreateMessageRequest request) {
                return stopped(() -> handler.sample(server, request));
            }

            @Override
            public McpSchema.ListRootsResult listRoots(String server) {
                return stopped(() -> handler.listRoots(server));
            }

            @Override
            public String callerKey() {
                return handler.callerKey();
            }

            @Override
            public boolean awaitingAnswer() {
                return handler.awaitingAnswer();
            }

            @Override
            public boolean gathering() {
                return handler.gathering();
            }
        };
    }

    private <T> T stopped(Supplier<T> ask) {
        stop();
        try {
            return ask.get();
        } finally {
            resume();
        }
    }

    private synchronized void stop() {
        if (asking++ == 0) {
            stoppedNanos = System.nanoTime();
        }
    }

    /** The clock runs on from where it stopped once no request of the call is with the caller. */
    private synchronized void resume() {
        if (--asking == 0) {
            deadlineNanos += System.nanoTime() - stoppedNanos;
        }
    }

    /** Whether the call has used up its time by {@code nowNanos} ({@link System#nanoTime}). */
    synchronized boolean overdue(long nowNanos) {
        return asking == 0 && nowNanos - deadlineNanos >= 0;
    }
}
