package dev.toolhost.builtin.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TruncationTest {

    private static OutputBuffer.Drained buffered(String s, int capacity) {
        OutputBuffer b = new OutputBuffer(capacity);
        b.append(s.getBytes(StandardCharsets.UTF_8));
        return b.drain();
    }

    @Test
    void shortOutputIsUntouched() {
        Truncation.Result r = Truncation.apply(buffered("hello\n", 1024), 100);
        assertEquals("hello\n", r.text());
        assertEquals(0, r.removedBytes());
    }

    @Test
    void longOutputKeepsBothEndsAndSaysHowMuchWasCut() {
        String out = "A".repeat(500) + "B".repeat(1000) + "C".repeat(500);
        Truncation.Result r = Truncation.apply(buffered(out, 1 << 16), 1000);
        assertEquals(1000, r.removedBytes());
        assertTrue(
                r.text().startsWith("A".repeat(500) + "\n[... 1000 bytes (~250 tokens) of output truncated ...]\n"),
                r.text());
        assertTrue(r.text().endsWith("C".repeat(500)));
        assertTrue(!r.text().contains("B"));
    }

    @Test
    void neverSplitsAMultiByteCharacter() {
        String out = "\u00e9".repeat(1000); // 2 bytes each
        Truncation.Result r = Truncation.apply(buffered(out, 1 << 16), 101);
        String visible = r.text().replaceAll("\n\\[\\.\\.\\. .* truncated \\.\\.\\.]\n", "");
        assertTrue(visible.chars().allMatch(c -> c == '\u00e9'), visible);
        assertEquals(2000, visible.getBytes(StandardCharsets.UTF_8).length + r.removedBytes());
    }

    @Test
    void theBoundedBufferDropsTheMiddleAndCountsIt() {
        OutputBuffer b = new OutputBuffer(100);
        b.append("H".repeat(50).getBytes());
        b.append("M".repeat(1000).getBytes());
        b.append("T".repeat(50).getBytes());
        OutputBuffer.Drained d = b.drain();
        assertEquals(1000, d.omitted());
        Truncation.Result r = Truncation.apply(d, 1 << 20);
        assertEquals(
                "H".repeat(50) + "\n[... 1000 bytes (~250 tokens) of output truncated ...]\n" + "T".repeat(50),
                r.text());
        assertEquals(0, b.drain().totalBytes(), "drain empties the buffer");
    }
}
