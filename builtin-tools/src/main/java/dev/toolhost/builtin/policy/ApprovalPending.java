package dev.toolhost.builtin.policy;

import dev.toolhost.mcp.core.InputRequest;

/**
 * Thrown by an {@link Approver} that has no answer yet: the call ends as input-required with
 * {@code request}, and the retry that carries the answer runs the tool again up to the same question.
 * Unchecked so that a tool's own {@code catch (ToolError)} never swallows it.
 */
public final class ApprovalPending extends RuntimeException {
    private final String subject;
    private final InputRequest request;

    public ApprovalPending(String subject, InputRequest request) {
        super("approval pending for " + subject, null, false, false);
        this.subject = subject;
        this.request = request;
    }

    public String subject() {
        return subject;
    }

    public InputRequest request() {
        return request;
    }
}
