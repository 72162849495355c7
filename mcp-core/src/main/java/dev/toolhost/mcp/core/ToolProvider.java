package dev.toolhost.mcp.core;

import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Tools served in-process under the request model (the built-in tools, the agent tools): no MCP
 * session in between, in every serving mode.
 */
public interface ToolProvider {

    /** The tools, each built once; names are served as they are. */
    List<McpSchema.Tool> tools();

    /**
     * Runs a {@code tools/call} (or its retry). A tool that needs an answer (an approval) completes with
     * {@link Outcome.InputRequired} and continues when the retry brings the answer; it never blocks waiting
     * for the caller. Cancelling the future stops the call. A tool's failure is an {@code isError} result,
     * never a failed future, except for an unknown tool name ({@link IllegalArgumentException}).
     */
    CompletableFuture<Outcome<McpSchema.CallToolResult>> call(McpRequest request, RequestSink sink);

    /** The caller is gone (its legacy MCP session ended): state kept for it can go. */
    default void callerEnded(Caller caller) {}
}
