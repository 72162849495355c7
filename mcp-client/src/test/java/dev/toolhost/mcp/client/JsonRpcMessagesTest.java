package dev.toolhost.mcp.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonRpcMessagesTest {
    private final McpJsonMapper json = McpJsonDefaults.getMapper();

    private Object parse(String s) throws Exception {
        return json.readValue(s, Map.class);
    }

    /** The hand-built record must equal what the SDK's own conversion makes of the same JSON. */
    private void sameAsTheSdk(String result) throws Exception {
        McpSchema.CallToolResult sdk = json.convertValue(parse(result), new TypeRef<McpSchema.CallToolResult>() {});
        assertEquals(sdk, JsonRpcMessages.callToolResult(parse(result)));
    }

    @Test
    void textResultsAreBuiltAsTheSdkWouldBuildThem() throws Exception {
        sameAsTheSdk("{\"content\":[{\"type\":\"text\",\"text\":\"Echo: hi\"}]}");
        sameAsTheSdk("{\"content\":[{\"type\":\"text\",\"text\":\"a\",\"_meta\":{\"k\":1}},"
                + "{\"type\":\"text\",\"text\":\"b\"}],\"isError\":true,\"_meta\":{\"m\":\"v\"}}");
        sameAsTheSdk("{\"content\":[],\"structuredContent\":{\"temperature\":21.5,\"tags\":[\"x\"]}}");
    }

    @Test
    void otherShapesAreLeftToTheSdk() throws Exception {
        assertNull(JsonRpcMessages.callToolResult(
                parse("{\"content\":[{\"type\":\"image\",\"data\":\"AA==\"," + "\"mimeType\":\"image/png\"}]}")));
        assertNull(JsonRpcMessages.callToolResult(
                parse("{\"content\":[{\"type\":\"text\",\"text\":\"a\"," + "\"annotations\":{\"priority\":1}}]}")));
        assertNull(JsonRpcMessages.callToolResult(parse("{\"content\":[],\"isError\":\"yes\"}")));
        assertNull(JsonRpcMessages.callToolResult(parse("{\"content\":[],\"extra\":1}")));
        assertNull(JsonRpcMessages.callToolResult(parse("{\"isError\":false}")));
        assertNull(JsonRpcMessages.callToolResult("text"));
    }

    @Test
    void theOutlineOfABrokenLineFindsItsIdWhereverItIs() {
        String huge = "x".repeat(30_000_000); // over Jackson's default string limit
        assertEquals(
                new JsonRpcMessages.Outline("call-1", false),
                outline("{\"result\":{\"text\":\"" + huge + "\"},\"jsonrpc\":\"2.0\",\"id\":\"call-1\"}"));
        assertEquals(
                new JsonRpcMessages.Outline(5, false), outline("{\"jsonrpc\":\"2.0\",\"id\":5,\"result\":{\"a\":tru"));
        assertEquals(new JsonRpcMessages.Outline("r", true), outline("{\"method\":\"x\",\"id\":\"r\",\"params\":["));
        assertEquals(new JsonRpcMessages.Outline(null, false), outline("{\"result\":{\"a\":tru},\"id\":5}"));
        assertEquals(new JsonRpcMessages.Outline(null, false), outline("Server listening on port 3000"));
    }

    @Test
    void theReaderTakesValidMessagesBeyondJacksonsDefaultLimits() throws Exception {
        String deep = "[".repeat(2_000) + "]".repeat(2_000);
        String line = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"text\":\"" + "x".repeat(25_000_000) + "\",\"deep\":"
                + deep + "}}";
        Map<?, ?> m = JsonRpcMessages.readerFor(64 << 20).readValue(line.getBytes(StandardCharsets.UTF_8), Map.class);
        assertEquals(1, m.get("id"));
    }

    private static JsonRpcMessages.Outline outline(String line) {
        return JsonRpcMessages.outline(new ByteArrayInputStream(line.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aBatchIsEveryMessageInIt() throws Exception {
        List<McpSchema.JSONRPCMessage> batch = JsonRpcMessages.fromJson(json.readValue(
                "[{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}},{\"jsonrpc\":\"2.0\",\"method\":\"n\"}]", Object.class));
        assertEquals(2, batch.size());
        assertEquals(1, ((McpSchema.JSONRPCResponse) batch.get(0)).id());
        assertEquals("n", ((McpSchema.JSONRPCNotification) batch.get(1)).method());
    }
}
