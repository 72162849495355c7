package dev.toolhost.builtin.policy;

/** No one can be asked for approval; the message says why and how to proceed. */
public class ApprovalUnavailableException extends Exception {
    public ApprovalUnavailableException(String message) {
        super(message);
    }
}
