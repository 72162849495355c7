package dev.toolhost.mcp.core;

import io.modelcontextprotocol.spec.McpSchema;

/**
 * Where the notifications that belong to one request go: its progress and its log messages, and
 * nowhere else (2026-07-28: only the request's own response stream; legacy: the session, tagged with
 * the request's progress token). Implementations drop log messages below the request's level.
 */
public interface RequestSink {

    void progress(McpSchema.ProgressNotification progress);

    void log(McpSchema.LoggingMessageNotification message);

    /** Drops everything. */
    static RequestSink none() {
        return new RequestSink() {
            @Override
            public void progress(McpSchema.ProgressNotification progress) {}

            @Override
            public void log(McpSchema.LoggingMessageNotification message) {}
        };
    }
}
