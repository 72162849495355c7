package dev.toolhost.mcp.server.modern;

import static dev.toolhost.mcp.server.modern.ModernDispatcherTest.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.mcp.core.InputRequest;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each kind of answer a caller gives a parked call is checked against its result's shape. */
class InputResponseCheckTest {
    private static final InputRequest ROOTS = new InputRequest(InputRequest.ROOTS, Map.of());
    private static final InputRequest ELICIT = InputRequest.elicitation("name?", Map.of("type", "object"));
    private static final InputRequest SAMPLE = new InputRequest(InputRequest.SAMPLING, Map.of());

    private static String refusal(InputRequest asked, Object answer) {
        ModernError e = assertThrows(ModernError.class, () -> InputResponseCheck.typed("k-1", asked, answer, JSON));
        assertEquals(ModernError.INVALID_PARAMS, e.code);
        assertTrue(e.getMessage().contains("inputResponses['k-1'] answers " + asked.method()), e.getMessage());
        assertFalse(e.getMessage().contains("Exception") || e.getMessage().contains("McpSchema"), e.getMessage());
        return e.getMessage();
    }

    @Test
    void malformedAnswersAreRefusedSayingWhatIsWrong() {
        assertTrue(refusal(ROOTS, Map.of("roots", "nope")).contains("'roots' is missing or not an array"));
        assertTrue(refusal(ROOTS, Map.of("roots", List.of(Map.of("uri", "https://x"))))
                .contains("roots[0]"));
        assertTrue(refusal(ELICIT, Map.of("action", "maybe")).contains("'action' is \"maybe\""));
        assertTrue(refusal(ELICIT, Map.of("action", "accept", "content", List.of()))
                .contains("'content'"));
        assertTrue(refusal(ELICIT, null).contains("it is null"));
        assertTrue(refusal(ELICIT, Map.of("content", Map.of("name", "Ada"))).contains("'action' is missing"));
        assertTrue(refusal(SAMPLE, Map.of("content", Map.of("type", "text", "text", "hi"), "model", "m"))
                .contains("'role' is missing"));
        assertTrue(refusal(SAMPLE, Map.of("role", "assistant", "content", "hi", "model", "m"))
                .contains("'content'"));
        assertTrue(refusal(SAMPLE, Map.of("role", "assistant", "content", Map.of("type", "text", "text", "hi")))
                .contains("'model'"));
    }

    @Test
    void wellFormedAnswersAreTyped() throws Exception {
        McpSchema.ListRootsResult roots = (McpSchema.ListRootsResult) InputResponseCheck.typed(
                "k-1", ROOTS, Map.of("roots", List.of(Map.of("uri", "file:///w", "name", "w"))), JSON);
        assertEquals("file:///w", roots.roots().get(0).uri());
        McpSchema.ElicitResult elicit =
                (McpSchema.ElicitResult) InputResponseCheck.typed("k-1", ELICIT, Map.of("action", "decline"), JSON);
        assertEquals(McpSchema.ElicitResult.Action.DECLINE, elicit.action());
        McpSchema.CreateMessageResult sample = (McpSchema.CreateMessageResult) InputResponseCheck.typed(
                "k-1",
                SAMPLE,
                Map.of("role", "assistant", "content", Map.of("type", "text", "text", "hi"), "model", "m"),
                JSON);
        assertEquals("m", sample.model());
    }
}
