package dev.toolhost.mcp.client;

import dev.toolhost.mcp.core.RequestSink;
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

    /** This call's notifications, as the request model's sink. */
    public RequestSink sink() {
        return new RequestSink() {
            @Override
            public void progress(McpSchema.ProgressNotification p) {
                progress.accept(p);
            }

            @Override
            public void log(McpSchema.LoggingMessageNotification m) {
                logging.accept(m);
            }
        };
    }

    /** Progress and logs dropped, server requests declined. */
    public static CallContext none() {
        return new CallContext(p -> {}, l -> {}, ServerRequestHandler.declining());
    }
}
