package dev.toolhost.mcp.client;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Newline-delimited lines from a stream, as UTF-8 bytes: the JSON parser reads bytes faster than a
 * String, so decoding every line to characters first (as {@code BufferedReader} does) was wasted
 * work on the stdio hot path. A trailing {@code \r} is dropped; the last line may lack its newline.
 */
public final class LineReader {
    /** What {@link #readLine(int, Consumer)} returns for a line over its limit. */
    public static final byte[] OVER_LIMIT = new byte[0];

    private final InputStream in;
    private byte[] buf = new byte[1 << 16];
    private int start;
    private int end;
    private boolean eof;
    private long lastLength;

    public LineReader(InputStream in) {
        this.in = in;
    }

    /** The next line without its line ending, or null at the end of the stream; no length limit. */
    public byte[] readLine() throws IOException {
        return readLine(Integer.MAX_VALUE, line -> {});
    }

    /**
     * The next line, like {@link #readLine()}, but never holding more than {@code maxBytes} of it: a
     * longer line is handed to {@code overLimit} as a stream of all its bytes (without the line ending;
     * it may stop reading early), the rest of it is skipped, and {@link #OVER_LIMIT} is returned.
     * {@link #lastLength()} then gives its full size.
     */
    public byte[] readLine(int maxBytes, Consumer<InputStream> overLimit) throws IOException {
        int scanned = start;
        while (true) {
            for (int i = scanned; i < end; i++) {
                if (buf[i] == '\n') {
                    int stop = i > start && buf[i - 1] == '\r' ? i - 1 : i;
                    lastLength = stop - start;
                    if (stop - start > maxBytes) {
                        overLimit.accept(new ByteArrayInputStream(buf, start, stop - start));
                        start = i + 1;
                        return OVER_LIMIT;
                    }
                    byte[] line = Arrays.copyOfRange(buf, start, stop);
                    start = i + 1;
                    return line;
                }
            }
            if (end - start > maxBytes) {
                RestOfLine rest = new RestOfLine();
                overLimit.accept(rest);
                rest.skip(Long.MAX_VALUE);
                lastLength = rest.count;
                return OVER_LIMIT;
            }
            if (eof) {
                if (start == end) {
                    return null;
                }
                byte[] line = Arrays.copyOfRange(buf, start, end);
                lastLength = line.length;
                start = end;
                return line;
            }
            scanned = end - start;
            fill();
        }
    }

    /** The size in bytes of the line last returned by {@link #readLine(int, Consumer)}. */
    public long lastLength() {
        return lastLength;
    }

    /** The rest of the current line, read through the buffer without growing it. */
    private final class RestOfLine extends InputStream {
        private long count;
        private boolean done;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            if (start == end) {
                start = 0;
                end = 0;
                int n = eof ? -1 : in.read(buf, 0, buf.length);
                if (n < 0) {
                    eof = true;
                    done = true;
                    return -1;
                }
                end = n;
            }
            int limit = Math.min(end, start + len);
            int stop = start;
            while (stop < limit && buf[stop] != '\n') {
                stop++;
            }
            int n = stop - start;
            System.arraycopy(buf, start, b, off, n);
            count += n;
            if (stop < limit) {
                start = stop + 1;
                done = true;
            } else {
                start = stop;
            }
            return n == 0 && done ? -1 : n;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] scratch = new byte[8192];
            long skipped = 0;
            int r;
            while (skipped < n && (r = read(scratch, 0, (int) Math.min(scratch.length, n - skipped))) >= 0) {
                skipped += r;
            }
            return skipped;
        }
    }

    /** Moves the partial line to the front, grows the buffer when the line fills it, and reads more. */
    private void fill() throws IOException {
        int pending = end - start;
        if (start > 0) {
            System.arraycopy(buf, start, buf, 0, pending);
            start = 0;
            end = pending;
        }
        if (end == buf.length) {
            buf = Arrays.copyOf(buf, buf.length * 2);
        }
        int n = in.read(buf, end, buf.length - end);
        if (n < 0) {
            eof = true;
        } else {
            end += n;
        }
    }

    /** Whether a line holds nothing but JSON whitespace. */
    public static boolean isBlank(byte[] line) {
        for (byte b : line) {
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }
}
