package dev.toolhost.config;

import java.util.List;

/** The {@code [sandbox_workspace_write]} table: what workspace-write mode may write to. */
public record SandboxWorkspaceWrite(
        List<String> writableRoots, boolean networkAccess, boolean excludeTmpdirEnvVar, boolean excludeSlashTmp) {

    public SandboxWorkspaceWrite {
        writableRoots = List.copyOf(writableRoots);
    }

    public static SandboxWorkspaceWrite defaults() {
        return new SandboxWorkspaceWrite(List.of(), false, false, false);
    }
}
