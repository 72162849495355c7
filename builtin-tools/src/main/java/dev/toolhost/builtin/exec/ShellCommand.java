package dev.toolhost.builtin.exec;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** The argv that runs a command line through a shell: {@code bash -lc CMD} or {@code sh -c CMD}. */
final class ShellCommand {
    private static final Set<String> STANDARD_SHELLS = Set.of("bash", "zsh", "sh");

    private ShellCommand() {}

    /**
     * @param shell the shell to use (name or path), or null for bash when installed, else sh
     * @param login run it as a login shell ({@code -l}), so profile settings apply
     */
    static List<String> argv(String cmd, String shell, boolean login) {
        String sh = shell != null && !shell.isBlank()
                ? shell
                : Files.isExecutable(Path.of("/bin/bash")) ? "/bin/bash" : "/bin/sh";
        return List.of(sh, login ? "-lc" : "-c", cmd);
    }

    /**
     * Whether {@code shell} (exec_command's argument) is bash, zsh or sh from the PATH: the default (null or
     * blank), a bare name, or an absolute, normalized path in one of {@code path}'s absolute directories. Any
     * other program is one the model picked, so the command line alone does not say what runs (as Codex's
     * known-safe check only unwraps {@code bash|zsh|sh -lc}).
     *
     * @param path the PATH the command runs with ({@code :}-separated), or null
     */
    static boolean isStandardShell(String shell, String path) {
        if (shell == null || shell.isBlank() || STANDARD_SHELLS.contains(shell)) {
            return true;
        }
        Path p;
        try {
            p = Path.of(shell);
        } catch (InvalidPathException e) {
            return false;
        }
        if (!p.isAbsolute() || !p.equals(p.normalize()) || !STANDARD_SHELLS.contains(String.valueOf(p.getFileName()))) {
            return false;
        }
        return path != null
                && Arrays.stream(path.split(":"))
                        .filter(dir -> dir.startsWith("/"))
                        .anyMatch(dir -> Path.of(dir).normalize().equals(p.getParent()));
    }
}
