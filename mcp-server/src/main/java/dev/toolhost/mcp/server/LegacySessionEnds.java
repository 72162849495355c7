package dev.toolhost.mcp.server;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the MCP server built on a {@link StreamableHttpServer}'s transport that a client ended its legacy session
 * (an HTTP {@code DELETE} with its {@code Mcp-Session-Id}, answered 200 by the SDK). The SDK's server tells nobody,
 * so without this what a caller leaves behind (its processes) would live until {@link LegacySessions}' idle sweep.
 */
public final class LegacySessionEnds {
    private static final Logger log = LoggerFactory.getLogger(LegacySessionEnds.class);

    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

    /** {@code listener} gets the id of each legacy session a client ends (the SDK's id, without a replica route). */
    public void onEnded(Consumer<String> listener) {
        listeners.add(listener);
    }

    void ended(String sessionId) {
        for (Consumer<String> l : listeners) {
            try {
                l.accept(sessionId);
            } catch (RuntimeException e) {
                // The session is gone either way: its DELETE is still answered.
                log.warn("ending the state of a legacy session failed: {}", e.toString());
            }
        }
    }
}
