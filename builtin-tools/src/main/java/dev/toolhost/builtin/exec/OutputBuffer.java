package dev.toolhost.builtin.exec;

import java.io.ByteArrayOutputStream;

/**
 * Output of a process not yet handed to the model. Bounded: it keeps the first and the last
 * {@code capacity / 2} bytes and counts what it dropped in between, so a chatty process cannot
 * exhaust memory between two polls.
 */
final class OutputBuffer {
    private final int half;
    private final ByteArrayOutputStream head = new ByteArrayOutputStream();
    private final byte[] tail;
    private int tailStart;
    private int tailLength;
    private long omitted;

    OutputBuffer(int capacity) {
        this.half = capacity / 2;
        this.tail = new byte[half];
    }

    /** Everything taken since the last drain: head, omitted count, tail. */
    record Drained(byte[] head, long omitted, byte[] tail) {
        long totalBytes() {
            return head.length + omitted + tail.length;
        }
    }

    synchronized void append(byte[] data) {
        int i = 0;
        if (omitted == 0 && tailLength == 0 && head.size() < half) {
            int n = Math.min(half - head.size(), data.length);
            head.write(data, 0, n);
            i = n;
        }
        for (; i < data.length; i++) {
            if (tailLength == half) {
                tailStart = (tailStart + 1) % half;
                tailLength--;
                omitted++;
            }
            tail[(tailStart + tailLength) % half] = data[i];
            tailLength++;
        }
    }

    synchronized Drained drain() {
        byte[] t = new byte[tailLength];
        for (int i = 0; i < tailLength; i++) {
            t[i] = tail[(tailStart + i) % half];
        }
        Drained d = new Drained(head.toByteArray(), omitted, t);
        head.reset();
        tailStart = 0;
        tailLength = 0;
        omitted = 0;
        return d;
    }
}
