package dev.toolhost.mcp.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonRpcMessagesTest {
    private final McpJsonMapper json = McpJsonDefaults.getMapper();

    private Object parse(String s) throws Exception {
        return json.readValue(s, Map.class);
    }

    /** The hand-built record must equal what the SDK's own conversion makes of the same JSON. */
    private void sameAsTheSdk(String result) throws Exception {
        McpSchema.CallToolResult sdk = json.convertValue(parse(result), new TypeRef<McpSchema.CallToolResult>() {
        });
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
        assertNull(JsonRpcMessages.callToolResult(parse("{\"content\":[{\"type\":\"image\",\"data\":\"AA==\","
                + "\"mimeType\":\"image/png\"}]}")));
        assertNull(JsonRpcMessages.callToolResult(parse("{\"content\":[{\"type\":\"text\",\"text\":\"a\","
                + "\"annotations\":{\"priority\":1}}]}")));
        assertNull(JsonRpcMessages.callToolResult(parse("{\"content\":[],\"isError\":\"yes\"}")));
        assertNull(JsonRpcMessages.callToolResult(parse("{\"content\":[],\"extra\":1}")));
        assertNull(JsonRpcMessages.callToolResult(parse("{\"isError\":false}")));
        assertNull(JsonRpcMessages.callToolResult("text"));
    }
}
