package dev.toolhost.builtin.policy;

/** Asks whoever is in charge (the calling MCP client) whether something may run. */
@FunctionalInterface
public interface Approver {

    /**
     * The answer, when there is one.
     *
     * @throws ApprovalUnavailableException when nobody can be asked (say why and how to proceed)
     * @throws ApprovalPending              when the question goes to the caller and the call must end as
     *                                      input-required (see {@link RoundApprover})
     */
    ApprovalDecision ask(ApprovalRequest request) throws ApprovalUnavailableException;

    /** True when {@code subject} already has an answer in this call (asking will not end the round). */
    default boolean answered(String subject) {
        return false;
    }

    /**
     * Keeps {@code value} (JSON: strings, numbers, booleans, lists, maps) for this call's later rounds, when asking
     * may end the round: what a step that will not run again produced, such as a sandboxed run's result. An
     * approver whose answers never end the round has no later rounds and keeps nothing.
     */
    default void keep(String key, Object value) {}

    /** What an earlier round of this call kept under {@code key}, or null. */
    default Object kept(String key) {
        return null;
    }
}
