package dev.toolhost.mcp.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Sealing and opening requestState as replicas do: one secret opens on every replica, anything else is refused. */
class RequestStatesTest {
    private static final Duration TTL = Duration.ofMinutes(10);
    private static final Instant NOW = Instant.parse("2026-11-30T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final String SECRET = "one secret for every replica";

    private static final McpRequest CALL = McpRequest.toolCall(
            "exec_command",
            Map.of("cmd", "touch made"),
            new RequestMeta("2026-07-28", null, null, null, Map.of(), null, Caller.stateless("token-a")));

    private static McpRequest retry(String state) {
        return CALL.retry(Map.of("approval", Map.of("action", "accept")), state);
    }

    @Test
    void aStateSealedByOneReplicaOpensOnAnotherWithTheSameSecret() throws Exception {
        String state = RequestStates.fromSecret(SECRET, TTL, CLOCK).seal(CALL, Map.of("pending", "touch made"));
        Map<String, Object> data = RequestStates.fromSecret(SECRET, TTL, CLOCK).open(retry(state));
        assertEquals(Map.of("pending", "touch made"), data);
    }

    @Test
    void aStateSealedWithAnotherSecretIsRefusedSayingSo() {
        String state = RequestStates.fromSecret(SECRET, TTL, CLOCK).seal(CALL, Map.of());
        var e = assertThrows(
                RequestStates.InvalidRequestStateException.class,
                () -> RequestStates.fromSecret("another replica's secret", TTL, CLOCK)
                        .open(retry(state)));
        assertEquals("requestState was altered or was sealed by another server with a different key", e.getMessage());
        var random = assertThrows(
                RequestStates.InvalidRequestStateException.class,
                () -> RequestStates.random(TTL, CLOCK).open(retry(state)));
        assertTrue(
                random.getMessage()
                        .contains("replicas that share retries need the same --request-state-key-env" + " secret"),
                random.getMessage());
    }

    @Test
    void anAlteredStateIsRefused() {
        String state = RequestStates.fromSecret(SECRET, TTL, CLOCK).seal(CALL, Map.of());
        char[] chars = state.toCharArray();
        chars[20] = chars[20] == 'A' ? 'B' : 'A';
        var e = assertThrows(
                RequestStates.InvalidRequestStateException.class,
                () -> RequestStates.fromSecret(SECRET, TTL, CLOCK).open(retry(new String(chars))));
        assertTrue(e.getMessage().startsWith("requestState was altered"), e.getMessage());
        var garbage = assertThrows(
                RequestStates.InvalidRequestStateException.class,
                () -> RequestStates.fromSecret(SECRET, TTL, CLOCK).open(retry("not*base64")));
        assertTrue(garbage.getMessage().contains("not base64url"), garbage.getMessage());
    }

    @Test
    void anExpiredStateIsRefusedSayingHowLongStatesLast() {
        String state = RequestStates.fromSecret(SECRET, TTL, CLOCK).seal(CALL, Map.of());
        Clock later = Clock.fixed(NOW.plus(TTL).plusSeconds(1), ZoneOffset.UTC);
        var e = assertThrows(
                RequestStates.InvalidRequestStateException.class,
                () -> RequestStates.fromSecret(SECRET, TTL, later).open(retry(state)));
        assertEquals(
                "requestState has expired (it is valid for 600 s); call the tool again without it", e.getMessage());
    }

    @Test
    void aStateIsBoundToItsToolArgumentsAndCaller() {
        String state = RequestStates.fromSecret(SECRET, TTL, CLOCK).seal(CALL, Map.of());
        RequestStates states = RequestStates.fromSecret(SECRET, TTL, CLOCK);
        McpRequest otherArguments = McpRequest.toolCall("exec_command", Map.of("cmd", "rm -rf made"), CALL.meta())
                .retry(Map.of(), state);
        McpRequest otherCaller = McpRequest.toolCall(
                        "exec_command",
                        CALL.arguments(),
                        new RequestMeta("2026-07-28", null, null, null, Map.of(), null, Caller.stateless("token-b")))
                .retry(Map.of(), state);
        for (McpRequest r : new McpRequest[] {otherArguments, otherCaller}) {
            var e = assertThrows(RequestStates.InvalidRequestStateException.class, () -> states.open(r));
            assertTrue(e.getMessage().contains("belongs to a different request or caller"), e.getMessage());
        }
    }
}
