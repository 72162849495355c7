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
import java.util.function.Supplier;
import reactor.core.publisher.Mono;

/**
 * The legacy sessions that have called tools, so that the state kept for each caller ends with it: at once when
 * its client ends it ({@link #ended}, an HTTP {@code DELETE}); otherwise, since the SDK tells a server nothing when
 * an HTTP session goes away, sessions quiet for {@link #IDLE} are pinged, and one that does not answer is treated
 * as ended. A session whose client holds no stream for server requests (no GET) cannot be pinged at all: it ends
 * only after {@link #ABANDONED} without a request, since a client may well wait minutes before polling a command.
 */
final class LegacySessions implements AutoCloseable {
    static final Duration IDLE = Duration.ofMinutes(2);
    static final Duration ABANDONED = Duration.ofMinutes(30);

    private record Entry(Supplier<Mono<Object>> ping, long lastUsedNanos) {}

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
            touch(exchange.sessionId(), exchange::ping, System.nanoTime());
        }
    }

    /** Session {@code sessionId} made a request at {@code nanos} ({@link System#nanoTime}); {@code ping} asks it. */
    void touch(String sessionId, Supplier<Mono<Object>> ping, long nanos) {
        entries.put(sessionId, new Entry(ping, nanos));
    }

    /** The client ended session {@code sessionId}: its caller's state ends now. */
    void ended(String sessionId) {
        entries.remove(sessionId);
        ended.accept(Caller.legacySession(sessionId));
    }

    private void sweep() {
        sweep(System.nanoTime());
    }

    /** Pings the sessions quiet for {@link #IDLE} at {@code now}; ends those that do not answer. */
    void sweep(long now) {
        entries.forEach((id, e) -> {
            long quiet = now - e.lastUsedNanos();
            if (quiet < IDLE.toNanos()) {
                return;
            }
            e.ping().get().timeout(Duration.ofSeconds(10)).subscribe(ok -> {}, failed -> {
                // The SDK fails a ping at once with IllegalStateException when the client holds no GET stream:
                // that says nothing about whether it is still there.
                boolean unknowable = failed instanceof IllegalStateException;
                if ((!unknowable || quiet >= ABANDONED.toNanos()) && entries.remove(id, e)) {
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
