package dev.toolhost.builtin.policy;

/** What a person (or the calling agent) answered to an approval request. */
public enum ApprovalDecision {
    APPROVED("approved"),
    /** Approved, and the same exact command runs without asking for the rest of the session. */
    APPROVED_FOR_SESSION("approved_for_session"),
    DENIED("denied"),
    /** Denied, and the caller should stop what it is doing. */
    ABORT("abort");

    private final String wireName;

    ApprovalDecision(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public boolean approved() {
        return this == APPROVED || this == APPROVED_FOR_SESSION;
    }

    public static ApprovalDecision fromWireName(String name) {
        for (ApprovalDecision d : values()) {
            if (d.wireName.equals(name)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown decision '" + name + "'");
    }
}
