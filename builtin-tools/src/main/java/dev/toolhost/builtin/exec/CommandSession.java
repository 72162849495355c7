package dev.toolhost.builtin.exec;

import dev.toolhost.exec.ExecProcess;
import dev.toolhost.exec.ExitStatus;
import dev.toolhost.exec.OutputChunk;
import dev.toolhost.exec.OutputListener;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A process started by exec_command, with the output the model has not seen yet. */
final class CommandSession implements OutputListener {
    static final int BUFFER_CAPACITY = 1 << 20;

    private final String ownerSessionId;
    private final String command;
    private final boolean tty;
    private final OutputBuffer buffer = new OutputBuffer(BUFFER_CAPACITY);
    private final long startNanos = System.nanoTime();
    private volatile ExecProcess process;
    private volatile long id;

    CommandSession(String ownerSessionId, String command, boolean tty) {
        this.ownerSessionId = ownerSessionId;
        this.command = command;
        this.tty = tty;
    }

    void attach(ExecProcess process) {
        this.process = process;
    }

    void setId(long id) {
        this.id = id;
    }

    long id() {
        return id;
    }

    String ownerSessionId() {
        return ownerSessionId;
    }

    String command() {
        return command;
    }

    /** Whether it runs in a pseudo-terminal; without one its stdin is /dev/null and cannot be written. */
    boolean tty() {
        return tty;
    }

    ExecProcess process() {
        return process;
    }

    @Override
    public void onOutput(OutputChunk chunk) {
        if (chunk.isLostMarker()) {
            buffer.append(lostMarker(chunk).getBytes(StandardCharsets.UTF_8));
        } else {
            buffer.append(chunk.data());
        }
    }

    // A remote exec-server cannot say how big evicted chunks were, so its byte count is a lower bound.
    private static String lostMarker(OutputChunk chunk) {
        String chunks = chunk.lostChunks() > 0 ? " in " + chunk.lostChunks() + " chunks" : "";
        return "\n[... at least " + chunk.lostBytes() + " bytes of output" + chunks
                + " were lost before delivery ...]\n";
    }

    /** Waits until the process exits or {@code waitMs} passes; null while it is still running. */
    ExitStatus awaitExit(long waitMs) {
        try {
            return process.completion().get(waitMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return new ExitStatus(-1, false, 0, cause.getMessage() == null ? cause.toString() : cause.getMessage());
        }
    }

    OutputBuffer.Drained drain() {
        return buffer.drain();
    }

    double wallSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    void terminate() {
        ExecProcess p = process;
        if (p != null) {
            p.terminate();
        }
    }
}
