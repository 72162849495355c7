package dev.toolhost.exec.local;

/**
 * What happens to a managed process, numbered by one per-process {@code seq} counter (from 1, shared
 * by output, exited and closed, strictly increasing by one).
 */
public sealed interface ProcessEvent {
    long seq();

    /**
     * @param stream "stdout", "stderr" or "pty"
     * @param base64 {@code data} already base64-encoded (by the reader thread, for the exec-server), or null
     */
    record Output(long seq, String stream, byte[] data, byte[] base64) implements ProcessEvent {}

    record Exited(long seq, int exitCode, boolean sandboxDenied) implements ProcessEvent {}

    /** All output was delivered and the process handle released; always the last seq. */
    record Closed(long seq) implements ProcessEvent {}
}
