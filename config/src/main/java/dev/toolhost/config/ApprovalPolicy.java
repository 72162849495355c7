package dev.toolhost.config;

/** When Toolhost asks a person (or the calling agent) before running something. */
public enum ApprovalPolicy {
    UNTRUSTED("untrusted"),
    ON_FAILURE("on-failure"),
    ON_REQUEST("on-request"),
    NEVER("never");

    private final String wireName;

    ApprovalPolicy(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static ApprovalPolicy fromWireName(String name) {
        for (ApprovalPolicy p : values()) {
            if (p.wireName.equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException(name);
    }
}
