package dev.toolhost.exec;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What to run.
 *
 * @param env       the complete child environment (already filtered by the shell environment policy)
 * @param tty       run in a pseudo-terminal; output arrives on stream {@code pty}
 * @param pipeStdin give a non-PTY process a stdin pipe to write to; without it its stdin is {@code /dev/null}
 * @param sandbox   the sandbox to run under, or null for none
 */
public record ExecRequest(
        List<String> argv, Path cwd, Map<String, String> env, boolean tty, boolean pipeStdin, SandboxPolicy sandbox) {

    public ExecRequest {
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("argv must not be empty");
        }
        argv = List.copyOf(argv);
        env = Map.copyOf(env);
    }
}
