package dev.toolhost.builtin.policy;

/** Asks whoever is in charge (the connected MCP client) whether something may run. */
@FunctionalInterface
public interface Approver {

    /**
     * Blocks until an answer arrives.
     *
     * @throws ApprovalUnavailableException when nobody can be asked (say why and how to proceed)
     */
    ApprovalDecision ask(ApprovalRequest request) throws ApprovalUnavailableException;
}
