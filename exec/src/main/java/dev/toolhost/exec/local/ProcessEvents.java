package dev.toolhost.exec.local;

/**
 * Receives a managed process's events in seq order, one at a time, on the thread that produced
 * them (a reader or the exit watcher). Must not block for long: it holds up that process's output.
 */
@FunctionalInterface
public interface ProcessEvents {
    void onEvent(ManagedProcess process, ProcessEvent event);
}
