package dev.toolhost.host.agent;

import io.modelcontextprotocol.spec.McpSchema;
import java.util.ArrayList;
import java.util.List;

/** Turns an MCP tool result into the text a model reads as the function call's output. */
final class ResultText {
    private ResultText() {}

    static String text(McpSchema.CallToolResult result) {
        List<String> parts = new ArrayList<>();
        if (result.content() != null) {
            for (McpSchema.Content c : result.content()) {
                if (c instanceof McpSchema.TextContent t) {
                    parts.add(t.text());
                } else if (c instanceof McpSchema.ImageContent i) {
                    parts.add("[image " + i.mimeType() + "]");
                } else if (c instanceof McpSchema.AudioContent a) {
                    parts.add("[audio " + a.mimeType() + "]");
                } else if (c instanceof McpSchema.EmbeddedResource r) {
                    parts.add(
                            r.resource() instanceof McpSchema.TextResourceContents trc
                                    ? trc.text()
                                    : "[resource " + r.resource().uri() + "]");
                } else if (c instanceof McpSchema.ResourceLink l) {
                    parts.add("[resource link " + l.uri() + "]");
                }
            }
        }
        if (parts.isEmpty() && result.structuredContent() != null) {
            parts.add(AgentJson.write(result.structuredContent()));
        }
        return String.join("\n", parts);
    }
}
