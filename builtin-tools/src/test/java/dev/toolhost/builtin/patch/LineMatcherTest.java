package dev.toolhost.builtin.patch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class LineMatcherTest {
    private static final List<String> FILE =
            List.of("alpha", "beta  ", "  gamma  ", "say \u201Chi\u201D \u2014 ok", "beta");

    @Test
    void exactMatchWins() {
        LineMatcher.Match m = LineMatcher.find(FILE, List.of("beta"), 0, false);
        assertEquals(4, m.index());
        assertEquals(LineMatcher.Level.EXACT, m.level());
    }

    @Test
    void ignoresTrailingWhitespaceAtTheSecondLevel() {
        LineMatcher.Match m = LineMatcher.find(FILE, List.of("alpha", "beta"), 0, false);
        assertEquals(0, m.index());
        assertEquals(LineMatcher.Level.TRAILING_WHITESPACE, m.level());
    }

    @Test
    void ignoresSurroundingWhitespaceAtTheThirdLevel() {
        LineMatcher.Match m = LineMatcher.find(FILE, List.of("gamma"), 0, false);
        assertEquals(2, m.index());
        assertEquals(LineMatcher.Level.SURROUNDING_WHITESPACE, m.level());
    }

    @Test
    void readsTypographicPunctuationAsAsciiAtTheFourthLevel() {
        LineMatcher.Match m = LineMatcher.find(FILE, List.of("say \"hi\" - ok"), 0, false);
        assertEquals(3, m.index());
        assertEquals(LineMatcher.Level.TYPOGRAPHIC, m.level());
    }

    @Test
    void endOfFileOnlyMatchesAtTheEnd() {
        assertEquals(4, LineMatcher.find(FILE, List.of("beta"), 0, true).index());
        assertNull(LineMatcher.find(FILE, List.of("alpha"), 0, true));
    }

    @Test
    void searchesOnlyFromTheStartIndex() {
        assertNull(LineMatcher.find(FILE, List.of("alpha"), 1, false));
    }

    @Test
    void reportsHowFarAPatternMatched() {
        assertEquals(2, LineMatcher.longestMatchingPrefix(FILE, List.of("alpha", "beta", "nope"), 0));
    }
}
