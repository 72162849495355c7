package dev.toolhost.exec.server;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

/**
 * Refuses the WebSocket upgrades a web page could make to a loopback listener (cross-site WebSocket hijacking,
 * DNS rebinding), as {@code toolhost mcp-server --http} does for its requests. Browsers send an {@code Origin} and
 * apply no CORS to WebSockets, and a loopback exec-server needs no token, so without this any page the user visits
 * could run commands through it. A listener on another address always needs a token, which a browser cannot send
 * on a WebSocket upgrade, so it is not checked here.
 *
 * <ul>
 *   <li>403 when an {@code Origin} is given and is not {@code http(s)://} localhost, 127.0.0.1 or [::1] (any port).
 *       Clients that are not browsers send no Origin.
 *   <li>421 when {@code Host} is not localhost, 127.0.0.1 or [::1] (any port): a DNS-rebound name reaches the
 *       socket but names another host.
 * </ul>
 *
 * @param loopback whether the listener is on a loopback address (else every upgrade passes this check)
 */
record UpgradeCheck(boolean loopback) {

    private static final List<String> LOOPBACK_NAMES = List.of("localhost", "127.0.0.1", "[::1]");

    /** @param listenHost the host given to {@code listen}: a name, or an address (IPv6 with or without brackets) */
    static UpgradeCheck forListener(String listenHost) {
        return new UpgradeCheck(isLoopback(listenHost));
    }

    /**
     * @param origin the {@code Origin} header, or null
     * @param host the {@code Host} header, or null
     * @return 0 to accept the upgrade, else the HTTP status to refuse it with (403 or 421)
     */
    int refusal(String origin, String host) {
        if (!loopback) {
            return 0;
        }
        if (origin != null && !loopbackOrigin(origin)) {
            return 403;
        }
        return loopbackHost(host) ? 0 : 421;
    }

    private static boolean loopbackOrigin(String origin) {
        URI uri;
        try {
            uri = new URI(origin);
        } catch (URISyntaxException e) {
            return false;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String name = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        return (scheme.equals("http") || scheme.equals("https")) && LOOPBACK_NAMES.contains(name);
    }

    /** Any port, as mcp-server: a local reverse proxy may forward its own; a rebound name is never loopback. */
    private static boolean loopbackHost(String host) {
        if (host == null) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        for (String name : LOOPBACK_NAMES) {
            if (h.equals(name)
                    || (h.startsWith(name + ":")
                            && h.substring(name.length() + 1).matches("[0-9]+"))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isLoopback(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
