package dev.toolhost.mcp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.toolhost.mcp.core.Caller;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** Which quiet legacy sessions the sweep ends: those that do not answer a ping, unless a ping cannot reach them. */
class LegacySessionsTest {
    private final List<Caller> ended = new CopyOnWriteArrayList<>();
    private final LegacySessions sessions = new LegacySessions(ended::add);
    private final AtomicInteger pings = new AtomicInteger();

    @AfterEach
    void close() {
        sessions.close();
    }

    private static long minutes(long m) {
        return Duration.ofMinutes(m).toNanos();
    }

    @Test
    void aQuietSessionThatDoesNotAnswerItsPingEnds() {
        sessions.touch("gone", () -> Mono.error(new RuntimeException("the stream is closed")), 0);
        sessions.sweep(minutes(3));
        assertEquals(List.of(Caller.legacySession("gone")), ended);
    }

    @Test
    void aSessionThatAnswersOrIsNotQuietYetStays() {
        sessions.touch("here", () -> Mono.just(new Object()), 0);
        sessions.touch(
                "busy",
                () -> {
                    pings.incrementAndGet();
                    return Mono.error(new RuntimeException("gone"));
                },
                minutes(2));
        sessions.sweep(minutes(3));
        assertEquals(List.of(), ended);
        assertEquals(0, pings.get(), "a session quiet for less than two minutes is not pinged");
    }

    @Test
    void aSessionWithoutAStreamToPingOnEndsOnlyWhenAbandoned() {
        // What the SDK answers when the client holds no GET stream: the client may still be there.
        sessions.touch("no-get", () -> Mono.error(new IllegalStateException("Stream unavailable for session")), 0);
        sessions.sweep(minutes(3));
        sessions.sweep(minutes(29));
        assertEquals(List.of(), ended);
        sessions.sweep(minutes(31));
        assertEquals(List.of(Caller.legacySession("no-get")), ended);
    }
}
