package dev.toolhost.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelcontextprotocol.spec.McpSchema;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TerminalRequestHandlerTest {
    private static final McpSchema.ElicitRequest APPROVAL = McpSchema.ElicitRequest.builder(
                    "Run `rm -rf build`?",
                    Map.of(
                            "type",
                            "object",
                            "required",
                            List.of("decision"),
                            "properties",
                            Map.of(
                                    "decision",
                                    Map.of(
                                            "type",
                                            "string",
                                            "enum",
                                            List.of("approved", "approved_for_session", "denied", "abort")))))
            .build();

    private final ByteArrayOutputStream shown = new ByteArrayOutputStream();

    private TerminalRequestHandler answering(String input) {
        return new TerminalRequestHandler(
                new BufferedReader(new StringReader(input)), new PrintStream(shown, true, StandardCharsets.UTF_8));
    }

    @Test
    void approvalDecisionIsChosenByNumber() {
        McpSchema.ElicitResult r = answering("2\n").elicit("builtin", APPROVAL);
        assertEquals(McpSchema.ElicitResult.Action.ACCEPT, r.action());
        assertEquals(Map.of("decision", "approved_for_session"), r.content());
        String prompt = shown.toString(StandardCharsets.UTF_8);
        assertTrue(prompt.contains("[builtin] Run `rm -rf build`?"), prompt);
        assertTrue(prompt.contains("4) abort"), prompt);
    }

    @Test
    void invalidChoiceIsAskedAgainAndNamesMayBeTyped() {
        McpSchema.ElicitResult r = answering("9\ndenied\n").elicit("builtin", APPROVAL);
        assertEquals(Map.of("decision", "denied"), r.content());
        assertTrue(shown.toString(StandardCharsets.UTF_8).contains("please answer with a number from 1 to 4"));
    }

    /** The fixture's SEP-1034 form: every field optional, each with a default. */
    private static final Map<String, Object> DEFAULTS = Map.of(
            "type",
            "object",
            "properties",
            Map.of(
                    "name",
                    Map.of("type", "string", "description", "User name", "default", "John Doe"),
                    "age",
                    Map.of("type", "integer", "description", "User age", "default", 30),
                    "verified",
                    Map.of("type", "boolean", "default", true),
                    "status",
                    Map.of("type", "string", "enum", List.of("active", "inactive", "pending"), "default", "active")),
            "required",
            List.of());

    private static final Map<String, Object> OPTIONAL = Map.of(
            "type",
            "object",
            "properties",
            ordered(
                    "level", Map.of("type", "integer"),
                    "nick", Map.of("type", "string"),
                    "status", Map.of("type", "string", "enum", List.of("active", "inactive", "pending"))),
            "required",
            List.of());

    /** Fields are asked in the order the schema lists them. */
    private static Map<String, Object> ordered(Object... pairs) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], pairs[i + 1]);
        }
        return m;
    }

    /** A form asking for one required field, {@code name}, of schema {@code field}. */
    private static McpSchema.ElicitRequest oneRequiredField(String name, Map<String, Object> field) {
        return form(Map.of("type", "object", "required", List.of(name), "properties", Map.of(name, field)));
    }

    private static McpSchema.ElicitRequest form(Map<String, Object> schema) {
        return McpSchema.ElicitRequest.builder("Please fill in", schema).build();
    }

    @Test
    void enterTakesEachDefaultWhichThePromptShows() {
        McpSchema.ElicitResult r = answering("\n\n\n\n").elicit("fixture", form(DEFAULTS));
        assertEquals(McpSchema.ElicitResult.Action.ACCEPT, r.action());
        assertEquals(Map.of("name", "John Doe", "age", 30, "verified", true, "status", "active"), r.content());
        String prompt = shown.toString(StandardCharsets.UTF_8);
        assertTrue(prompt.contains("User name [Enter for John Doe]: "), prompt);
        assertTrue(prompt.contains("User age [Enter for 30]: "), prompt);
        assertTrue(prompt.contains("[y/n, Enter for y]: "), prompt);
        assertTrue(prompt.contains("choose 1-3 (Enter for active): "), prompt);
    }

    @Test
    void enterSkipsAnOptionalFieldEnumsIncluded() {
        McpSchema.ElicitResult r = answering("\n\n\n").elicit("fixture", form(OPTIONAL));
        assertEquals(McpSchema.ElicitResult.Action.ACCEPT, r.action());
        assertEquals(Map.of(), r.content());
        String prompt = shown.toString(StandardCharsets.UTF_8);
        assertTrue(prompt.contains("choose 1-3 (Enter to skip): "), prompt);
        assertTrue(!prompt.contains("please answer"), prompt);
    }

    @Test
    void aTypedAnswerOutsideTheFieldsSchemaIsAskedAgainSayingWhy() {
        McpSchema.ElicitResult age = answering("10\n20\n")
                .elicit("fixture", oneRequiredField("age", Map.of("type", "integer", "minimum", 18)));
        assertEquals(Map.of("age", 20L), age.content());
        McpSchema.ElicitResult code = answering("abc\nABC\n")
                .elicit("fixture", oneRequiredField("code", Map.of("type", "string", "pattern", "^[A-Z]{3}$")));
        assertEquals(Map.of("code", "ABC"), code.content());
        String prompt = shown.toString(StandardCharsets.UTF_8);
        assertEquals(2, prompt.split("please answer again: ", -1).length - 1, prompt);
        assertTrue(prompt.contains("18"), prompt);
        assertTrue(prompt.contains("^[A-Z]{3}$"), prompt);
    }

    @Test
    void aRequiredChoiceIsAskedAgainOnEnterAndABadIntegerSaysAnInteger() {
        McpSchema.ElicitResult r = answering("\n3\n").elicit("builtin", APPROVAL);
        assertEquals(Map.of("decision", "denied"), r.content());
        assertTrue(shown.toString(StandardCharsets.UTF_8).contains("decision is required"));
        answering("x\n\n\n\n").elicit("fixture", form(OPTIONAL));
        assertTrue(shown.toString(StandardCharsets.UTF_8).contains("please enter an integer"));
    }

    @Test
    void controlCharactersInWhatIsShownAreEscapedSoNothingHidesWhatIsApproved() {
        McpSchema.ElicitRequest hiding = McpSchema.ElicitRequest.builder(
                        "Run this command? touch HIDDEN-EVIL\r\u001b[2Kls -la\nsecond line\u009b2K\u202e",
                        Map.of(
                                "type",
                                "object",
                                "properties",
                                Map.of(
                                        "decision",
                                        Map.of(
                                                "type",
                                                "string",
                                                "title",
                                                "Decision\u001b[8m",
                                                "enum",
                                                List.of("approved\r\u001b[2Kdenied", "denied")))))
                .build();
        answering("2\n").elicit("built\u0007in", hiding);
        String prompt = shown.toString(StandardCharsets.UTF_8);
        assertTrue(
                prompt.contains("[built\\x07in] Run this command? touch HIDDEN-EVIL\\r\\x1b[2Kls -la\n"
                        + "second line\\x9b2K\\u202e\n"),
                prompt);
        assertTrue(prompt.contains("Decision\\x1b[8m:"), prompt);
        assertTrue(prompt.contains("1) approved\\r\\x1b[2Kdenied"), prompt);
        assertTrue(prompt.chars().noneMatch(c -> c == '\r' || c == 0x1b || c == 0x9b || c == 7 || c == 0x202e), prompt);

        shown.reset();
        new TerminalRequestHandler(null, new PrintStream(shown, true, StandardCharsets.UTF_8)).elicit("fs", hiding);
        String declined = shown.toString(StandardCharsets.UTF_8);
        assertTrue(declined.contains("touch HIDDEN-EVIL\\r\\x1b[2Kls -la second line"), declined);
        assertTrue(declined.chars().noneMatch(c -> c == '\r' || c == 0x1b), declined);
    }

    @Test
    void endOfInputCancels() {
        assertEquals(
                McpSchema.ElicitResult.Action.CANCEL,
                answering("").elicit("builtin", APPROVAL).action());
    }

    @Test
    void withoutATerminalItDeclinesWithAReason() {
        TerminalRequestHandler handler =
                new TerminalRequestHandler(null, new PrintStream(shown, true, StandardCharsets.UTF_8));
        McpSchema.ElicitResult r = handler.elicit("fs", APPROVAL);
        assertEquals(McpSchema.ElicitResult.Action.DECLINE, r.action());
        assertTrue(
                String.valueOf(r.meta().get("reason")).contains("no one is at an interactive terminal"), r.toString());
        assertTrue(shown.toString(StandardCharsets.UTF_8).contains("MCP server 'fs' asked for input"));
    }

    @Test
    void samplingIsRefusedNamingTheServer() {
        UnsupportedOperationException e = assertThrows(
                UnsupportedOperationException.class, () -> answering("").sample("everything", null));
        assertTrue(e.getMessage().contains("'everything'"), e.getMessage());
    }
}
