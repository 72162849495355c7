package dev.toolhost.mcp.client;

import dev.toolhost.mcp.client.ToolHub.HubPrompt;
import dev.toolhost.mcp.client.ToolHub.HubTool;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The hub's names: every server's tools and prompts under their qualified names. Deterministic: the
 * local server first, then the others in the given order (the hub sorts them by name), each server's
 * items by name; a qualified name that is already taken gets the hashed form (see
 * {@link ToolNames#qualifyUnique}); an item whose raw name repeats is skipped with a warning.
 */
record ToolIndex(
        List<HubTool> tools,
        Map<String, HubTool> toolsByName,
        List<HubPrompt> prompts,
        Map<String, HubPrompt> promptsByName) {

    static final ToolIndex EMPTY = new ToolIndex(List.of(), Map.of(), List.of(), Map.of());

    /** What one server contributes. */
    record Source(
            String server,
            boolean local,
            List<McpSchema.Tool> tools,
            List<McpSchema.Prompt> prompts,
            Predicate<String> allows) {}

    static ToolIndex build(List<Source> sources, Consumer<String> warnings) {
        List<HubTool> tools = new ArrayList<>();
        Map<String, HubTool> toolsByName = new HashMap<>();
        List<HubPrompt> prompts = new ArrayList<>();
        Map<String, HubPrompt> promptsByName = new HashMap<>();
        Set<String> taken = new HashSet<>();
        Set<String> takenPrompts = new HashSet<>();
        List<Source> ordered = new ArrayList<>(sources);
        ordered.sort(Comparator.comparing((Source s) -> !s.local()));
        for (Source s : ordered) {
            for (McpSchema.Tool t : sorted(s.tools(), McpSchema.Tool::name)) {
                if (t.name() == null || !s.allows().test(t.name())) {
                    continue;
                }
                String q = name(s, t.name(), taken);
                if (q == null) {
                    warnings.accept("warning: MCP server '" + s.server() + "' lists tool '" + t.name()
                            + "' twice; the second is ignored");
                    continue;
                }
                taken.add(q);
                HubTool h = new HubTool(
                        q,
                        s.server(),
                        t.name(),
                        new McpSchema.Tool(
                                q,
                                t.title(),
                                t.description(),
                                t.inputSchema(),
                                t.outputSchema(),
                                t.annotations(),
                                t.meta(),
                                t.icons()));
                tools.add(h);
                toolsByName.put(q, h);
            }
            for (McpSchema.Prompt p : sorted(s.prompts(), McpSchema.Prompt::name)) {
                String q = p.name() == null ? null : name(s, p.name(), takenPrompts);
                if (q == null) {
                    continue;
                }
                takenPrompts.add(q);
                HubPrompt h = new HubPrompt(
                        q,
                        s.server(),
                        p.name(),
                        new McpSchema.Prompt(q, p.title(), p.description(), p.arguments(), p.meta(), p.icons()));
                prompts.add(h);
                promptsByName.put(q, h);
            }
        }
        tools.sort(Comparator.comparing(HubTool::qualifiedName));
        prompts.sort(Comparator.comparing(HubPrompt::qualifiedName));
        return new ToolIndex(
                List.copyOf(tools), Map.copyOf(toolsByName), List.copyOf(prompts), Map.copyOf(promptsByName));
    }

    /** Local items (and a bridged server's) keep their plain names (a repeat is skipped); others are qualified. */
    private static String name(Source s, String item, Set<String> taken) {
        if (s.local()) {
            return taken.contains(item) ? null : item;
        }
        return ToolNames.qualifyUnique(s.server(), item, taken);
    }

    private static <T> List<T> sorted(List<T> items, Function<T, String> key) {
        List<T> copy = new ArrayList<>(items);
        copy.sort(Comparator.comparing(key, Comparator.nullsFirst(Comparator.naturalOrder())));
        return copy;
    }
}
