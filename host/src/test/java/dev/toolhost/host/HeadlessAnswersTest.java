package dev.toolhost.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelcontextprotocol.spec.McpSchema;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeadlessAnswersTest {
    private static final Map<String, Object> SCHEMA = Map.of(
            "type",
            "object",
            "properties",
            Map.of(
                    "name", Map.of("type", "string", "default", "John Doe"),
                    "age", Map.of("type", "integer", "default", 30),
                    "status", Map.of("type", "string", "enum", List.of("active", "inactive"), "default", "active"),
                    "verified", Map.of("type", "boolean", "default", true),
                    "note", Map.of("type", "string")),
            "required",
            List.of("name"));

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private McpSchema.ElicitResult ask(HeadlessAnswers answers, Map<String, Object> schema) {
        return answers.elicit("mcp__s__t", new McpSchema.ElicitFormRequest("Fill this in", schema, null));
    }

    @Test
    void defaultsAreAcceptedAndAnswersWin() {
        HeadlessAnswers answers = new HeadlessAnswers(
                true, Map.of("name", "Ada", "unknown", 1), new PrintStream(err, true, StandardCharsets.UTF_8));
        McpSchema.ElicitResult r = ask(answers, SCHEMA);
        assertEquals(McpSchema.ElicitResult.Action.ACCEPT, r.action());
        assertEquals(Map.of("name", "Ada", "age", 30, "status", "active", "verified", true), r.content());
    }

    @Test
    void aRequiredFieldWithoutAValueDeclinesNamingIt() {
        HeadlessAnswers answers =
                new HeadlessAnswers(false, Map.of(), new PrintStream(err, true, StandardCharsets.UTF_8));
        McpSchema.ElicitResult r = ask(answers, SCHEMA);
        assertEquals(McpSchema.ElicitResult.Action.DECLINE, r.action());
        assertTrue(
                String.valueOf(r.meta().get("reason")).contains("no value for name"),
                r.meta().toString());
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("declined"));
        assertThrows(UnsupportedOperationException.class, () -> answers.sample("s", null));
    }
}
