package dev.toolhost.exec;

/** Receives a process's output in order. Called from one thread at a time; must not block for long. */
@FunctionalInterface
public interface OutputListener {
    void onOutput(OutputChunk chunk);
}
