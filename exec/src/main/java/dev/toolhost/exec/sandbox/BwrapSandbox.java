package dev.toolhost.exec.sandbox;

import dev.toolhost.exec.ExecException;
import dev.toolhost.exec.ProgramPath;
import dev.toolhost.exec.SandboxPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Runs a command under bubblewrap (Linux): the whole filesystem read-only, writable binds only for
 * the workspace roots (and the temp dirs unless excluded) with {@code .git} inside a root kept
 * read-only, the network unshared unless allowed, every capability dropped (so root cannot remount its way
 * out), {@code /proc/sys} read-only (so root cannot set sysctls) and the sandbox dying with its parent.
 */
public final class BwrapSandbox {

    private final Optional<Path> bwrap;

    /** Looks {@code bwrap} up on the PATH of this JVM. */
    public BwrapSandbox() {
        this(ProgramPath.onPath("bwrap", System.getenv("PATH")));
    }

    public BwrapSandbox(Optional<Path> bwrap) {
        this.bwrap = bwrap;
    }

    public boolean available() {
        return bwrap.isPresent();
    }

    /** Whether {@code policy} confines the process at all (danger-full-access and null do not). */
    public static boolean confines(SandboxPolicy policy) {
        return policy != null && policy.type() != SandboxPolicy.Type.DANGER_FULL_ACCESS;
    }

    /**
     * The command line that runs {@code argv} in {@code cwd} under {@code policy}; {@code argv} itself
     * when the policy does not confine.
     *
     * @param tty the process runs in a PTY: it keeps its session so the terminal stays its controlling tty
     * @throws ExecException when a sandbox is requested and bwrap is not installed (never run unsandboxed)
     */
    public List<String> wrap(SandboxPolicy policy, List<String> argv, Path cwd, Map<String, String> env, boolean tty)
            throws ExecException {
        if (!confines(policy)) {
            return argv;
        }
        if (bwrap.isEmpty()) {
            throw new ExecException("sandbox '" + policy.type().wireName()
                    + "' requested but bubblewrap (bwrap) is not installed; refusing to run unsandboxed");
        }
        List<String> cmd = new ArrayList<>();
        Optional<Path> resetter = SignalReset.env();
        if (resetter.isPresent()) {
            // Ctrl-C (typed into a PTY, or SIGINT sent to the process and its descendants) must reach the command,
            // not kill bwrap: bwrap dying first ends the sandbox before the command's own handler runs.
            cmd.addAll(List.of(resetter.get().toString(), "--ignore-signal=" + SignalReset.SIGNALS));
        }
        cmd.addAll(List.of(
                bwrap.get().toString(), "--ro-bind", "/", "/", "--dev", "/dev", "--unshare-pid", "--proc", "/proc"));
        // A fresh /proc is writable for root where its files allow it: sysctls (kernel.core_pattern runs a program
        // as root outside the sandbox), the SysRq trigger. Capabilities do not guard those, the file modes do.
        cmd.addAll(List.of(
                "--ro-bind",
                "/proc/sys",
                "/proc/sys",
                "--ro-bind-try",
                "/proc/sysrq-trigger",
                "/proc/sysrq-trigger",
                "--ro-bind-try",
                "/proc/fs",
                "/proc/fs"));
        if (policy.type() == SandboxPolicy.Type.WORKSPACE_WRITE) {
            Set<Path> writable = new LinkedHashSet<>();
            for (Path root : policy.writableRoots()) {
                writable.add(root.toAbsolutePath().normalize());
            }
            if (!policy.excludeTmp()) {
                writable.add(Path.of("/tmp"));
                String tmpdir = env.get("TMPDIR");
                if (tmpdir != null && !tmpdir.isBlank() && Path.of(tmpdir).isAbsolute()) {
                    writable.add(Path.of(tmpdir).normalize());
                }
            }
            for (Path root : writable) {
                if (Files.isDirectory(root)) {
                    cmd.addAll(List.of("--bind", root.toString(), root.toString()));
                }
            }
            // After the writable binds, so it stays read-only inside them.
            for (Path root : writable) {
                Path git = root.resolve(".git");
                if (Files.exists(git)) {
                    cmd.addAll(List.of("--ro-bind", git.toString(), git.toString()));
                }
            }
        }
        if (!policy.networkAccess()) {
            cmd.add("--unshare-net");
        }
        // Run as root (CI, containers) bwrap would otherwise leave the command every capability, and
        // `mount -o remount,rw /` undoes the read-only binds. Unprivileged, bwrap accepts it and drops nothing more.
        cmd.addAll(List.of("--cap-drop", "ALL"));
        cmd.add("--die-with-parent");
        if (!tty) {
            cmd.add("--new-session");
        }
        if (cwd != null) {
            cmd.addAll(List.of("--chdir", cwd.toString()));
        }
        cmd.add("--");
        if (resetter.isPresent()) {
            // Ignored signals are inherited: the command gets the default back (also when this JVM ignores them).
            cmd.addAll(List.of(resetter.get().toString(), "--default-signal=" + SignalReset.SIGNALS, "--"));
        }
        cmd.addAll(argv);
        return cmd;
    }
}
