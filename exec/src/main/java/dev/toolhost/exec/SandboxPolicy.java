package dev.toolhost.exec;

import java.nio.file.Path;
import java.util.List;

/**
 * The {@code sandbox} object of {@code process/start}:
 * {@code {"type":"read-only"}}, {@code {"type":"workspace-write","writableRoots":[...],"networkAccess":false}}
 * or {@code {"type":"danger-full-access"}}.
 *
 * @param excludeTmp when true the temp directories are not made writable under workspace-write
 */
public record SandboxPolicy(Type type, List<Path> writableRoots, boolean networkAccess, boolean excludeTmp) {

    public enum Type {
        READ_ONLY("read-only"),
        WORKSPACE_WRITE("workspace-write"),
        DANGER_FULL_ACCESS("danger-full-access");

        private final String wireName;

        Type(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        public static Type fromWireName(String name) {
            for (Type t : values()) {
                if (t.wireName.equals(name)) {
                    return t;
                }
            }
            throw new IllegalArgumentException("unknown sandbox type '" + name + "'");
        }
    }

    public SandboxPolicy {
        writableRoots = List.copyOf(writableRoots);
    }

    public static SandboxPolicy readOnly() {
        return new SandboxPolicy(Type.READ_ONLY, List.of(), false, false);
    }

    public static SandboxPolicy workspaceWrite(List<Path> roots, boolean networkAccess) {
        return new SandboxPolicy(Type.WORKSPACE_WRITE, roots, networkAccess, false);
    }

    public static SandboxPolicy fullAccess() {
        return new SandboxPolicy(Type.DANGER_FULL_ACCESS, List.of(), true, false);
    }
}
