package dev.toolhost.exec.server;

/**
 * One client connection's byte pipe: whole JSON messages out, in order. Implementations: WebSocket
 * (Vert.x) and stdio. All methods but {@link #execute} are called only from tasks run by {@link #execute}.
 */
interface Transport {

    /** Runs a send task on this connection's sending context (tasks never run concurrently). */
    void execute(Runnable task);

    /** Queues one message (UTF-8 JSON, no newline), given as pieces to send back to back. */
    void send(byte[]... message);

    /** True while the socket's own write queue is over its limit; stop sending until {@link #whenWritable}. */
    boolean writeQueueFull();

    /** Calls {@code task} (via {@link #execute}) once the write queue has drained. */
    void whenWritable(Runnable task);

    /** Called after a batch of sends, when nothing more is queued right now. */
    void flush();

    /** Whether a dropped connection keeps its session for a later {@code resumeSessionId}. */
    boolean resumable();

    void close();
}
