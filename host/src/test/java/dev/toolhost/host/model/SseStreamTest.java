package dev.toolhost.host.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class SseStreamTest {

    private static SseStream fed(String... lines) {
        SseStream s = new SseStream("p", 5_000);
        for (String line : lines) {
            s.onNext(line);
        }
        s.onComplete();
        return s;
    }

    @Test
    void parsesEventNamesMultiLineDataAndSkipsComments() throws Exception {
        SseStream s = fed(
                ": keep-alive",
                "",
                "event: response.created",
                "data: {\"a\":1}",
                "",
                "data:first",
                "data: second",
                "",
                "id: 7",
                "retry: 100",
                "");
        assertEquals(new SseEvent("response.created", "{\"a\":1}"), s.next());
        assertEquals(new SseEvent(null, "first\nsecond"), s.next());
        assertNull(s.next());
        assertNull(s.next());
    }

    @Test
    void aLastEventWithoutTheBlankLineStillCounts() throws Exception {
        SseStream s = fed("data: [DONE]");
        assertEquals(new SseEvent(null, "[DONE]"), s.next());
        assertNull(s.next());
    }

    @Test
    void aBrokenConnectionIsAModelError() {
        SseStream s = new SseStream("p", 5_000);
        s.onNext("data: {}");
        s.onError(new IOException("connection reset"));
        ModelException e = assertThrows(ModelException.class, () -> {
            s.next();
            s.next();
        });
        assertEquals("the stream from model provider 'p' broke off: connection reset", e.getMessage());
    }

    @Test
    void errorBodiesAreReducedToTheirMessage() {
        assertEquals("Incorrect API key", ModelHttp.errorMessage("{\"error\":{\"message\":\"Incorrect API key\"}}"));
        assertEquals("model not found", ModelHttp.errorMessage("{\"error\":\"model not found\"}"));
        assertEquals("Bad Gateway", ModelHttp.errorMessage("  Bad\n Gateway "));
        assertTrue(ModelHttp.errorMessage("x".repeat(1000)).endsWith("..."));
    }
}
