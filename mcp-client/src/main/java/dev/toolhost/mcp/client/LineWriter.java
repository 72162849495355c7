package dev.toolhost.mcp.client;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Newline-terminated lines from any number of threads onto one stream, each written whole and in
 * the order queued, without a writer thread. A sender that finds the stream free writes its line,
 * and every line queued behind it, and flushes once; a sender that finds it busy leaves its line to
 * the thread writing now and returns. Handing every line to a writer thread instead cost a thread
 * wake-up per message, which on a busy stdio gateway was the largest single cost.
 *
 * <p>Lines sent before {@link #start} wait for it (a transport may be handed messages before its
 * process is up). At most {@code capacity} lines wait; a sender beyond that waits for the stream (back-pressure),
 * for at most {@code maxWait} (null: as long as it takes), after which the stream is declared stuck. Once a write fails every
 * waiting line fails with it, the failure listener hears of it once, and later writes are refused.
 */
public final class LineWriter {
    /** Told once whether its line reached the stream. */
    public interface Receipt {
        Receipt NONE = new Receipt() {
            @Override
            public void written() {}

            @Override
            public void failed(IOException e) {}
        };

        void written();

        void failed(IOException e);
    }

    /** Nothing could be written for {@code maxWait}: the reader on the other end has stopped reading. */
    public static final class StuckException extends IOException {
        StuckException(String message) {
            super(message);
        }
    }

    private record Line(byte[] bytes, Receipt receipt) {}

    private volatile OutputStream out;
    private final int capacity;
    private final Duration maxWait;
    private final Consumer<IOException> onFailure;
    private final ConcurrentLinkedQueue<Line> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final ReentrantLock lock = new ReentrantLock();
    private volatile IOException failure;
    private volatile boolean closed;

    public LineWriter(int capacity, Duration maxWait, Consumer<IOException> onFailure) {
        this.capacity = capacity;
        this.maxWait = maxWait;
        this.onFailure = onFailure;
    }

    /** Writes to this stream from now on, starting with the lines that waited for it. */
    public void start(OutputStream stream) {
        out = new BufferedOutputStream(stream, 1 << 16);
        drain();
    }

    /** Ends this writer without a write having failed (the stream's reader is gone): queued lines fail. */
    public void abort(IOException reason) {
        fail(reason);
    }

    /** The failure that ended this writer, or null. */
    public IOException failure() {
        return failure;
    }

    /**
     * Queues one line (without its newline) and writes it now unless another thread is writing.
     *
     * @throws IOException when the stream failed or was closed before, or stayed stuck for {@code maxWait}
     */
    public void write(byte[] bytes, Receipt receipt) throws IOException {
        refuseIfEnded();
        queue.add(new Line(bytes, receipt));
        if (queued.incrementAndGet() > capacity) {
            awaitStream();
        }
        drain();
    }

    /**
     * Refuses further lines and returns once every line queued before was written, including lines a
     * sender left to the thread writing now (waiting at most 10 s for a reader that stopped reading).
     */
    public void close() {
        closed = true;
        try {
            if (lock.tryLock(10, TimeUnit.SECONDS)) {
                try {
                    drain(); // the lock is reentrant: this thread writes whatever is still queued
                } finally {
                    lock.unlock();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void refuseIfEnded() throws IOException {
        IOException f = failure;
        if (f != null) {
            throw new IOException("the stream failed earlier: " + f.getMessage(), f);
        }
        if (closed) {
            throw new IOException("the stream is closed");
        }
    }

    /** Back-pressure: wait, bounded, until the thread writing now has made room. */
    private void awaitStream() throws IOException {
        try {
            if (maxWait == null) {
                lock.lockInterruptibly();
            } else if (!lock.tryLock(maxWait.toNanos(), TimeUnit.NANOSECONDS)) {
                fail(new StuckException("no line could be written for " + maxWait.toSeconds() + " s"));
                throw failure;
            }
            lock.unlock();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting to write", e);
        }
    }

    /**
     * Writes until the queue is empty. The re-check after unlocking catches a line queued by a
     * sender whose tryLock failed just before we let go.
     */
    private void drain() {
        while (!queue.isEmpty() && lock.tryLock()) {
            List<Line> written = new ArrayList<>();
            IOException error = failure;
            OutputStream out = this.out;
            if (out == null && error == null) {
                lock.unlock();
                return; // start() writes them
            }
            try {
                if (error == null) {
                    Line line;
                    while ((line = queue.poll()) != null) {
                        queued.decrementAndGet();
                        written.add(line);
                        out.write(line.bytes());
                        out.write('\n');
                    }
                    out.flush();
                }
            } catch (IOException e) {
                error = e;
            } finally {
                lock.unlock();
            }
            if (error != null) {
                fail(error);
                IOException f = failure;
                written.forEach(l -> l.receipt().failed(f));
                return;
            }
            written.forEach(l -> l.receipt().written());
        }
    }

    /** Records the first failure and tells the listener (first, so it can say why), then fails every line queued. */
    private void fail(IOException e) {
        boolean first;
        synchronized (this) {
            first = failure == null;
            if (first) {
                failure = e;
            }
        }
        if (first) {
            onFailure.accept(e);
        }
        IOException f = failure;
        Line line;
        while ((line = queue.poll()) != null) {
            queued.decrementAndGet();
            line.receipt().failed(f);
        }
    }
}
