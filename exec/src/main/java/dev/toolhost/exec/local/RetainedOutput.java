package dev.toolhost.exec.local;

import java.util.ArrayList;
import java.util.List;

/**
 * The most recent output of one process: at most {@link #MAX_BYTES} bytes and {@link #MAX_CHUNKS}
 * chunks, oldest evicted first. Not thread-safe (the owning {@link ManagedProcess} locks).
 */
final class RetainedOutput {

    static final long MAX_BYTES = 1024 * 1024;
    static final int MAX_CHUNKS = 50_000;

    private ProcessEvent.Output[] ring = new ProcessEvent.Output[16];
    private int head;
    private int size;
    private long bytes;
    private long evictedBytes;

    void add(ProcessEvent.Output chunk) {
        if (size == ring.length) {
            ProcessEvent.Output[] bigger = new ProcessEvent.Output[ring.length * 2];
            for (int i = 0; i < size; i++) {
                bigger[i] = get(i);
            }
            ring = bigger;
            head = 0;
        }
        ring[(head + size) % ring.length] = chunk;
        size++;
        bytes += chunk.data().length;
        while (size > 1 && (bytes > MAX_BYTES || size > MAX_CHUNKS)) {
            ProcessEvent.Output old = ring[head];
            ring[head] = null;
            head = (head + 1) % ring.length;
            size--;
            bytes -= old.data().length;
            evictedBytes += old.data().length;
        }
    }

    int size() {
        return size;
    }

    ProcessEvent.Output get(int i) {
        return ring[(head + i) % ring.length];
    }

    long evictedBytes() {
        return evictedBytes;
    }

    /** The index of the first retained chunk with a seq greater than {@code seq} ({@link #size()} if none). */
    int indexAfter(long seq) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (get(mid).seq() <= seq) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Retained bytes in chunks after {@code seq}. */
    long bytesAfter(long seq) {
        long n = 0;
        for (int i = indexAfter(seq); i < size; i++) {
            n += get(i).data().length;
        }
        return n;
    }

    /** Chunks after {@code seq}, stopping once {@code maxBytes} is reached (at least one chunk). */
    List<ProcessEvent.Output> after(long seq, long maxBytes) {
        List<ProcessEvent.Output> out = new ArrayList<>();
        long budget = maxBytes;
        for (int i = indexAfter(seq); i < size; i++) {
            ProcessEvent.Output c = get(i);
            if (!out.isEmpty() && c.data().length > budget) {
                break;
            }
            out.add(c);
            budget -= c.data().length;
        }
        return out;
    }
}
