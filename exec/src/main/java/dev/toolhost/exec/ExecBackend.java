package dev.toolhost.exec;

/**
 * Starts processes, here or on a remote exec-server. Tools talk only to this interface; which
 * implementation they get (local, or the exec client over WebSocket/stdio) is decided in one place
 * from config.
 */
public interface ExecBackend extends AutoCloseable {

    /**
     * Starts a process. {@code listener} receives every output chunk in order, from one thread at a
     * time, starting before this method returns; completion is reported by {@link ExecProcess#completion()}
     * only after the last chunk was delivered.
     *
     * @throws ExecException when the process could not be started (bad cwd, sandbox unavailable, ...)
     */
    ExecProcess start(ExecRequest request, OutputListener listener) throws ExecException;

    /** Terminates every process this backend started and releases its connection, if any. */
    @Override
    void close();
}
