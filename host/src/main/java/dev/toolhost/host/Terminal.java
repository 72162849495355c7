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

    /**
     * {@code text} with every character that could move the cursor, erase or restyle what is shown escaped
     * visibly ({@code \r}, {@code \x1b}, and U+202E as a backslash, u and its hex digits): C0 controls but newline and tab, DEL, C1 controls, and
     * the Unicode controls that reorder or separate lines. A command shown for a person to approve then cannot
     * overwrite or hide part of itself; newlines stay, so a multi-line command reads as one, and nothing can
     * move back over a line already printed.
     */
    static String visible(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\t') {
                b.append(c);
            } else if (c == '\r') {
                b.append("\\r");
            } else if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
                b.append(String.format("\\x%02x", (int) c));
            } else if (c == 0x061c
                    || c == 0x200e
                    || c == 0x200f
                    || (c >= 0x2028 && c <= 0x202e)
                    || (c >= 0x2066 && c <= 0x2069)) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
