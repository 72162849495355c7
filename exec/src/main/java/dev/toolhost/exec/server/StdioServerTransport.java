package dev.toolhost.exec.server;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Newline-delimited JSON on a byte stream (stdout), written by one dedicated thread. */
final class StdioServerTransport implements Transport {

    private final OutputStream out;
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "exec-stdio-out");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean broken;

    StdioServerTransport(OutputStream out) {
        this.out = new BufferedOutputStream(out, 256 * 1024);
    }

    @Override
    public void execute(Runnable task) {
        if (!writer.isShutdown()) {
            writer.execute(task);
        }
    }

    @Override
    public void send(byte[]... message) {
        if (broken) {
            return;
        }
        try {
            for (byte[] part : message) {
                out.write(part);
            }
            out.write('\n');
        } catch (IOException e) {
            broken = true;
        }
    }

    @Override
    public boolean writeQueueFull() {
        return false; // writes block this connection's own writer thread, nothing else
    }

    @Override
    public void whenWritable(Runnable task) {
        execute(task);
    }

    @Override
    public void flush() {
        if (broken) {
            return;
        }
        try {
            out.flush();
        } catch (IOException e) {
            broken = true;
        }
    }

    @Override
    public boolean resumable() {
        return false;
    }

    @Override
    public void close() {
        writer.execute(this::flush);
        writer.shutdown();
    }
}
