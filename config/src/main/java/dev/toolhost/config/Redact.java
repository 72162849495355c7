package dev.toolhost.config;

import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Configured values as they may be shown to a person or written to a log: secrets replaced by {@link #MASK}, as
 * Codex's {@code mcp list/get} show {@code env} ({@code KEY=*****}). Only for display; connecting uses the real values.
 */
public final class Redact {
    /** What a secret is shown as. */
    public static final String MASK = "*****";

    /** Tables whose values are passed to a server as they are: tokens, API keys, passwords. */
    private static final Set<String> SECRET_TABLES = Set.of("env", "http_headers", "query_params");

    /** RFC 3986 appendix B: splits any string into scheme, authority, path, query and fragment. */
    private static final Pattern URI_PARTS =
            Pattern.compile("^(([^:/?#]+):)?(//([^/?#]*))?([^?#]*)(\\?([^#]*))?(#(.*))?", Pattern.DOTALL);

    private Redact() {}

    /**
     * {@code url} with its secrets masked: the password of the userinfo ({@code https://user:*****@host/}), a userinfo
     * without a password as a whole (it is often a token), every query parameter's value ({@code ?token=*****}), a
     * parameter without {@code =} as a whole, and the fragment. Scheme, host, port, path and parameter names are kept.
     * Never fails: a string that is no valid URL is split by the same rules; null stays null.
     */
    public static String url(String url) {
        if (url == null) {
            return null;
        }
        Matcher m = URI_PARTS.matcher(url);
        if (!m.matches()) {
            return MASK; // unreachable: every group is optional
        }
        StringBuilder b = new StringBuilder();
        if (m.group(1) != null) {
            b.append(m.group(1));
        }
        String authority = m.group(4);
        if (authority != null) {
            b.append("//");
            int at = authority.lastIndexOf('@');
            if (at >= 0) {
                String userinfo = authority.substring(0, at);
                int colon = userinfo.indexOf(':');
                b.append(colon >= 0 ? userinfo.substring(0, colon + 1) + MASK : MASK)
                        .append('@');
            }
            b.append(authority.substring(at + 1));
        }
        b.append(m.group(5));
        if (m.group(7) != null) {
            b.append('?').append(query(m.group(7)));
        }
        if (m.group(9) != null) {
            b.append('#').append(m.group(9).isEmpty() ? "" : MASK);
        }
        return b.toString();
    }

    /** {@code values}' keys, sorted, each with the value {@link #MASK} ({@code env}, {@code http_headers}). */
    public static Map<String, String> values(Map<String, String> values) {
        Map<String, String> masked = new TreeMap<>();
        values.keySet().forEach(k -> masked.put(k, MASK));
        return masked;
    }

    /**
     * Whether the configured value at {@code path} (dotted, e.g. {@code mcp_servers.s.env.TOKEN}) may be a secret, so
     * an error about it names only its type: the values of {@code env}, {@code http_headers}, {@code query_params} and
     * {@code shell_environment_policy.set}, and those tables themselves.
     */
    public static boolean secretValue(String path) {
        String[] segments = path.split("\\.", -1);
        for (int i = 0; i < segments.length; i++) {
            if (SECRET_TABLES.contains(segments[i])
                    || segments[i].equals("set") && i > 0 && segments[i - 1].equals("shell_environment_policy")) {
                return true;
            }
        }
        return false;
    }

    private static String query(String query) {
        StringJoiner params = new StringJoiner("&");
        for (String param : query.split("&", -1)) {
            int eq = param.indexOf('=');
            params.add(eq >= 0 ? param.substring(0, eq + 1) + MASK : param.isEmpty() ? "" : MASK);
        }
        return params.toString();
    }
}
