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
            case "rg" ->
                args.stream()
                        .noneMatch(a -> a.startsWith("--pre")
                                || a.startsWith("--hostname-bin")
                                || a.equals("-z")
                                || a.equals("--search-zip"));
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
            case "sort" ->
                args.stream()
                        .noneMatch(a -> a.equals("-o")
                                || a.startsWith("--output")
                                || (a.startsWith("-") && !a.startsWith("--") && a.contains("o")));
            case "sed" -> isPrintOnlySed(args);
            case "date" -> args.stream().noneMatch(a -> a.equals("-s") || a.startsWith("--set"));
            case "hostname" -> args.isEmpty() || args.equals(List.of("-f")) || args.equals(List.of("-s"));
            case "tree" -> args.stream().noneMatch(a -> a.equals("-o") || a.startsWith("--fromfile"));
            case "file" -> args.stream().noneMatch(a -> a.equals("-C") || a.equals("--compile"));
            case "git" -> isReadOnlyGit(args);
            default -> false;
        };
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
        return args.stream()
                .noneMatch(a -> a.startsWith("--output")
                        || a.equals("--ext-diff")
                        || a.startsWith("--exec")
                        || a.startsWith("--open-files-in-pager")
                        || a.equals("-O"));
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
     * Accepts {@code < file}, {@code N>&M}, {@code >/dev/null}, {@code 2>/dev/null}, {@code &>/dev/null};
     * returns the index after the redirection, or -1 when it writes a file.
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
            int start = i;
            while (i < n && Character.isDigit(line.charAt(i))) {
                i++;
            }
            return i > start ? i : -1;
        }
        while (i < n && line.charAt(i) == ' ') {
            i++;
        }
        int start = i;
        while (i < n && " \t|;&<>".indexOf(line.charAt(i)) < 0) {
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
