package dev.toolhost.mcp.client;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Newline-delimited lines from a stream, as UTF-8 bytes: the JSON parser reads bytes faster than a
 * String, so decoding every line to characters first (as {@code BufferedReader} does) was wasted
 * work on the stdio hot path. A trailing {@code \r} is dropped; the last line may lack its newline.
 */
public final class LineReader {
    private final InputStream in;
    private byte[] buf = new byte[1 << 16];
    private int start;
    private int end;
    private boolean eof;

    public LineReader(InputStream in) {
        this.in = in;
    }

    /** The next line without its line ending, or null at the end of the stream. */
    public byte[] readLine() throws IOException {
        int scanned = start;
        while (true) {
            for (int i = scanned; i < end; i++) {
                if (buf[i] == '\n') {
                    int stop = i > start && buf[i - 1] == '\r' ? i - 1 : i;
                    byte[] line = Arrays.copyOfRange(buf, start, stop);
                    start = i + 1;
                    return line;
                }
            }
            if (eof) {
                if (start == end) {
                    return null;
                }
                byte[] line = Arrays.copyOfRange(buf, start, end);
                start = end;
                return line;
            }
            scanned = end - start;
            fill();
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
