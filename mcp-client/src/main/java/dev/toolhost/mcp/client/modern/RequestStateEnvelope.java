package dev.toolhost.mcp.client.modern;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The {@code requestState} the hub hands its caller for a downstream server's input-required result: the
 * server's own state, byte-exact, behind a prefix naming the server ({@code th1.<base64url name>.<state>}).
 * The retry names the same tool, so it reaches the same server; the prefix makes sure the state it carries
 * was issued there, and nowhere else. The downstream server protects its own state (spec
 * {@code basic/patterns/mrtr}); a server that sent none gets none back.
 */
public final class RequestStateEnvelope {
    private static final String VERSION = "th1.";

    private RequestStateEnvelope() {}

    /** The state as the caller sees it; null stays null. */
    public static String seal(String server, String downstreamState) {
        return downstreamState == null ? null : prefix(server) + downstreamState;
    }

    /**
     * The downstream server's state from what the caller sent back; null stays null.
     *
     * @throws IllegalArgumentException when the state was not issued for this server
     */
    public static String open(String server, String callerState) {
        if (callerState == null) {
            return null;
        }
        String prefix = prefix(server);
        if (!callerState.startsWith(prefix)) {
            throw notIssued(server);
        }
        return callerState.substring(prefix.length());
    }

    /**
     * A legacy server issues no state, so a retry that brings one to it brings a forged, stale or foreign one (a
     * gateway's own parked-call states never reach the hub).
     *
     * @throws IllegalArgumentException when {@code callerState} is not null
     */
    public static void requireNone(String server, String callerState) {
        if (callerState != null) {
            throw notIssued(server);
        }
    }

    private static IllegalArgumentException notIssued(String server) {
        return new IllegalArgumentException("the requestState of this retry was not issued for MCP server '" + server
                + "'; retry with the requestState of this tool's last input_required result");
    }

    private static String prefix(String server) {
        return VERSION + Base64.getUrlEncoder().withoutPadding().encodeToString(server.getBytes(StandardCharsets.UTF_8))
                + ".";
    }
}
