package dev.toolhost.mcp.server;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.util.List;

/**
 * Structured tool output is passed on without validating it against the tool's output schema a
 * second time: the built-in tools are ours, and results from external servers were produced by
 * those servers for their own schema (and are checked by whoever consumes them). The SDK's
 * validator (a JSON-schema run per call) was the largest single cost of a cheap tool call.
 *
 * <p>What the SDK still did after validating, adding the structured content as text when a result
 * has no content (MCP's backwards-compatibility rule), is done here by {@link #withTextFallback}.
 */
public final class TrustedToolOutput {
    static final JsonSchemaValidator VALIDATOR =
            (schema, structuredContent) -> JsonSchemaValidator.ValidationResponse.asValid(null);

    private TrustedToolOutput() {}

    /** The result with its structured content copied into a text block when it has no content. */
    public static McpSchema.CallToolResult withTextFallback(McpSchema.CallToolResult result, McpJsonMapper json) {
        if (result == null
                || result.structuredContent() == null
                || (result.content() != null && !result.content().isEmpty())) {
            return result;
        }
        String text;
        try {
            text = json.writeValueAsString(result.structuredContent());
        } catch (IOException e) {
            text = String.valueOf(result.structuredContent());
        }
        return McpSchema.CallToolResult.builder()
                .content(List.of(new McpSchema.TextContent(text)))
                .isError(result.isError())
                .structuredContent(result.structuredContent())
                .meta(result.meta())
                .build();
    }
}
