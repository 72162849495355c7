package dev.toolhost.mcp.client.oauth;

import com.nimbusds.oauth2.sdk.token.BearerTokenError;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an MCP server said when it refused a request: the HTTP status and the {@code WWW-Authenticate}
 * parameters (RFC 6750 section 3, RFC 9728 section 5.1). Error and scope come from Nimbus's
 * {@link BearerTokenError}; {@code resource_metadata} is read here because Nimbus has no RFC 9728 class.
 *
 * @param status           401 or 403
 * @param error            {@code error} (e.g. {@code invalid_token}, {@code insufficient_scope}), or null
 * @param scopes           the {@code scope} parameter split on spaces; empty when absent
 * @param resourceMetadata the {@code resource_metadata} URL, or null
 */
public record Challenge(int status, String error, List<String> scopes, URI resourceMetadata) {
    private static final Pattern PARAM =
            Pattern.compile("(?:^|[\\s,])([A-Za-z0-9_\\-]+)\\s*=\\s*(?:\"((?:[^\"\\\\]|\\\\.)*)\"|([^\\s,]+))");

    public Challenge {
        scopes = List.copyOf(scopes);
    }

    public static Challenge parse(int status, List<String> wwwAuthenticate) {
        String error = null;
        List<String> scopes = new ArrayList<>();
        URI metadata = null;
        for (String header : wwwAuthenticate) {
            String scheme = header.strip().split("\\s", 2)[0].toLowerCase(Locale.ROOT);
            if (!scheme.equals("bearer") && !scheme.equals("dpop")) {
                continue;
            }
            try {
                BearerTokenError parsed =
                        BearerTokenError.parse("Bearer" + header.strip().substring(scheme.length()));
                if (parsed.getCode() != null && error == null) {
                    error = parsed.getCode();
                }
                if (parsed.getScope() != null && scopes.isEmpty()) {
                    scopes.addAll(parsed.getScope().toStringList());
                }
            } catch (com.nimbusds.oauth2.sdk.ParseException ignored) {
                // a malformed challenge still counts as "authorization required"
            }
            Matcher m = PARAM.matcher(header);
            while (m.find()) {
                if (m.group(1).equalsIgnoreCase("resource_metadata") && metadata == null) {
                    String v = m.group(2) != null ? m.group(2).replaceAll("\\\\(.)", "$1") : m.group(3);
                    try {
                        metadata = URI.create(v);
                    } catch (IllegalArgumentException ignored) {
                        // fall back to the well-known locations
                    }
                }
            }
        }
        return new Challenge(status, error, scopes, metadata);
    }

    public boolean insufficientScope() {
        return status == 403 && "insufficient_scope".equals(error);
    }
}
