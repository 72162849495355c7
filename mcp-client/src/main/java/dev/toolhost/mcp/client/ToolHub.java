package dev.toolhost.mcp.client;

import dev.toolhost.mcp.core.Caller;
import dev.toolhost.mcp.core.InputRounds;
import dev.toolhost.mcp.core.McpRequest;
import dev.toolhost.mcp.core.Outcome;
import dev.toolhost.mcp.core.RequestMeta;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Every tool Toolhost has, built-in and external, under one namespace. External tools are named
 * {@code mcp__<server>__<tool>}; tools of the local built-in server keep their plain names.
 *
 * <p>The hub never throws for a failing server or tool: failures come back as {@code isError}
 * results (or a failed future for a call to an unknown tool), and one server's failure never
 * disturbs another.
 */
public interface ToolHub extends AutoCloseable {

    /** The current tools, sorted by qualified name. */
    List<HubTool> tools();

    /** The tool with this qualified name, or null when the hub has none. */
    default HubTool tool(String qualifiedName) {
        return tools().stream()
                .filter(t -> t.qualifiedName().equals(qualifiedName))
                .findFirst()
                .orElse(null);
    }

    /**
     * Runs a {@code tools/call} (or its retry) by qualified name under the request model: the outcome is
     * complete or input-required (a built-in tool asking for approval). Cancelling the returned future
     * cancels the call ({@code notifications/cancelled} downstream). Times out after the server's
     * {@code tool_timeout_sec} with an {@code isError} result; fails only for an unknown tool
     * ({@link IllegalArgumentException}).
     *
     * <p>The future may complete on the thread that received the answer, usually the server
     * connection's reader (a hop to another thread per call was a large share of a gateway's CPU).
     * Stages that may block, or that wait for another call, must run elsewhere: use the
     * {@code *Async} variants for them.
     */
    CompletableFuture<Outcome<McpSchema.CallToolResult>> callTool(McpRequest request, CallContext context);

    /**
     * Calls a tool as Toolhost itself (the CLI, the agent loop): input requests are answered by
     * {@code context.requests()} (a terminal prompt, or the MCP client upstream) and the call is retried
     * with the answers, as a legacy session would. The requests are shown as the tool's server's, as a legacy
     * server's are.
     */
    default CompletableFuture<McpSchema.CallToolResult> call(
            String qualifiedName, Map<String, Object> arguments, CallContext context) {
        HubTool tool = tool(qualifiedName);
        return callTool(
                McpRequest.toolCall(qualifiedName, arguments, RequestMeta.local()),
                context,
                tool == null ? qualifiedName : tool.server());
    }

    /**
     * {@link #callTool} with input requests answered by {@code context.requests()}, up to {@link InputRounds#MAX_ROUNDS}.
     *
     * @param asker the name the input requests are shown under: the name of the server that owns the tool (a legacy
     *              server's own requests are shown under it too)
     */
    default CompletableFuture<McpSchema.CallToolResult> callTool(
            McpRequest request, CallContext context, String asker) {
        return InputRounds.resolve(
                request, r -> callTool(r, context), input -> InputAnswers.answer(context.requests(), asker, input));
    }

    /** The caller is gone (its MCP session ended): per-caller state kept for it (processes, approvals) is dropped. */
    default void callerEnded(Caller caller) {}

    /** Live status of every configured server (including the built-in one and disabled ones). */
    List<ServerStatus> servers();

    List<HubResource> resources();

    List<HubResourceTemplate> resourceTemplates();

    CompletableFuture<McpSchema.ReadResourceResult> readResource(String uri);

    /**
     * {@code resources/read} in the request model ({@code params.uri}): input rounds, errors and {@code context} as
     * {@link #getPrompt(McpRequest, CallContext)}'s.
     */
    default CompletableFuture<Outcome<McpSchema.ReadResourceResult>> readResource(
            McpRequest request, CallContext context) {
        return readResource(String.valueOf(request.params().get("uri"))).thenApply(Outcome::complete);
    }

