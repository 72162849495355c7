package dev.toolhost.builtin.exec;

import java.nio.charset.StandardCharsets;

/** Cuts output over a byte budget in the middle, keeping its beginning and end (1 token = 4 bytes). */
final class Truncation {
    static final int BYTES_PER_TOKEN = 4;

    private Truncation() {}

    /** The visible text and how many bytes were removed from the middle. */
    record Result(String text, long removedBytes) {}

    static Result apply(OutputBuffer.Drained out, long maxBytes) {
        byte[] all = new byte[out.head().length + out.tail().length];
        System.arraycopy(out.head(), 0, all, 0, out.head().length);
        System.arraycopy(out.tail(), 0, all, out.head().length, out.tail().length);
        long total = out.totalBytes();
        if (total <= maxBytes) {
            if (out.omitted() == 0) {
                return new Result(decode(all, 0, all.length), 0);
            }
            return new Result(
                    decode(out.head(), 0, out.head().length)
                            + marker(out.omitted())
                            + decode(out.tail(), 0, out.tail().length),
                    out.omitted());
        }
        int keepHead = (int) Math.min(maxBytes / 2, out.head().length);
        int keepTail = (int) Math.min(maxBytes - keepHead, out.tail().length);
        if (out.omitted() == 0) {
            keepTail = (int) Math.min(maxBytes - keepHead, all.length - keepHead);
        }
        int headEnd = utf8Boundary(all, keepHead);
        int tailStart = utf8Boundary(all, all.length - keepTail);
        long removed = total - headEnd - (all.length - tailStart);
        return new Result(decode(all, 0, headEnd) + marker(removed) + decode(all, tailStart, all.length), removed);
    }

    private static String marker(long removedBytes) {
        long tokens = (removedBytes + BYTES_PER_TOKEN - 1) / BYTES_PER_TOKEN;
        return "\n[... " + removedBytes + " bytes (~" + tokens + " tokens) of output truncated ...]\n";
    }

    /** Moves {@code i} back to the start of a UTF-8 sequence so no character is split. */
    private static int utf8Boundary(byte[] b, int i) {
        while (i > 0 && i < b.length && (b[i] & 0xC0) == 0x80) {
            i--;
        }
        return i;
    }

    private static String decode(byte[] b, int from, int to) {
        return new String(b, from, to - from, StandardCharsets.UTF_8);
    }
}
