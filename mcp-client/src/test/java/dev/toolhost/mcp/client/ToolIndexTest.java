package dev.toolhost.mcp.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelcontextprotocol.spec.McpSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ToolIndexTest {

    private static McpSchema.Tool tool(String name) {
        return McpSchema.Tool.builder()
                .name(name)
                .description(name + " tool")
                .inputSchema(new McpSchema.JsonSchema("object", null, null, null, null, null))
                .build();
    }

    private static ToolIndex.Source source(String server, boolean local, String... tools) {
        return new ToolIndex.Source(
                server, local, List.of(tools).stream().map(ToolIndexTest::tool).toList(), List.of(), t -> true);
    }

    @Test
    void localToolsKeepPlainNamesAndExternalOnesAreQualified() {
        ToolIndex index =
                ToolIndex.build(List.of(source("builtin", true, "exec_command"), source("fs", false, "read")), w -> {});
        assertEquals(
                List.of("exec_command", "mcp__fs__read"),
                index.tools().stream().map(ToolHub.HubTool::qualifiedName).toList());
        ToolHub.HubTool read = index.toolsByName().get("mcp__fs__read");
        assertEquals("fs", read.server());
        assertEquals("read", read.originalName());
        assertEquals("mcp__fs__read", read.tool().name());
        assertEquals("read tool", read.tool().description());
    }

    @Test
    void collisionsResolveTheSameWayWhateverTheInputOrder() {
        ToolIndex.Source dotted = source("a.b", false, "t");
        ToolIndex.Source underscored = source("a_b", false, "t");
        // The hub passes servers sorted by name; "a.b" sorts first and keeps the plain name.
        ToolIndex index = ToolIndex.build(List.of(dotted, underscored), w -> {});
        assertEquals("a.b", index.toolsByName().get("mcp__a_b__t").server());
        ToolHub.HubTool other = index.tools().stream()
                .filter(t -> t.server().equals("a_b"))
                .findFirst()
                .orElseThrow();
        assertTrue(other.qualifiedName().matches("mcp__a_b__t_[0-9a-f]{12}"), other.qualifiedName());
        ToolIndex again = ToolIndex.build(List.of(dotted, underscored), w -> {});
        assertEquals(index.tools(), again.tools());
    }

    @Test
    void duplicateToolFromOneServerIsSkippedWithAWarning() {
        List<String> warnings = new ArrayList<>();
        ToolIndex index = ToolIndex.build(List.of(source("s", false, "t", "t", "t")), warnings::add);
        assertEquals(2, index.tools().size(), "plain, then hashed; the third repeat cannot be named");
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).contains("'s'") && warnings.get(0).contains("'t'"), warnings.get(0));
    }

    @Test
    void filterHidesTools() {
        ToolIndex.Source s = new ToolIndex.Source(
                "s",
                false,
                List.of(tool("keep"), tool("drop")),
                List.of(),
                name -> !Set.of("drop").contains(name));
        assertEquals(
                List.of("mcp__s__keep"),
                ToolIndex.build(List.of(s), w -> {}).tools().stream()
                        .map(ToolHub.HubTool::qualifiedName)
                        .toList());
    }

    @Test
    void localServerComesFirstEvenWhenListedLast() {
        ToolIndex index =
                ToolIndex.build(List.of(source("x", false, "t"), source("builtin", true, "mcp__x__t")), w -> {});
        assertEquals("builtin", index.toolsByName().get("mcp__x__t").server());
    }

    @Test
    void aQualifiedToolKeepsEverySchemaKeywordIconAnnotationAndMetaOfTheServers() {
        Map<String, Object> input = Map.of(
                "$schema",
                "https://json-schema.org/draft/2020-12/schema",
                "type",
                "object",
                "allOf",
                List.of(Map.of("required", List.of("a"))),
                "if",
                Map.of("properties", Map.of("a", Map.of("const", 1))),
                "then",
                Map.of("required", List.of("b")),
                "else",
                Map.of("required", List.of("c")));
        Map<String, Object> output = Map.of("type", "array", "items", Map.of());
        McpSchema.Tool t = new McpSchema.Tool(
                "t",
                "T",
                "d",
                input,
                output,
                new McpSchema.ToolAnnotations("A", true, false, true, false, null),
                Map.of("traceparent", "00-x-y-01"),
                List.of(new McpSchema.Icon("https://x/i.png", "image/png", List.of("48x48"), null)));
        ToolIndex index =
                ToolIndex.build(List.of(new ToolIndex.Source("s", false, List.of(t), List.of(), n -> true)), w -> {});
        McpSchema.Tool served = index.toolsByName().get("mcp__s__t").tool();
        assertEquals(
                new McpSchema.Tool("mcp__s__t", "T", "d", input, output, t.annotations(), t.meta(), t.icons()), served);
    }
}
