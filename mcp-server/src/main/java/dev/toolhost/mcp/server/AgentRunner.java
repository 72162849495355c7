package dev.toolhost.mcp.server;

import dev.toolhost.mcp.client.ServerRequestHandler;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The agent loop, as the {@code agent} / {@code agent-reply} MCP tools see it. Implemented by the host
 * (which owns the loop); mcp-server only serves it.
 */
public interface AgentRunner {

    /**
     * Runs one turn to completion.
     *
     * @param events    every JSONL event of the turn (thread.started, item.*, turn.*), as JSON objects
     * @param approvals who answers approval requests during the turn (the calling MCP client)
     * @throws AgentException with a user-facing message, e.g. when no model is configured
     */
    AgentReply run(AgentRequest request, Consumer<Map<String, Object>> events, ServerRequestHandler approvals)
            throws AgentException;

    /**
     * @param threadId       null for a new thread ({@code agent}), else the thread to continue ({@code agent-reply}),
     *                       one this runner returned to the same caller (the tools check that before calling)
     * @param cwd            null for the server's working directory
     * @param sandbox        null, or read-only / workspace-write / danger-full-access
     * @param approvalPolicy null, or untrusted / on-failure / on-request / never
     * @param config         extra config overrides (dotted key to value), as {@code -c} would give
     */
    record AgentRequest(
            String threadId,
            String prompt,
            String cwd,
            String model,
            String profile,
            String sandbox,
            String approvalPolicy,
            Map<String, Object> config) {}

    record AgentReply(String threadId, String finalMessage) {}

    /** A turn that did not complete; {@link #threadId} is the thread it ran in, when one was started. */
    final class AgentException extends Exception {
        private final String threadId;

        public AgentException(String message) {
            this(message, null);
        }

        public AgentException(String message, String threadId) {
            super(message);
            this.threadId = threadId;
        }

        /** The thread the failed turn ran in (agent-reply may continue it), or null. */
        public String threadId() {
            return threadId;
        }
    }
}
