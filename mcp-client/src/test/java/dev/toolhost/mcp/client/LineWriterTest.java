package dev.toolhost.mcp.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LineWriterTest {

    /** Collects what each line's receipt was told. */
    private static final class Receipts implements LineWriter.Receipt {
        final AtomicInteger written = new AtomicInteger();
        final List<IOException> failed = new CopyOnWriteArrayList<>();

        @Override
        public void written() {
            written.incrementAndGet();
        }

        @Override
        public void failed(IOException e) {
            failed.add(e);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void linesFromManyThreadsArriveWholeAndInEachSendersOrder() throws Exception {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        LineWriter writer = new LineWriter(64, Duration.ofSeconds(30), e -> {});
        writer.start(sink);
        Receipts receipts = new Receipts();
        int threads = 8;
        int perThread = 2_000;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> senders = new ArrayList<>();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread sender = new Thread(() -> {
                try {
                    go.await();
                    for (int i = 0; i < perThread; i++) {
                        writer.write(
                                bytes("{\"sender\":" + id + ",\"n\":" + i + ",\"pad\":\"" + "x".repeat(i % 50) + "\"}"),
                                receipts);
                    }
                } catch (Exception e) {
                    errors.add(e);
                }
            });
            sender.start();
            senders.add(sender);
        }
        go.countDown();
        for (Thread sender : senders) {
            sender.join();
        }
        writer.close();
        assertEquals(List.of(), errors);
        assertEquals(threads * perThread, receipts.written.get());
        Map<Integer, Integer> next = new HashMap<>();
        String[] lines = sink.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(threads * perThread, lines.length);
        for (String line : lines) {
            assertTrue(line.matches("\\{\"sender\":\\d+,\"n\":\\d+,\"pad\":\"x*\"}"), "a whole line: " + line);
            int sender = Integer.parseInt(line.replaceAll(".*\"sender\":(\\d+).*", "$1"));
            int n = Integer.parseInt(line.replaceAll(".*\"n\":(\\d+).*", "$1"));
            assertEquals(next.getOrDefault(sender, 0), n, "sender " + sender + " in order");
            next.put(sender, n + 1);
        }
    }

    @Test
    void linesSentBeforeStartWaitForTheStream() throws Exception {
        LineWriter writer = new LineWriter(16, Duration.ofSeconds(30), e -> {});
        Receipts receipts = new Receipts();
        writer.write(bytes("first"), receipts);
        writer.write(bytes("second"), receipts);
        assertEquals(0, receipts.written.get());
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        writer.start(sink);
        assertEquals("first\nsecond\n", sink.toString(StandardCharsets.UTF_8));
        assertEquals(2, receipts.written.get());
    }

    @Test
    void aFullQueueMakesTheSenderWaitUntilTheReaderCatchesUp() throws Exception {
        PipedInputStream reader = new PipedInputStream(64); // a small pipe the test drains slowly
        LineWriter writer = new LineWriter(2, Duration.ofSeconds(30), e -> {});
        writer.start(new PipedOutputStream(reader));
        Receipts receipts = new Receipts();
        AtomicInteger sent = new AtomicInteger();
        Thread sender = new Thread(() -> {
            try {
                for (int i = 0; i < 50; i++) {
                    writer.write(bytes("line " + "y".repeat(40) + i), receipts);
                    sent.incrementAndGet();
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        sender.start();
        // Nothing reads yet: the sender is held back (the pipe is full), not failed.
        await().until(() ->
                sender.getState() == Thread.State.WAITING || sender.getState() == Thread.State.TIMED_WAITING);
        assertTrue(sent.get() < 50);
        assertEquals(List.of(), receipts.failed);
        LineReader lines = new LineReader(reader);
        for (int i = 0; i < 50; i++) {
            assertEquals("line " + "y".repeat(40) + i, new String(lines.readLine(), StandardCharsets.UTF_8));
        }
        sender.join();
        assertEquals(50, receipts.written.get());
    }

    @Test
    void closeReturnsOnlyAfterLinesLeftToABusyWriterAreWritten() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        OutputStream slow = new OutputStream() {
            @Override
            public void write(int b) {
                sink.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                try {
                    release.await(); // the reader is slow: the first flush blocks here
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
                sink.write(b, off, len);
            }
        };
        LineWriter writer = new LineWriter(16, Duration.ofSeconds(30), e -> {});
        writer.start(slow);
        Thread first = new Thread(() -> {
            try {
                writer.write(bytes("first"), LineWriter.Receipt.NONE);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        first.start();
        await().until(() -> first.getState() == Thread.State.WAITING);
        writer.write(bytes("second"), LineWriter.Receipt.NONE); // left to the blocked writer; returns at once
        Thread closer = new Thread(writer::close);
        closer.start();
        await().until(() -> closer.getState() == Thread.State.TIMED_WAITING);
        assertEquals("", sink.toString(StandardCharsets.UTF_8));
        release.countDown();
        closer.join();
        assertEquals("first\nsecond\n", sink.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aFailedWriteFailsEveryWaitingLineAndRefusesLaterOnes() throws Exception {
        List<IOException> failures = new CopyOnWriteArrayList<>();
        LineWriter writer = new LineWriter(16, Duration.ofSeconds(30), failures::add);
        writer.start(new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("Broken pipe");
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                throw new IOException("Broken pipe");
            }
        });
        Receipts receipts = new Receipts();
        writer.write(bytes("x".repeat(1 << 17)), receipts); // bigger than the buffer: reaches the stream at once
        assertEquals(1, receipts.failed.size());
        assertEquals(1, failures.size(), "the listener hears of the failure once");
        IOException later = assertThrows(IOException.class, () -> writer.write(bytes("later"), receipts));
        assertTrue(later.getMessage().contains("Broken pipe"), later.getMessage());
        assertEquals(1, failures.size());
    }

    @Test
    void aStuckReaderIsReportedAfterTheWait() throws Exception {
        List<IOException> failures = new CopyOnWriteArrayList<>();
        PipedInputStream reader = new PipedInputStream(16); // never read
        LineWriter writer = new LineWriter(1, Duration.ofMillis(200), failures::add);
        writer.start(new PipedOutputStream(reader));
        Thread holder = new Thread(() -> {
            try {
                writer.write(bytes("z".repeat(1 << 17)), LineWriter.Receipt.NONE); // blocks in the pipe
            } catch (IOException e) {
                // the stuck writer fails it later
            }
        });
        holder.setDaemon(true);
        holder.start();
        await().until(() ->
                holder.getState() == Thread.State.TIMED_WAITING || holder.getState() == Thread.State.WAITING);
        writer.write(bytes("queued"), LineWriter.Receipt.NONE);
        IOException stuck =
                assertThrows(IOException.class, () -> writer.write(bytes("one too many"), LineWriter.Receipt.NONE));
        assertInstanceOf(LineWriter.StuckException.class, stuck);
        assertEquals(1, failures.size());
    }
}
