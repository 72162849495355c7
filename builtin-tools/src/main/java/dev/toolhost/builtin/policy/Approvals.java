package dev.toolhost.builtin.policy;

import dev.toolhost.builtin.SessionState;
import dev.toolhost.builtin.ToolError;
import dev.toolhost.config.ApprovalPolicy;

/**
 * Asks for approval through an {@link Approver} and turns anything but a yes into a {@link ToolError}
 * that says the call was denied and by which policy. Remembers approved-for-session answers.
 */
public final class Approvals {
    private Approvals() {}

    /**
     * Returns normally when approved (now or earlier in the session); otherwise throws.
     *
     * @param what short description of the action for the denial message, e.g. "exec_command 'rm -rf x'"
     */
    public static void require(
            SessionState session, Approver approver, ApprovalPolicy policy, ApprovalRequest request, String what)
            throws ToolError {
        if (session.isApprovedForSession(request.subject())) {
            return;
        }
        ApprovalDecision decision;
        try {
            decision = approver.ask(request);
        } catch (ApprovalUnavailableException e) {
            throw new ToolError("denied: " + what + " was not run (approval_policy " + policy.wireName()
                    + " requires approval): " + e.getMessage());
        }
        switch (decision) {
            case APPROVED -> {}
            case APPROVED_FOR_SESSION -> session.approveForSession(request.subject());
            case DENIED ->
                throw new ToolError("denied: " + what + " was not run: the user denied it (approval_policy "
                        + policy.wireName() + ")");
            case ABORT ->
                throw new ToolError("aborted: " + what + " was not run: the user denied it and asked to stop"
                        + " (approval_policy " + policy.wireName() + "); do not retry, wait for new instructions");
        }
    }
}
