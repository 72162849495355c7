package dev.toolhost.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelcontextprotocol.spec.McpSchema;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
                true,
                Map.of("name", "Ada", "unknown", 1),
                Path.of("answers.json"),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        McpSchema.ElicitResult r = ask(answers, SCHEMA);
        assertEquals(McpSchema.ElicitResult.Action.ACCEPT, r.action());
        assertEquals(Map.of("name", "Ada", "age", 30, "status", "active", "verified", true), r.content());
    }

    @Test
    void aRequiredFieldWithoutAValueDeclinesNamingIt() {
        HeadlessAnswers answers =
                new HeadlessAnswers(false, Map.of(), null, new PrintStream(err, true, StandardCharsets.UTF_8));
        McpSchema.ElicitResult r = ask(answers, SCHEMA);
        assertEquals(McpSchema.ElicitResult.Action.DECLINE, r.action());
        assertTrue(
                String.valueOf(r.meta().get("reason")).contains("no value for name"),
                r.meta().toString());
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("declined"));
        assertThrows(UnsupportedOperationException.class, () -> answers.sample("s", null));
    }

    @Test
    void theDeclinedQuestionIsShownWithItsControlCharactersEscaped() {
        HeadlessAnswers answers =
                new HeadlessAnswers(false, Map.of(), null, new PrintStream(err, true, StandardCharsets.UTF_8));
        answers.elicit(
                "builtin", new McpSchema.ElicitFormRequest("Run this command? touch EVIL\r\u001b[2Kls", SCHEMA, null));
        String shown = err.toString(StandardCharsets.UTF_8);
        assertTrue(shown.contains("Run this command? touch EVIL\\r\\x1b[2Kls"), shown);
        assertTrue(shown.chars().noneMatch(c -> c == '\r' || c == 0x1b), shown);
    }

    @Test
    void theSameQuestionAskedAgainAfterItsDeclineFailsOnceNamingTheFieldAndHowToGiveIt() {
        HeadlessAnswers answers =
                new HeadlessAnswers(true, Map.of(), null, new PrintStream(err, true, StandardCharsets.UTF_8));
        Map<String, Object> nameOnly = Map.of(
                "type", "object", "properties", Map.of("name", Map.of("type", "string")), "required", List.of("name"));
        assertEquals(
                McpSchema.ElicitResult.Action.DECLINE, ask(answers, nameOnly).action());
        UserError again = assertThrows(UserError.class, () -> ask(answers, nameOnly));
        assertEquals(Cli.FAILED, again.exitCode());
        assertTrue(again.getMessage().contains("asked again"), again.getMessage());
        assertTrue(again.getMessage().contains("value for name"), again.getMessage());
        assertTrue(again.getMessage().contains("--answers FILE"), again.getMessage());
        assertEquals(again, answers.failure());
        String printed = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, printed.split("declined", -1).length - 1, printed);
    }

    @Test
    void aDifferentQuestionIsDeclinedOnItsOwn() {
        HeadlessAnswers answers =
                new HeadlessAnswers(false, Map.of(), null, new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(McpSchema.ElicitResult.Action.DECLINE, ask(answers, SCHEMA).action());
        McpSchema.ElicitResult other =
                answers.elicit("mcp__s__t", new McpSchema.ElicitFormRequest("Something else", SCHEMA, null));
        assertEquals(McpSchema.ElicitResult.Action.DECLINE, other.action());
        assertEquals(null, answers.failure());
    }

    @Test
    void answersThatDoNotFitTheRequestedSchemaAreAUsageErrorNamingTheFileAndEachField() {
        HeadlessAnswers answers = new HeadlessAnswers(
                true,
                Map.of("name", "Ada", "age", "old", "status", "weird", "verified", "yes"),
                Path.of("answers.json"),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        UserError e = assertThrows(UserError.class, () -> ask(answers, SCHEMA));
        assertEquals(Cli.USAGE, e.exitCode());
        String m = e.getMessage();
        assertTrue(m.startsWith("--answers answers.json: "), m);
        assertTrue(m.contains("age: expected an integer, got a string (\"old\")"), m);
        assertTrue(m.contains("status: must be one of [active, inactive], got \"weird\""), m);
        assertTrue(m.contains("verified: expected a boolean, got a string (\"yes\")"), m);
        assertEquals(e, answers.failure());
    }

    @Test
    void anAnswerOutsideTheFieldsBoundsIsAUsageErrorNamingTheField() {
        Map<String, Object> bounded = Map.of(
                "type",
                "object",
                "properties",
                Map.of(
                        "age", Map.of("type", "integer", "minimum", 0, "maximum", 150),
                        "code", Map.of("type", "string", "pattern", "^[A-Z]{3}$")));
        HeadlessAnswers answers = new HeadlessAnswers(
                false,
                Map.of("age", 200, "code", "abc"),
                Path.of("answers.json"),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        UserError e = assertThrows(UserError.class, () -> ask(answers, bounded));
        assertEquals(Cli.USAGE, e.exitCode());
        String m = e.getMessage();
        assertTrue(m.startsWith("--answers answers.json: "), m);
        assertTrue(m.contains("\n  age: must have a maximum value of 150"), m);
        assertTrue(m.contains("\n  code: does not match the regex pattern ^[A-Z]{3}$"), m);

        HeadlessAnswers fitting = new HeadlessAnswers(
                false,
                Map.of("age", 150, "code", "ABC"),
                Path.of("answers.json"),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(McpSchema.ElicitResult.Action.ACCEPT, ask(fitting, bounded).action());
    }

    @Test
    void withNothingToAnswerFromEvenAFormWithoutRequiredFieldsIsDeclined() {
        HeadlessAnswers answers =
                new HeadlessAnswers(false, Map.of(), null, new PrintStream(err, true, StandardCharsets.UTF_8));
        Map<String, Object> optional = Map.of("type", "object", "properties", Map.of("note", Map.of("type", "string")));
        McpSchema.ElicitResult r = ask(answers, optional);
        assertEquals(McpSchema.ElicitResult.Action.DECLINE, r.action());
        assertTrue(
                String.valueOf(r.meta().get("reason"))
                        .contains("no one is at an interactive terminal to answer: no value for note"),
                r.meta().toString());
        UserError again = assertThrows(UserError.class, () -> ask(answers, optional));
        assertTrue(again.getMessage().contains("--answers FILE, e.g. {\"note\": ...}"), again.getMessage());
    }
}
