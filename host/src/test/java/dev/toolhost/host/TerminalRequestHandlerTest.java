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
