package dev.toolhost.builtin.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Decides whether a shell command line is known to be read-only, so that {@code untrusted} can run it
 * without asking. Parsing is deliberately conservative: only plain words, quotes, pipes, {@code ;},
 * {@code &&}, {@code ||}, input redirections and output to {@code /dev/null} are understood; anything
 * else (substitutions, variables, globs into writes, subshells, background jobs, output redirection to
 * a file) makes the whole line unsafe.
 */
public final class SafeCommands {
    private static final Set<String> ALWAYS_SAFE = Set.of(
            "ls",
            "cat",
            "grep",
            "egrep",
            "fgrep",
            "head",
            "tail",
            "wc",
            "pwd",
            "echo",
            "true",
            "false",
            "nl",
            "cut",
            "tr",
            "stat",
            "which",
            "whoami",
            "id",
            "basename",
            "dirname",
            "realpath",
            "readlink",
            "du",
            "df",
            "diff",
            "cmp",
            "printenv",
            "uname",
            "cd",
            "type",
            "ps",
            "seq",
            "rev",
            "md5sum",
            "sha1sum",
            "sha256sum",
            "column");
    private static final Set<String> GIT_READ_ONLY =
            Set.of("status", "log", "diff", "show", "blame", "ls-files", "rev-parse", "shortlog", "describe", "grep");

    private SafeCommands() {}

    /** True when every command in {@code line} is on the read-only list and nothing writes. */
    public static boolean isKnownSafe(String line) {
        List<List<String>> commands = split(line);
        if (commands == null || commands.isEmpty()) {
            return false;
        }
        for (List<String> argv : commands) {
            if (argv.isEmpty() || !isSafe(argv)) {
                return false;
            }
        }
        return true;
    }

    static boolean isSafe(List<String> argv) {
        String cmd = argv.get(0);
        List<String> args = argv.subList(1, argv.size());
        if (ALWAYS_SAFE.contains(cmd)) {
            return true;
        }
        return switch (cmd) {
            case "rg" -> !hasDangerousOption(args, RG);
            case "find" ->
                args.stream()
                        .noneMatch(a -> Set.of(
                                        "-exec",
                                        "-execdir",
                                        "-ok",
                                        "-okdir",
                                        "-delete",
                                        "-fls",
                                        "-fprint",
                                        "-fprint0",
                                        "-fprintf")
                                .contains(a));
            case "sort" -> !hasDangerousOption(args, SORT);
            case "sed" -> isPrintOnlySed(args);
            case "date" -> !hasDangerousOption(args, DATE);
            case "hostname" -> args.isEmpty() || args.equals(List.of("-f")) || args.equals(List.of("-s"));
            case "tree" -> !hasDangerousOption(args, TREE);
            case "file" -> !hasDangerousOption(args, FILE);
            case "git" -> isReadOnlyGit(args);
            default -> false;
        };
    }

    /**
     * The options of one command that write or execute.
     *
     * @param dangerousLong long options (with their {@code --}) that write or execute
     * @param dangerousShort short option letters that write or execute
     * @param shortWithValue short option letters whose value may be attached ({@code -k2}), so the rest of
     *     the word is that value and not more options; empty when unsure, which only refuses more
     */
    private record Options(Set<String> dangerousLong, String dangerousShort, String shortWithValue) {}

    private static final Options RG = new Options(Set.of("--pre", "--hostname-bin", "--search-zip"), "z", "");
    private static final Options SORT = new Options(Set.of("--output", "--compress-program"), "o", "ktST");
    private static final Options DATE = new Options(Set.of("--set"), "s", "dfIr");
    // tree -R with -H writes 00Tree.html into every directory; tree takes option values from the next word.
    private static final Options TREE = new Options(Set.of("--fromfile"), "oR", "");
    private static final Options FILE = new Options(Set.of("--compile"), "C", "efFmP");
    private static final Options GIT =
            new Options(Set.of("--output", "--ext-diff", "--exec", "--open-files-in-pager"), "O", "");

    /**
     * True when an argument before {@code --} is one of {@code options}' dangerous options, as getopt would
     * read it: a long option also when it is an abbreviation ({@code --out} for {@code --output}, which GNU
     * getopt and git accept), a short one also inside a cluster ({@code -no}) or with its value attached
     * ({@code -Ocmd}).
     */
    private static boolean hasDangerousOption(List<String> args, Options options) {
        for (String a : args) {
            if (a.equals("--")) {
                return false;
            }
            if (a.startsWith("--")) {
                int eq = a.indexOf('=');
                String name = eq < 0 ? a : a.substring(0, eq);
                if (options.dangerousLong().stream().anyMatch(d -> d.startsWith(name))) {
                    return true;
                }
            } else if (a.startsWith("-")) {
                for (int i = 1; i < a.length(); i++) {
                    char c = a.charAt(i);
                    if (options.dangerousShort().indexOf(c) >= 0) {
                        return true;
                    }
                    if (options.shortWithValue().indexOf(c) >= 0) {
                        break;
                    }
                }
            }
        }
        return false;
    }

