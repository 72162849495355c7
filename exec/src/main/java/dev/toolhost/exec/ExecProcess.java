package dev.toolhost.exec;

import java.util.concurrent.CompletableFuture;

/** A running (or finished) process started through an {@link ExecBackend}. */
public interface ExecProcess {

    String processId();

    /** Completes after the last output chunk was delivered to the listener. */
    CompletableFuture<ExitStatus> completion();

    /** Writes to stdin (or the PTY). Fails when the process has no writable stdin. */
    CompletableFuture<Void> write(byte[] data);

    /** Kills the process (SIGKILL, exit code 137). A no-op when it already exited. */
    CompletableFuture<Void> terminate();
}
