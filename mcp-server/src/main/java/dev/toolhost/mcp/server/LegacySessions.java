package dev.toolhost.mcp.server;

import dev.toolhost.mcp.core.Caller;
import io.modelcontextprotocol.server.McpAsyncServerExchange;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The legacy sessions that have called tools, so that the state kept for each caller ends with it: at once when
 * its client ends it ({@link #ended}, an HTTP {@code DELETE}); otherwise, since the SDK tells a server nothing when
 * an HTTP session goes away, sessions quiet for {@link #IDLE} are pinged, and one that does not answer is treated
 * as ended.
 */
final class LegacySessions implements AutoCloseable {
    static final Duration IDLE = Duration.ofMinutes(2);

    private record Entry(McpAsyncServerExchange exchange, long lastUsedNanos) {}

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final Consumer<Caller> ended;
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "toolhost-session-sweeper");
        t.setDaemon(true);
        return t;
    });

    LegacySessions(Consumer<Caller> ended) {
        this.ended = ended;
        sweeper.scheduleWithFixedDelay(this::sweep, 60, 60, TimeUnit.SECONDS);
    }

    void touch(McpAsyncServerExchange exchange) {
        if (exchange.sessionId() != null) {
            entries.put(exchange.sessionId(), new Entry(exchange, System.nanoTime()));
        }
    }

    /** The client ended session {@code sessionId}: its caller's state ends now. */
    void ended(String sessionId) {
        entries.remove(sessionId);
        ended.accept(Caller.legacySession(sessionId));
    }

    private void sweep() {
        long now = System.nanoTime();
        entries.forEach((id, e) -> {
            if (now - e.lastUsedNanos() < IDLE.toNanos()) {
                return;
            }
            e.exchange().ping().timeout(Duration.ofSeconds(10)).subscribe(ok -> {}, gone -> {
                if (entries.remove(id, e)) {
                    ended.accept(Caller.legacySession(id));
                }
            });
        });
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
    }
}
