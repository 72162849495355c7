package dev.toolhost.exec.pty;

import com.pty4j.PtyProcessBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts a process in a pseudo-terminal (pty4j). stdout and stderr are merged into the terminal,
 * which the caller reads as the {@code pty} stream; writing to the process's stdin types into it.
 */
public final class PtySpawner {

    static final int COLUMNS = 120;
    static final int ROWS = 40;

    private PtySpawner() {}

    public static Process start(List<String> command, Path cwd, Map<String, String> env) throws IOException {
        Map<String, String> withTerm = new HashMap<>(env);
        withTerm.putIfAbsent("TERM", "xterm-256color");
        return new PtyProcessBuilder(command.toArray(String[]::new))
                .setEnvironment(withTerm)
                .setDirectory(cwd.toString())
                .setRedirectErrorStream(true)
                .setConsole(false)
                .setInitialColumns(COLUMNS)
                .setInitialRows(ROWS)
                .start();
    }
}
