package dev.toolhost.mcp.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PeerItemsTest {
    private final McpJsonMapper json = McpJsonDefaults.getMapper();
    private final List<String> warnings = new ArrayList<>();
    private final PeerItems items = new PeerItems(
            "peer",
            warnings::add,
            (item, type) -> json.convertValue(item, new TypeRef<Object>() {
                @Override
                public Type getType() {
                    return type;
                }
            }));

    private <T> T repaired(String listJson, Class<T> type) throws Exception {
        Object raw = json.readValue(listJson, Map.class);
        return json.convertValue(items.repair(raw, type), type);
    }

    @Test
    void repairableToolsAreRepairedAndTheRestLeftOutNamingServerAndTool() throws Exception {
        McpSchema.ListToolsResult r = repaired("""
                {"tools": [
                  {"name": "good", "inputSchema": {"type": "object", "properties": {"a": {"type": "string"}}}},
                  {"name": "no_schema"},
                  {"name": "untyped", "inputSchema": {"properties": {}}},
                  {"name": "string_schema", "inputSchema": {"type": "string"}},
                  {"name": "bad_required", "inputSchema": {"type": "object", "required": "a"}},
                  {"name": "bad_output", "inputSchema": {"type": "object"}, "outputSchema": {"type": "array"}},
                  {"name": "bad_title", "title": {"x": 1}, "inputSchema": {"type": "object"}},
                  {"description": "nameless"}
                ], "nextCursor": "c2"}""", McpSchema.ListToolsResult.class);

        assertEquals(
                List.of("good", "no_schema", "untyped", "bad_output"),
                r.tools().stream().map(McpSchema.Tool::name).toList());
        assertEquals("c2", r.nextCursor());
        assertEquals(Map.of("type", "object"), r.tools().get(1).inputSchema());
        assertEquals(
                Map.of("type", "object", "properties", Map.of()),
                r.tools().get(2).inputSchema());
        assertEquals(null, r.tools().get(3).outputSchema());
        assertEquals(5, warnings.size(), warnings.toString());
        assertEquals(
                "warning: MCP server 'peer': tool 'string_schema': its inputSchema has type \"string\" (MCP"
                        + " requires \"object\"); left out (it is not valid MCP)",
                warnings.get(0));
        assertEquals(
                "warning: MCP server 'peer': tool 'bad_required': its inputSchema has \"required\" that is not"
                        + " an array of strings; left out (it is not valid MCP)",
                warnings.get(1));
        assertEquals(
                "warning: MCP server 'peer': tool 'bad_output': its outputSchema has type \"array\" (MCP"
                        + " requires \"object\"); served without an outputSchema",
                warnings.get(2));
        assertEquals(
                "warning: MCP server 'peer': tool 'bad_title': Cannot deserialize value of type `java.lang.String`"
                        + " from Object value (token `JsonToken.START_OBJECT`); left out (it is not valid MCP)",
                warnings.get(3));
        assertEquals(
                "warning: MCP server 'peer': a tool without a name; left out (it is not valid MCP)", warnings.get(4));
    }

    @Test
    void promptsAndResourcesWithoutTheirRequiredFieldsAreLeftOut() throws Exception {
        assertEquals(
                List.of("p"),
                repaired(
                                "{\"prompts\": [{\"name\": \"p\"}, {\"description\": \"d\"}]}",
                                McpSchema.ListPromptsResult.class)
                        .prompts()
                        .stream()
                        .map(McpSchema.Prompt::name)
                        .toList());
        assertEquals(
                List.of("file:///a"),
                repaired(
                                "{\"resources\": [{\"uri\": \"file:///a\", \"name\": \"a\"}," + " {\"name\": \"b\"}]}",
                                McpSchema.ListResourcesResult.class)
                        .resources()
                        .stream()
                        .map(McpSchema.Resource::uri)
                        .toList());
        assertEquals(
                List.of(
                        "warning: MCP server 'peer': a prompt without a name; left out (it is not valid MCP)",
                        "warning: MCP server 'peer': a resource without a uri; left out (it is not valid MCP)"),
                warnings);
    }

    @Test
    void otherResultsPassUntouched() {
        Object result = Map.of("tools", "not a list");
        assertEquals(result, items.repair(result, McpSchema.ListToolsResult.class));
        Object call = Map.of("content", List.of());
        assertEquals(call, items.repair(call, McpSchema.CallToolResult.class));
    }
}
