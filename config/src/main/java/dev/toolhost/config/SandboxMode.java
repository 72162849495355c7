package dev.toolhost.config;

/** How much of the machine a process started by Toolhost may touch. */
public enum SandboxMode {
    READ_ONLY("read-only"),
    WORKSPACE_WRITE("workspace-write"),
    DANGER_FULL_ACCESS("danger-full-access");

    private final String wireName;

    SandboxMode(String wireName) {
        this.wireName = wireName;
    }

    /** The spelling used in config.toml and on the command line. */
    public String wireName() {
        return wireName;
    }

    public static SandboxMode fromWireName(String name) {
        for (SandboxMode m : values()) {
            if (m.wireName.equals(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException(name);
    }
}
