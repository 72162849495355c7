package dev.toolhost.builtin;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** What the built-in tools remember for one caller (a legacy MCP session, or Toolhost itself). */
public final class SessionState {
    private final String id;
    private final Set<String> approvedForSession = ConcurrentHashMap.newKeySet();
    private volatile List<Map<String, Object>> plan = List.of();
    private volatile String planExplanation;

    public SessionState(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** True when {@code subject} (an exact command, with what was approved) was approved for the session. */
    public boolean isApprovedForSession(String subject) {
        return approvedForSession.contains(subject);
    }

    public void approveForSession(String subject) {
        approvedForSession.add(subject);
    }

    public List<Map<String, Object>> plan() {
        return plan;
    }

    public String planExplanation() {
        return planExplanation;
    }

    public void setPlan(List<Map<String, Object>> steps, String explanation) {
        this.plan = List.copyOf(steps);
        this.planExplanation = explanation;
    }
}
