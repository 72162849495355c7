package dev.toolhost.builtin.policy;

import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Map;

/**
 * Asks the connected MCP client with {@code elicitation/create}: a form with one required string
 * {@code decision} (approved, approved_for_session, denied, abort). Declining the form counts as denied,
 * cancelling it as abort.
 */
public final class ElicitationApprover implements Approver {
    static final Map<String, Object> SCHEMA = Map.of(
            "type", "object",
            "properties", Map.of("decision", Map.of(
                    "type", "string",
                    "title", "Decision",
                    "description", "approved: run it once; approved_for_session: run it and don't ask again for this"
                            + " exact command; denied: don't run it; abort: don't run it and stop",
                    "enum", List.of("approved", "approved_for_session", "denied", "abort"))),
            "required", List.of("decision"));

    private final McpSyncServerExchange exchange;

    public ElicitationApprover(McpSyncServerExchange exchange) {
        this.exchange = exchange;
    }

    @Override
    public ApprovalDecision ask(ApprovalRequest request) throws ApprovalUnavailableException {
        McpSchema.ClientCapabilities caps = exchange.getClientCapabilities();
        if (caps == null || caps.elicitation() == null) {
            throw new ApprovalUnavailableException("approval is required but the connected MCP client does not support"
                    + " elicitation, so nobody can be asked. To proceed, run with '-a never' (failures are returned"
                    + " instead of asking), pick a sandbox that allows this ('-s workspace-write' or"
                    + " '-s danger-full-access'), or use a client that declares the elicitation capability");
        }
        McpSchema.ElicitResult result;
        try {
            result = exchange.createElicitation(McpSchema.ElicitRequest.builder()
                    .message(request.message())
                    .requestedSchema(SCHEMA)
                    .build());
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof java.util.concurrent.TimeoutException) {
                    throw new ApprovalUnavailableException("the MCP client did not answer the approval request in time"
                            + " (the server's request timeout ran out)");
                }
            }
            throw new ApprovalUnavailableException("asking the MCP client for approval failed: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
        if (result == null || result.action() == null) {
            return ApprovalDecision.DENIED;
        }
        return switch (result.action()) {
            case ACCEPT -> decisionOf(result.content());
            case DECLINE -> declined(result);
            case CANCEL -> ApprovalDecision.ABORT;
        };
    }

    /**
     * A decline that carries {@code _meta.reason} came from a relay (the hub) that had nobody to ask, not
     * from a person: report the reason rather than "the user denied it".
     */
    private static ApprovalDecision declined(McpSchema.ElicitResult result) throws ApprovalUnavailableException {
        Object reason = result.meta() == null ? null : result.meta().get("reason");
        if (reason != null) {
            throw new ApprovalUnavailableException(reason.toString());
        }
        return ApprovalDecision.DENIED;
    }

    private static ApprovalDecision decisionOf(Map<String, Object> content) throws ApprovalUnavailableException {
        Object d = content == null ? null : content.get("decision");
        if (d == null) {
            return ApprovalDecision.DENIED;
        }
        try {
            return ApprovalDecision.fromWireName(d.toString());
        } catch (IllegalArgumentException e) {
            throw new ApprovalUnavailableException("the MCP client answered the approval request with decision '" + d
                    + "'; expected one of approved, approved_for_session, denied, abort");
        }
    }
}
