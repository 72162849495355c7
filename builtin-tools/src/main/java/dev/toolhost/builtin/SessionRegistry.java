package dev.toolhost.builtin;

import dev.toolhost.builtin.exec.ExecSessions;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-MCP-session state, keyed by the exchange's session id. The SDK (1.1.5) tells a tool nothing when
 * a session ends, so {@link #sweep} pings sessions that have been quiet for a while and, when the ping
 * fails, treats the session as ended: its exec sessions are killed and its state dropped.
 */
final class SessionRegistry {
    private record Entry(SessionState state, McpSyncServerExchange exchange, long lastUsedNanos) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final ExecSessions execSessions;

    SessionRegistry(ExecSessions execSessions) {
        this.execSessions = execSessions;
    }

    SessionState touch(McpSyncServerExchange exchange) {
        String id = exchange.sessionId() == null ? "default" : exchange.sessionId();
        Entry e = entries.compute(id, (k, old) -> new Entry(old == null ? new SessionState(k) : old.state(), exchange,
                System.nanoTime()));
        return e.state();
    }

    /** Pings sessions idle for longer than {@code idleNanos}; ends the ones that do not answer. */
    void sweep(long idleNanos) {
        long now = System.nanoTime();
        for (Map.Entry<String, Entry> e : entries.entrySet()) {
            if (now - e.getValue().lastUsedNanos() < idleNanos) {
                continue;
            }
            boolean alive;
            try {
                e.getValue().exchange().ping();
                alive = true;
            } catch (RuntimeException gone) {
                alive = false;
            }
            if (!alive) {
                entries.remove(e.getKey());
                execSessions.closeOwnedBy(e.getKey());
            }
        }
    }
}
