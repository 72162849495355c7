package dev.toolhost.builtin.patch;

import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ways models trained on Codex hand a patch over besides a plain {@code apply_patch} input: as a shell command
 * ({@code apply_patch <<'EOF' ... EOF}, also {@code applypatch} and {@code cd DIR && apply_patch <<'EOF' ...}, which
 * Codex runs as its apply_patch tool) and as an {@code input} wrapped in such a heredoc (which Codex's parser strips).
 * Only the whole-script forms Codex accepts are recognised: anything before or after the heredoc, another connector
 * than {@code &&}, or a {@code cd} with flags or expansions ({@code ~} included) makes it an ordinary command. The
 * body is taken as written, whatever the quoting of the delimiter, as Codex does, except that {@code <<-} strips
 * each line's leading tabs, as bash does.
 */
public final class ApplyPatchInvocation {
    private static final String PATH_WORD = "[^\\s'\"&|;<>()$`\\\\]+";
    // An unquoted cd word starting with ~ (tilde expansion) or - (cd -, options) is not a plain directory.
    private static final Pattern HEREDOC_START = Pattern.compile("(?:cd[ \\t]+(?<cd>(?![~-])" + PATH_WORD + "|'[^']*'"
            + "|\"[^\"$`\\\\]*\")[ \\t]*&&[ \\t]*)?(?<cmd>(?:apply_patch|applypatch)[ \\t]*)?<<(?<dash>-?)[ \\t]*"
            + "(?<q>['\"]?)(?<delim>[A-Za-z_][A-Za-z0-9_]*)\\k<q>");

    private ApplyPatchInvocation() {}

    /**
     * A patch run through the shell.
     *
     * @param patch the heredoc's body
     * @param cd    the directory of a leading {@code cd DIR &&}, unquoted, or null
     */
    public record ShellForm(String patch, String cd) {}

    /** The patch when {@code script} (an exec_command {@code cmd}) is one of the forms, else null. */
    public static ShellForm fromShellScript(String script) {
        Heredoc h = heredoc(script);
        return h == null || h.command() == null ? null : new ShellForm(h.body(), h.cd());
    }

    /**
     * The patch inside {@code input} when it is wrapped in a heredoc ({@code <<'EOF'}, {@code <<EOF},
     * {@code <<"EOF"}, also preceded by {@code apply_patch}), else {@code input} unchanged.
     */
    public static String stripHeredoc(String input) {
        Heredoc h = heredoc(input);
        return h == null || h.cd() != null ? input : h.body();
    }

    private record Heredoc(String command, String cd, String body) {}

    private static Heredoc heredoc(String script) {
        String[] lines = script.strip().replace("\r\n", "\n").split("\n", -1);
        Matcher start = HEREDOC_START.matcher(lines[0].strip());
        if (lines.length < 2 || !start.matches()) {
            return null;
        }
        String delim = start.group("delim");
        boolean stripTabs = !start.group("dash").isEmpty();
        for (int end = 1; end < lines.length; end++) {
            if (stripTabs(lines[end], stripTabs).equals(delim)) {
                // The heredoc ends here; what follows would run as more commands.
                if (end != lines.length - 1) {
                    return null;
                }
                // <<- strips leading tabs from every body line too, as bash does.
                String body = String.join(
                        "\n",
                        Arrays.asList(lines).subList(1, end).stream()
                                .map(l -> stripTabs(l, stripTabs))
                                .toList());
                return new Heredoc(start.group("cmd"), unquote(start.group("cd")), body);
            }
        }
        return null;
    }

    private static String stripTabs(String line, boolean strip) {
        return strip ? line.replaceFirst("^\t+", "") : line;
    }

    private static String unquote(String word) {
        if (word != null && word.length() >= 2 && (word.startsWith("'") || word.startsWith("\""))) {
            return word.substring(1, word.length() - 1);
        }
        return word;
    }
}
