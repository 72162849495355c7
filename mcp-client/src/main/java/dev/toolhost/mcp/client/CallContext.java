package dev.toolhost.mcp.client;

import io.modelcontextprotocol.spec.McpSchema;
import java.util.function.Consumer;

/**
 * Who is calling: where progress and log messages of this call go, and who answers requests the
 * downstream server makes while serving it (elicitation, sampling).
 */
public record CallContext(
        Consumer<McpSchema.ProgressNotification> progress,
        Consumer<McpSchema.LoggingMessageNotification> logging,
        ServerRequestHandler requests) {

    /** Progress and logs dropped, server requests declined. */
    public static CallContext none() {
        return new CallContext(p -> { }, l -> { }, ServerRequestHandler.declining());
    }
}
