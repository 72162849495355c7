package dev.toolhost.mcp.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.TypeRef;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ArgumentValidatorTest {
    private static final String SCHEMA = """
            {"type":"object","required":["path","edits"],"properties":{
              "path":{"type":"string"},
              "mode":{"type":"string","enum":["fast","safe"]},
              "count":{"type":"integer"},
              "ratio":{"type":["number","null"]},
              "edits":{"type":"array","items":{"type":"object","required":["oldText"],
                "properties":{"oldText":{"type":"string"},"dryRun":{"type":"boolean"}}}}
            }}""";

    private static Map<String, Object> json(String s) throws IOException {
        return McpJsonDefaults.getMapper().readValue(s, new TypeRef<Map<String, Object>>() {});
    }

    private static List<String> check(String args) throws IOException {
        return ArgumentValidator.validate(json(SCHEMA), json(args));
    }

    @Test
    void validArgumentsPass() throws IOException {
        assertEquals(List.of(), check("""
                {"path":"a","mode":"safe","count":3,"ratio":null,"edits":[{"oldText":"x","dryRun":true}],"extra":1}"""));
    }

    @Test
    void missingRequiredFieldIsNamed() throws IOException {
        assertEquals(List.of("edits: required field is missing"), check("{\"path\":\"a\"}"));
    }

    @Test
    void wrongTypeNamesFieldExpectedAndActual() throws IOException {
        assertEquals(List.of("path: expected a string, got a number (3)"), check("{\"path\":3,\"edits\":[]}"));
    }

    @Test
    void enumViolationListsTheChoices() throws IOException {
        assertEquals(
                List.of("mode: must be one of [fast, safe], got \"slow\""),
                check("{\"path\":\"a\",\"edits\":[],\"mode\":\"slow\"}"));
    }

    @Test
    void integerRejectsFractionsButAcceptsWholeNumbers() throws IOException {
        assertEquals(
                List.of("count: expected an integer, got a number (1.5)"),
                check("{\"path\":\"a\",\"edits\":[],\"count\":1.5}"));
        assertEquals(List.of(), check("{\"path\":\"a\",\"edits\":[],\"count\":2.0}"));
    }

    @Test
    void arrayItemsAreCheckedWithTheirIndex() throws IOException {
        List<String> problems = check("{\"path\":\"a\",\"edits\":[{\"oldText\":\"x\"},{\"dryRun\":\"yes\"}]}");
        assertEquals(
                List.of(
                        "edits[1].oldText: required field is missing",
                        "edits[1].dryRun: expected a boolean, got a string (\"yes\")"),
                problems);
    }

    @Test
    void typeUnionAcceptsAnyListedType() throws IOException {
        List<String> problems = check("{\"path\":\"a\",\"edits\":[],\"ratio\":\"high\"}");
        assertEquals(1, problems.size());
        assertTrue(problems.get(0).startsWith("ratio: expected one of [number, null]"), problems.get(0));
    }

    @Test
    void closedObjectsRejectUnknownFields() throws IOException {
        Map<String, Object> schema =
                json("{\"type\":\"object\",\"properties\":{\"a\":{}},\"additionalProperties\":false}");
        assertEquals(List.of("b: unknown field (allowed: [a])"), ArgumentValidator.validate(schema, json("{\"b\":1}")));
        Map<String, Object> anyValue =
                json("{\"type\":\"object\",\"properties\":{\"a\":true},\"additionalProperties\":false}");
        assertEquals(
                List.of(),
                ArgumentValidator.validate(anyValue, json("{\"a\":[1]}")),
                "a boolean subschema allows anything");
    }

    @Test
    void toolArgumentsTreatANullOptionalArgumentAsNotGiven() throws IOException {
        Map<String, Object> args = new HashMap<>(json("{\"edits\":[]}"));
        args.put("mode", null);
        args.put("path", null);
        assertEquals(
                List.of("path: expected a string, got null"), ArgumentValidator.validateArguments(json(SCHEMA), args));
        assertEquals(List.of(), ArgumentValidator.validateArguments(null, args), "a tool without a schema");
    }

    @Test
    void theMessageNamesTheToolAndEachProblem() {
        assertEquals(
                "invalid arguments for exec_command:\n  cwd: unknown field (allowed: [cmd])\n  tty: expected a boolean",
                ArgumentValidator.describe(
                        "exec_command", List.of("cwd: unknown field (allowed: [cmd])", "tty: expected a boolean")));
    }
}
