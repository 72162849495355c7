package dev.toolhost.builtin.exec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The argv that runs a command line through a shell: {@code bash -lc CMD} or {@code sh -c CMD}. */
final class ShellCommand {
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
}
