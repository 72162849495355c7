package dev.toolhost.mcp.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineReaderTest {

    private static List<String> lines(InputStream in) throws IOException {
        LineReader reader = new LineReader(in);
        List<String> out = new ArrayList<>();
        byte[] line;
        while ((line = reader.readLine()) != null) {
            out.add(new String(line, StandardCharsets.UTF_8));
        }
        return out;
    }

    private static InputStream bytes(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void splitsOnNewlinesDropsCarriageReturnsAndKeepsALastLineWithoutNewline() throws IOException {
        assertEquals(
                List.of("{\"a\":1}", "", "{\"b\":\"é\"}", "tail"), lines(bytes("{\"a\":1}\r\n\n{\"b\":\"é\"}\ntail")));
        assertEquals(List.of(), lines(bytes("")));
    }

    @Test
    void linesLongerThanTheBufferAndSplitAcrossReadsComeBackWhole() throws IOException {
        String big = "x".repeat(200_000);
        // One byte per read: every line is split across many reads.
        InputStream trickle = new InputStream() {
            private final InputStream in = bytes("ab\n" + big + "\ncd\n");

            @Override
            public int read() throws IOException {
                return in.read();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return in.read(b, off, Math.min(len, 1));
            }
        };
        assertEquals(List.of("ab", big, "cd"), lines(trickle));
        assertEquals(List.of("ab", big, "cd"), lines(bytes("ab\n" + big + "\ncd\n")));
    }

    @Test
    void blankMeansOnlyWhitespace() throws IOException {
        assertTrue(LineReader.isBlank(" \t\r".getBytes(StandardCharsets.UTF_8)));
        assertTrue(LineReader.isBlank(new byte[0]));
        assertFalse(LineReader.isBlank(" {} ".getBytes(StandardCharsets.UTF_8)));
        assertNull(new LineReader(bytes("")).readLine());
    }

    @Test
    void aLineOverTheLimitIsStreamedWholeThenSkippedAndTheNextLineIsIntact() throws IOException {
        String big = "{\"result\":\"" + "y".repeat(1_000_000) + "\",\"id\":7}";
        LineReader reader = new LineReader(bytes("{\"a\":1}\n" + big + "\r\n{\"b\":2}\n" + big));
        List<String> streamed = new ArrayList<>();
        assertEquals(
                "{\"a\":1}",
                new String(reader.readLine(100_000, in -> streamed.add("unexpected")), StandardCharsets.UTF_8));
        assertTrue(reader.readLine(100_000, in -> streamed.add(read(in))) == LineReader.OVER_LIMIT);
        assertEquals(big.length() + 1, reader.lastLength(), "the size counts every byte up to the newline");
        assertEquals(
                "{\"b\":2}",
                new String(reader.readLine(100_000, in -> streamed.add("unexpected")), StandardCharsets.UTF_8));
        assertTrue(reader.readLine(100_000, in -> {}) == LineReader.OVER_LIMIT, "a handler may stop early");
        assertEquals(big.length(), reader.lastLength());
        assertNull(reader.readLine(100_000, in -> {}));
        assertEquals(List.of(big + "\r"), streamed);
    }

    private static String read(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