    /** {@code sed -n Np FILE...} / {@code sed -n M,Np FILE...}: printing a range, nothing else. */
    private static boolean isPrintOnlySed(List<String> args) {
        return args.size() >= 2
                && args.get(0).equals("-n")
                && args.get(1).matches("\\d+(,\\d+)?p")
                && args.subList(2, args.size()).stream().noneMatch(a -> a.startsWith("-"));
    }

    private static boolean isReadOnlyGit(List<String> args) {
        // Options before the subcommand (-c, --exec-path, ...) can run arbitrary programs.
        if (args.isEmpty() || !GIT_READ_ONLY.contains(args.get(0))) {
            return false;
        }
        return !hasDangerousOption(args, GIT);
    }

    /**
     * Splits a command line into simple commands at {@code | ; && || newline}, with quotes removed.
     *
     * @return null when the line uses anything this parser does not understand
     */
    static List<List<String>> split(String line) {
        List<List<String>> commands = new ArrayList<>();
        List<String> current = new ArrayList<>();
        StringBuilder word = null;
        int i = 0;
        int n = line.length();
        while (i < n) {
            char c = line.charAt(i);
            if (c == '\'') {
                int end = line.indexOf('\'', i + 1);
                if (end < 0) {
                    return null;
                }
                word = word == null ? new StringBuilder() : word;
                word.append(line, i + 1, end);
                i = end + 1;
            } else if (c == '"') {
                int end = i + 1;
                word = word == null ? new StringBuilder() : word;
                while (end < n && line.charAt(end) != '"') {
                    char d = line.charAt(end);
                    if (d == '$' || d == '`' || d == '\\' || d == '!') {
                        return null;
                    }
                    word.append(d);
                    end++;
                }
                if (end >= n) {
                    return null;
                }
                i = end + 1;
            } else if (c == ' ' || c == '\t') {
                if (word != null) {
                    current.add(word.toString());
                    word = null;
                }
                i++;
            } else if (c == '|' || c == ';' || c == '\n' || c == '&') {
                if (c == '&' && (i + 1 >= n || line.charAt(i + 1) != '&')) {
                    return null; // background job
                }
                if (word != null) {
                    current.add(word.toString());
                    word = null;
                }
                if (current.isEmpty()) {
                    return null; // empty command around an operator
                }
                commands.add(current);
                current = new ArrayList<>();
                i += (i + 1 < n && (c == '|' || c == '&') && line.charAt(i + 1) == c) ? 2 : 1;
            } else if (c == '<'
                    || c == '>'
                    || (Character.isDigit(c)
                            && word == null
                            && i + 1 < n
                            && (line.charAt(i + 1) == '>' || line.charAt(i + 1) == '<'))) {
                if (word != null) {
                    current.add(word.toString());
                    word = null;
                }
                int next = skipRedirection(line, i);
                if (next < 0) {
                    return null;
                }
                i = next;
            } else if (c == '$'
                    || c == '`'
                    || c == '('
                    || c == ')'
                    || c == '{'
                    || c == '}'
                    || c == '\\'
                    || c == '*'
                    || c == '?'
                    || c == '['
                    || c == '#'
                    || c == '!'
                    || (c == '~' && word == null)) {
                return null;
            } else {
                word = word == null ? new StringBuilder() : word;
                word.append(c);
                i++;
            }
        }
        if (word != null) {
            current.add(word.toString());
        }
        if (current.isEmpty()) {
            return null; // empty line, or a trailing operator
        }
        commands.add(current);
        return commands;
    }

    /**
     * Accepts {@code < file}, {@code N>&M}, {@code N>&-}, {@code >/dev/null}, {@code 2>/dev/null}; returns the index after the redirection, or -1 when it writes a file.
     */
    private static int skipRedirection(String line, int i) {
        int n = line.length();
        if (Character.isDigit(line.charAt(i))) {
            i++;
        }
        char op = line.charAt(i);
        i++;
        if (op == '>' && i < n && line.charAt(i) == '>') {
            i++;
        }
        if (i < n && line.charAt(i) == '&') {
            i++;
            // bash reads >&WORD as a file redirection unless WORD is all digits or "-".
            int start = i;
            while (i < n && Character.isDigit(line.charAt(i))) {
                i++;
            }
            if (i == start && i < n && line.charAt(i) == '-') {
                i++;
            } else if (i == start) {
                return -1;
            }
            return i == n || " \t\n|;&<>".indexOf(line.charAt(i)) >= 0 ? i : -1;
        }
        while (i < n && line.charAt(i) == ' ') {
            i++;
        }
        int start = i;
        while (i < n && " \t\n|;&<>".indexOf(line.charAt(i)) < 0) {
            char c = line.charAt(i);
            if (c == '$' || c == '`' || c == '\'' || c == '"' || c == '(' || c == '*') {
                return -1;
            }
            i++;
        }
        String target = line.substring(start, i);
        if (target.isEmpty()) {
            return -1;
        }
        return op == '<' || target.equals("/dev/null") ? i : -1;
    }
}