    /**
     * {@link #readResource(McpRequest, CallContext)} with input requests answered by {@code context.requests()}, as a
     * legacy session's.
     */
    default CompletableFuture<McpSchema.ReadResourceResult> readResource(
            McpRequest request, CallContext context, String asker) {
        return InputRounds.resolve(
                request, r -> readResource(r, context), input -> InputAnswers.answer(context.requests(), asker, input));
    }

    List<HubPrompt> prompts();

    CompletableFuture<McpSchema.GetPromptResult> getPrompt(String qualifiedName, Map<String, Object> arguments);

    /**
     * {@code prompts/get} in the request model ({@code request.name()} qualified): a 2026-07-28 server's
     * {@code input_required} answer comes back as {@link Outcome.InputRequired} for the caller to answer and retry
     * with, as {@link #callTool(McpRequest, CallContext)}'s does; a server's JSON-RPC error fails the future with an
     * {@link io.modelcontextprotocol.spec.McpError} carrying its code and data. What a legacy server asks while it
     * works on it (elicitation, sampling, roots) goes to {@code context}, as during a tool call. Cancelling the future
     * cancels the request.
     */
    default CompletableFuture<Outcome<McpSchema.GetPromptResult>> getPrompt(McpRequest request, CallContext context) {
        return getPrompt(request.name(), request.arguments()).thenApply(Outcome::complete);
    }

    /**
     * {@link #getPrompt(McpRequest, CallContext)} with input requests answered by {@code context.requests()}, as a
     * legacy session's.
     */
    default CompletableFuture<McpSchema.GetPromptResult> getPrompt(
            McpRequest request, CallContext context, String asker) {
        return InputRounds.resolve(
                request, r -> getPrompt(r, context), input -> InputAnswers.answer(context.requests(), asker, input));
    }

    /**
     * {@code completion/complete} for a prompt argument (the reference names the prompt by its qualified name) or
     * a resource template variable, answered by the server that offers it. Fails with
     * {@link IllegalArgumentException} for an unknown prompt or template; the default hub offers none.
     */
    default CompletableFuture<McpSchema.CompleteResult> complete(McpSchema.CompleteRequest request) {
        return CompletableFuture.failedFuture(new IllegalArgumentException("this tool hub offers no completions"));
    }

    /** Whether some server offers resource subscriptions ({@code resources/subscribe}). */
    default boolean resourceSubscriptions() {
        return false;
    }

    /**
     * Subscribes to a resource's updates (legacy {@code resources/subscribe} downstream); updates reach
     * {@link #addResourceUpdatedListener} listeners. Fails with {@link IllegalArgumentException} when no server
     * offers subscriptions to it. Each subscribe is matched by one {@link #unsubscribeResource}.
     */
    default CompletableFuture<Void> subscribeResource(String uri) {
        return CompletableFuture.failedFuture(
                new IllegalArgumentException("this tool hub offers no resource" + " subscriptions"));
    }

    default CompletableFuture<Void> unsubscribeResource(String uri) {
        return CompletableFuture.completedFuture(null);
    }

    /** Called with a resource's uri when a server reports it updated ({@code notifications/resources/updated}). */
    default void addResourceUpdatedListener(Consumer<String> listener) {}

    /** Called after the tool list changed (a server's {@code list_changed}, a restart, a failure). */
    void addToolsChangedListener(Runnable listener);

    void addResourcesChangedListener(Runnable listener);

    void addPromptsChangedListener(Runnable listener);

    @Override
    void close();

    /** A tool as the hub presents it: {@code tool.name()} is the qualified name. */
    record HubTool(String qualifiedName, String server, String originalName, McpSchema.Tool tool) {}

    record HubResource(String server, McpSchema.Resource resource) {}

    record HubResourceTemplate(String server, McpSchema.ResourceTemplate template) {}

    /** {@code prompt.name()} is the qualified name. */
    record HubPrompt(String qualifiedName, String server, String originalName, McpSchema.Prompt prompt) {}

    /**
     * @param state  READY, FAILED, DISABLED or STARTING
     * @param detail the failure reason, or null
     */
    record ServerStatus(String name, State state, int toolCount, String detail) {
        public enum State {
            STARTING,
            READY,
            FAILED,
            DISABLED
        }
    }
}
