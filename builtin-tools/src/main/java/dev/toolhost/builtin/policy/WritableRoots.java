package dev.toolhost.builtin.policy;

import dev.toolhost.config.SandboxMode;
import dev.toolhost.config.ToolhostConfig;
import dev.toolhost.exec.SandboxPolicy;
import dev.toolhost.exec.sandbox.NoFollowWrites;
import dev.toolhost.exec.sandbox.RealPath;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the sandbox lets Toolhost write: nowhere under read-only, the working directory plus
 * {@code [sandbox_workspace_write].writable_roots} under workspace-write ({@code .git} inside a root
 * stays read-only, as in Codex), everywhere under danger-full-access. Containment is decided on real
 * paths, so a symlink inside a root that points outside it does not make the outside writable.
 */
public final class WritableRoots {
    private final SandboxMode mode;
    private final List<Path> roots;
    private final boolean networkAccess;
    private final boolean excludeTmp;

    private WritableRoots(SandboxMode mode, List<Path> roots, boolean networkAccess, boolean excludeTmp) {
        this.mode = mode;
        this.roots = List.copyOf(roots);
        this.networkAccess = networkAccess;
        this.excludeTmp = excludeTmp;
    }

    public static WritableRoots from(ToolhostConfig config) {
        List<Path> roots = new ArrayList<>();
        if (config.sandboxMode() == SandboxMode.WORKSPACE_WRITE) {
            roots.add(config.cwd());
            for (String r : config.sandboxWorkspaceWrite().writableRoots()) {
                roots.add(config.cwd().resolve(r).normalize());
            }
        }
        var ww = config.sandboxWorkspaceWrite();
        return new WritableRoots(
                config.sandboxMode(), roots, ww.networkAccess(), ww.excludeSlashTmp() || ww.excludeTmpdirEnvVar());
    }

    /** The sandbox every process runs under, or null for none (danger-full-access). */
    public SandboxPolicy sandboxPolicy() {
        return switch (mode) {
            case READ_ONLY -> SandboxPolicy.readOnly();
            case WORKSPACE_WRITE ->
                new SandboxPolicy(SandboxPolicy.Type.WORKSPACE_WRITE, roots, networkAccess, excludeTmp);
            case DANGER_FULL_ACCESS -> null;
        };
    }

    public SandboxMode mode() {
        return mode;
    }

    /** True when a write to {@code absolute} stays inside a writable root (following symlinks). */
    public boolean allowsWrite(Path absolute) {
        return mode == SandboxMode.DANGER_FULL_ACCESS || confinedTarget(absolute) != null;
    }

    /**
     * Where a write to {@code absolute} lands when that is inside a writable root: its real path, which the write
     * must walk without following symlinks ({@link NoFollowWrites}) so that a directory swapped for a symlink after
     * this check cannot carry it outside. Null when the write is outside every root, and under danger-full-access
     * (nothing to confine it to).
     */
    public Path confinedTarget(Path absolute) {
        if (mode == SandboxMode.DANGER_FULL_ACCESS) {
            return null;
        }
        return inside(RealPath.of(absolute));
    }

    /**
     * As {@link #confinedTarget}, for deleting {@code absolute}: the real path of the entry itself (a symlink, not
     * its target), when both it and where it leads are inside a writable root; else null.
     */
    public Path confinedEntry(Path absolute) {
        return confinedTarget(absolute) == null ? null : inside(RealPath.ofEntry(absolute));
    }

    private Path inside(Path real) {
        return RealPath.inWritableRoot(real, roots) ? real : null;
    }

    /** A short description for error messages, e.g. "workspace-write roots [/repo, /tmp/x]". */
    public String describe() {
        return switch (mode) {
            case READ_ONLY -> "sandbox_mode read-only (nothing is writable)";
            case WORKSPACE_WRITE -> "sandbox_mode workspace-write (writable roots: " + roots + ", .git read-only)";
            case DANGER_FULL_ACCESS -> "sandbox_mode danger-full-access";
        };
    }
}
