package dev.toolhost.exec.sandbox;

import dev.toolhost.exec.ProgramPath;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * GNU {@code env} (coreutils 8.31 or later), which can start a program with signals ignored
 * ({@code --ignore-signal}) or back at their default ({@code --default-signal}): bwrap runs with the
 * terminal's interrupt and quit signals ignored, the sandboxed command with them at their default.
 */
final class SignalReset {
    /** The signals a terminal sends to its foreground process group from the keyboard (Ctrl-C, Ctrl-\). */
    static final String SIGNALS = "INT,QUIT";

    private static final Optional<Path> ENV = probe();

    private SignalReset() {}

    /** {@code env} when it supports both options, else empty (then bwrap is run as before, signals untouched). */
    static Optional<Path> env() {
        return ENV;
    }

    private static Optional<Path> probe() {
        Optional<Path> env = ProgramPath.onPath("env", System.getenv("PATH"));
        if (env.isEmpty()) {
            return env;
        }
        try {
            Process p = new ProcessBuilder(
                            env.get().toString(), "--ignore-signal=" + SIGNALS, "--default-signal=" + SIGNALS, "true")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? env : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
