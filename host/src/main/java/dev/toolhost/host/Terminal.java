package dev.toolhost.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether a person is at a terminal, decided as the launcher decides it: stdin and stderr are both terminals.
 * stdout does not count, so {@code toolhost call ... | jq} still asks its questions and shows progress on stderr.
 * Where {@code /proc/self/fd} cannot say (not Linux), {@link System#console()} decides (stdin and stdout).
 */
final class Terminal {
    private Terminal() {}

    /** True when stdin and stderr are terminals. */
    static boolean personPresent() {
        Boolean in = isTerminal(0);
        Boolean err = isTerminal(2);
        if (in == null || err == null) {
            return System.console() != null;
        }
        return in && err;
    }

    /** True when stdin is a terminal (where {@code /proc} cannot say: when there is a console). */
    static boolean stdinIsTerminal() {
        Boolean in = isTerminal(0);
        return in == null ? System.console() != null : in;
    }

    /** Whether file descriptor {@code fd} of this process is a terminal; null when that cannot be told. */
    private static Boolean isTerminal(int fd) {
        Path link = Path.of("/proc/self/fd/" + fd);
        try {
            return isTerminalDevice(Files.readSymbolicLink(link).toString());
        } catch (IOException | UnsupportedOperationException e) {
            return Files.exists(Path.of("/proc/self/fd")) ? Boolean.FALSE : null; // closed, or no /proc
        }
    }

    /** Pseudo-terminals ({@code /dev/pts/N}), virtual consoles and serial lines ({@code /dev/ttyX}), the console. */
    static boolean isTerminalDevice(String target) {
        return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
    }
}
