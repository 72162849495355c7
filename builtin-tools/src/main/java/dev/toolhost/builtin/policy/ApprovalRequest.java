package dev.toolhost.builtin.policy;

/**
 * Something that needs a yes before it runs.
 *
 * @param message what is asked, naming the command or patch and why (shown to the person)
 * @param subject the exact command or patch, remembered when approved for the session
 */
public record ApprovalRequest(String message, String subject) {}
