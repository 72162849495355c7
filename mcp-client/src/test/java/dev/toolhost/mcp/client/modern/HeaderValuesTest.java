package dev.toolhost.mcp.client.modern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeaderValuesTest {

    private static String b64(String s) {
        return "=?base64?" + Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8)) + "?=";
    }

    @Test
    void plainAsciiStaysAsItIsAndAnythingElseIsBase64() {
        assertEquals("us-west1", HeaderValues.encode("us-west1"));
        assertEquals("us west 1", HeaderValues.encode("us west 1"));
        for (String unsafe : List.of(
                "Hello, 世界", " padded ", " lead", "trail ", "line1\nline2", "a\r\nb", "\tx", "", "=?base64?abc?=")) {
            assertEquals(b64(unsafe), HeaderValues.encode(unsafe), unsafe);
        }
    }

    @Test
    void annotationsMapHeadersToPropertyPaths() {
        Map<String, Object> schema = Map.of(
                "type",
                "object",
                "properties",
                Map.of(
                        "region", Map.of("type", "string", "x-mcp-header", "Region"),
                        "opts",
                                Map.of(
                                        "type",
                                        "object",
                                        "properties",
                                        Map.of("priority", Map.of("type", "integer", "x-mcp-header", "Priority"))),
                        "query", Map.of("type", "string")));
        Map<String, List<String>> headers = HeaderValues.annotations(schema);
        assertEquals(Map.of("Region", List.of("region"), "Priority", List.of("opts", "priority")), headers);

        Map<String, Object> args = new HashMap<>();
        args.put("region", "eu");
        args.put("opts", Map.of("priority", 42.0));
        args.put("query", "SELECT 1");
        assertEquals(Map.of("Mcp-Param-Region", "eu", "Mcp-Param-Priority", "42"), HeaderValues.params(headers, args));
    }

    @Test
    void valuesAreEncodedByTypeAndNullsGetNoHeader() {
        Map<String, List<String>> headers =
                Map.of("Verbose", List.of("verbose"), "Debug", List.of("debug"), "Name", List.of("name"));
        Map<String, Object> args = new HashMap<>();
        args.put("verbose", null);
        args.put("debug", false);
        args.put("name", " x");
        assertEquals(
                Map.of("Mcp-Param-Debug", "false", "Mcp-Param-Name", b64(" x")), HeaderValues.params(headers, args));
    }

    @Test
    void invalidAnnotationsAreRefusedWithTheReason() {
        Map<String, Object> bad = Map.of(
                "empty", prop("string", ""),
                "space", prop("string", "My Region"),
                "colon", prop("string", "Region:Primary"),
                "nonAscii", prop("string", "Région"),
                "control", prop("string", "Region\t1"),
                "number", prop("number", "Score"),
                "object", prop("object", "Data"),
                "array", prop("array", "Items"),
                "nil", prop("null", "Nil"));
        bad.forEach((name, property) -> {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> HeaderValues.annotations(Map.of("properties", Map.of("p", property))),
                    name);
            assertTrue(e.getMessage().contains("property 'p'"), e.getMessage());
        });
        IllegalArgumentException dup = assertThrows(
                IllegalArgumentException.class,
                () -> HeaderValues.annotations(
                        Map.of("properties", Map.of("a", prop("string", "MyField"), "b", prop("string", "myfield")))));
        assertTrue(dup.getMessage().contains("declared twice"), dup.getMessage());
    }

    private static Map<String, Object> prop(String type, String header) {
        return Map.of("type", type, "x-mcp-header", header);
    }
}
