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

    private static List<String> check(String schema, String value) throws IOException {
        return ArgumentValidator.validate(
                json(schema), McpJsonDefaults.getMapper().readValue(value, Object.class));
    }

    @Test
    void aWrongTypeIsTheOneProblemOfItsValue() throws IOException {
        assertEquals(
                List.of("mode: expected a string, got a number (5)"),
                check("{\"path\":\"a\",\"edits\":[],\"mode\":5}"));
    }

    @Test
    void otherKeywordsGiveTheLibrarysMessageAfterTheFieldPath() throws IOException {
        String schema = """
                {"type":"object","properties":{
                  "n":{"type":"integer","minimum":1,"maximum":5},
                  "s":{"type":"string","minLength":3,"pattern":"^a"},
                  "e":{"anyOf":[{"type":"string"},{"type":"integer"}]}}}""";
        assertEquals(
                List.of(
                        "n: must have a maximum value of 5",
                        "s: must be at least 3 characters long",
                        "s: does not match the regex pattern ^a",
                        "e: expected a string, got a boolean",
                        "e: expected an integer, got a boolean"),
                check(schema, "{\"n\":7,\"s\":\"b\",\"e\":true}"));
        assertEquals(List.of("arguments: must have a minimum value of 1"), check("{\"minimum\":1}", "0"));
    }

    @Test
    void internalReferencesAndAnchorsResolve() throws IOException {
        String schema = """
                {"$id":"https://example.com/tool","type":"object",
                 "$defs":{"point":{"type":"object","properties":{"x":{"type":"number"}},"additionalProperties":false},
                          "name":{"$anchor":"name","type":"string"}},
                 "properties":{"at":{"$ref":"#/$defs/point"},"label":{"$ref":"#name"},
                   "inner":{"$id":"https://example.com/inner","type":"object","properties":{"q":{}},
                            "additionalProperties":false}}}""";
        assertEquals(
                List.of(
                        "at.x: expected a number, got a string (\"1\")",
                        "at.y: unknown field (allowed: [x])",
                        "label: expected a string, got a number (3)",
                        "inner.z: unknown field (allowed: [q])"),
                check(schema, "{\"at\":{\"x\":\"1\",\"y\":2},\"label\":3,\"inner\":{\"z\":1}}"));
    }

    @Test
    void aSchemaReferringOutsideItselfIsNeverFetchedAndChecksNothing() throws IOException {
        for (String ref : List.of(
                "https://example.com/remote.json",
                "http://127.0.0.1:1/schema.json",
                "file:///etc/passwd",
                "classpath:/jsv-messages.properties",
                "https://json-schema.org/draft/2020-12/schema",
                "other.json#/$defs/x")) {
            String schema = "{\"type\":\"object\",\"properties\":{\"a\":{\"$ref\":\"" + ref
                    + "\"},\"b\":{\"type\":\"string\"}}}";
            assertEquals(List.of(), check(schema, "{\"a\":1,\"b\":2}"), ref);
            assertEquals(List.of(), check(schema, "{\"a\":1,\"b\":2}"), ref + ", again (cached)");
        }
    }

    @Test
    void anInvalidOrUnusableSchemaChecksNothing() throws IOException {
        for (String schema : List.of(
                "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":5},\"b\":{\"type\":\"string\"}}}",
                "{\"type\":\"object\",\"required\":\"a\",\"properties\":{\"b\":{\"type\":\"string\"}}}",
                "{\"type\":\"object\",\"properties\":{\"b\":{\"type\":\"string\",\"pattern\":\"(\"}}}",
                "{\"$schema\":5,\"type\":\"object\",\"properties\":{\"b\":{\"type\":\"string\"}}}",
                "{\"$defs\":{\"a\":{\"$ref\":\"#/$defs/b\"},\"b\":{\"$ref\":\"#/$defs/a\"}},\"$ref\":\"#/$defs/a\","
                        + "\"properties\":{\"b\":{\"type\":\"string\"}}}")) {
            assertEquals(List.of(), check(schema, "{\"b\":2}"), schema);
        }
    }

    @Test
    void theDialectIsTheKnownDraftSchemaNamesElse2020_12() throws IOException {
        String tuple = "\"type\":\"array\",\"items\":[{\"type\":\"string\"}]";
        assertEquals(
                List.of("arguments[0]: expected a string, got a number (1)"),
                check("{\"$schema\":\"http://json-schema.org/draft-07/schema#\"," + tuple + "}", "[1]"));
        assertEquals(List.of(), check("{" + tuple + "}", "[1]"), "2020-12: items is one schema, so this is invalid");
        String prefix = "\"type\":\"array\",\"prefixItems\":[{\"type\":\"string\"}]";
        assertEquals(
                List.of("arguments[0]: expected a string, got a number (1)"),
                check("{\"$schema\":\"https://example.com/my-dialect\"," + prefix + "}", "[1]"));
        assertEquals(
                List.of("arguments: must have a maximum value of 5"),
                check(
                        "{\"$schema\":\"http://json-schema.org/draft-04/schema#\",\"maximum\":5,"
                                + "\"exclusiveMaximum\":true}",
                        "5"));
    }

    @Test
    void formatIsAnAnnotationOnly() throws IOException {
        assertEquals(List.of(), check("{\"type\":\"string\",\"format\":\"email\"}", "\"nope\""));
        assertEquals(
                List.of(),
                check(
                        "{\"$schema\":\"http://json-schema.org/draft-07/schema#\",\"format\":\"date-time\"}",
                        "\"nope\""));
    }

    @Test
    void aSchemaMapChangedAfterUseIsCheckedAsItIsNow() throws IOException {
        Map<String, Object> schema = new HashMap<>(json("{\"type\":\"integer\"}"));
        assertEquals(List.of(), ArgumentValidator.validate(schema, 9));
        schema.put("maximum", 5);
        assertEquals(List.of("arguments: must have a maximum value of 5"), ArgumentValidator.validate(schema, 9));
    }

    @Test
    void theMessageNamesTheToolAndEachProblem() {
        assertEquals(
                "invalid arguments for exec_command:\n  cwd: unknown field (allowed: [cmd])\n  tty: expected a boolean",
                ArgumentValidator.describe(
                        "exec_command", List.of("cwd: unknown field (allowed: [cmd])", "tty: expected a boolean")));
    }
}
