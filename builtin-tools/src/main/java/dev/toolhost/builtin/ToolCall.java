package dev.toolhost.builtin;

import dev.toolhost.builtin.policy.Approver;

/**
 * One call of a built-in tool.
 *
 * @param session  the calling MCP session's state (exec sessions, plan, approvals)
 * @param approver asks the connected client when policy requires
 */
public record ToolCall(Args args, SessionState session, Approver approver) {}
