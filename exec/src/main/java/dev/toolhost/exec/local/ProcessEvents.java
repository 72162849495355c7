package dev.toolhost.exec.local;

/**
 * Receives a managed process's events in seq order, one at a time, on the thread that produced
 * them (a reader or the exit watcher). Must not block for long: it holds up that process's output.
 */
@FunctionalInterface
public interface ProcessEvents {
    void onEvent(ManagedProcess process, ProcessEvent event);

    /**
     * The last seq a live consumer has taken from the retained window, or -1 when no consumer needs
     * flow control (the default; also while a session is detached). While a consumer lags by more than
     * half the window, the process's reader pauses for it, up to {@link ManagedProcess#FLOW_MAX_WAIT_MS}
     * per chunk: a slow socket slows only its own processes, and a stuck one only briefly before the
     * window starts evicting.
     */
    default long deliveredSeq(ManagedProcess process) {
        return -1;
    }

    /** Whether output should be base64-encoded on the reader thread (the exec-server sends it that way). */
    default boolean wantsBase64() {
        return false;
    }
}
