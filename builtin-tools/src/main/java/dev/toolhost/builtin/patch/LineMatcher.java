package dev.toolhost.builtin.patch;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Finds a sequence of lines in a file, trying four levels in order: exact, ignoring trailing
 * whitespace, ignoring surrounding whitespace, and with typographic dashes, quotes and spaces read as
 * their ASCII forms. The first level that matches anywhere wins, so a looser level never shadows an
 * exact match further down.
 */
public final class LineMatcher {

    /** The matching levels, strictest first. */
    public enum Level {
        EXACT(s -> s),
        TRAILING_WHITESPACE(String::stripTrailing),
        SURROUNDING_WHITESPACE(String::strip),
        TYPOGRAPHIC(s -> asciiPunctuation(s.strip()));

        private final UnaryOperator<String> normalize;

        Level(UnaryOperator<String> normalize) {
            this.normalize = normalize;
        }

        String normalize(String s) {
            return normalize.apply(s);
        }
    }

    /** Where a sequence matched, and at which level. */
    public record Match(int index, Level level) {}

    private LineMatcher() {}

    /**
     * Finds {@code pattern} in {@code lines} at or after {@code start}; when {@code endOfFile}, only a
     * match ending on the last line counts.
     *
     * @return the match, or null when the pattern is nowhere
     */
    public static Match find(List<String> lines, List<String> pattern, int start, boolean endOfFile) {
        if (pattern.isEmpty()) {
            return new Match(start, Level.EXACT);
        }
        if (pattern.size() > lines.size()) {
            return null;
        }
        int from = endOfFile ? lines.size() - pattern.size() : start;
        int to = lines.size() - pattern.size();
        for (Level level : Level.values()) {
            for (int i = Math.max(from, 0); i <= to; i++) {
                if (matchesAt(lines, pattern, i, level)) {
                    return new Match(i, level);
                }
            }
        }
        return null;
    }

    /**
     * How many leading lines of {@code pattern} match somewhere at or after {@code start} (at the
     * loosest level): the next line is the one that "did not match", for error messages.
     */
    public static int longestMatchingPrefix(List<String> lines, List<String> pattern, int start) {
        int best = 0;
        for (int i = Math.max(start, 0); i < lines.size(); i++) {
            int n = 0;
            while (n < pattern.size()
                    && i + n < lines.size()
                    && Level.TYPOGRAPHIC
                            .normalize(lines.get(i + n))
                            .equals(Level.TYPOGRAPHIC.normalize(pattern.get(n)))) {
                n++;
            }
            best = Math.max(best, n);
        }
        return best;
    }

    private static boolean matchesAt(List<String> lines, List<String> pattern, int at, Level level) {
        for (int j = 0; j < pattern.size(); j++) {
            if (!level.normalize(lines.get(at + j)).equals(level.normalize(pattern.get(j)))) {
                return false;
            }
        }
        return true;
    }

    static String asciiPunctuation(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(
                    switch (c) {
                        case '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015', '\u2212' -> '-';
                        case '\u2018', '\u2019', '\u201A', '\u201B' -> '\'';
                        case '\u201C', '\u201D', '\u201E', '\u201F' -> '"';
                        case '\u00A0',
                                '\u2002',
                                '\u2003',
                                '\u2004',
                                '\u2005',
                                '\u2006',
                                '\u2007',
                                '\u2008',
                                '\u2009',
                                '\u200A',
                                '\u202F',
                                '\u205F',
                                '\u3000' -> ' ';
                        default -> c;
                    });
        }
        return b.toString();
    }
}
