package dev.toolhost.host;

import dev.toolhost.config.ConfigJson;
import dev.toolhost.config.LoadedConfig;
import dev.toolhost.config.McpServerConfig;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

@Command(name = "list", mixinStandardHelpOptions = true, description = "List configured MCP servers.")
final class McpListCommand implements Callable<Integer> {

    @Mixin
    GlobalOptions global;

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print the servers as a JSON array.")
    boolean json;

    @Override
    public Integer call() {
        LoadedConfig loaded = global.load();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ArrayNode array = JsonNodeFactory.instance.arrayNode();
            for (McpServerConfig s : loaded.config().mcpServers().values()) {
                ObjectNode o = array.addObject();
                o.put("name", s.name());
                o.put("transport", s.isStdio() ? "stdio" : "streamable_http");
                o.setAll(ConfigJson.server(s));
            }
            out.println(Json.pretty(array));
        } else if (loaded.config().mcpServers().isEmpty()) {
            out.println("No MCP servers configured. Add one with: toolhost mcp add NAME -- COMMAND [ARGS...]");
        } else {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"NAME", "TRANSPORT", "TARGET", "ENABLED"});
            for (McpServerConfig s : loaded.config().mcpServers().values()) {
                rows.add(new String[] {s.name(), s.isStdio() ? "stdio" : "http", target(s), s.enabled() ? "yes" : "no"});
            }
            printTable(out, rows);
        }
        out.flush();
        return Cli.OK;
    }

    private static String target(McpServerConfig s) {
        if (!s.isStdio()) {
            return s.url();
        }
        StringBuilder b = new StringBuilder(s.command());
        for (String a : s.args()) {
            b.append(' ').append(a.isEmpty() || a.contains(" ") ? "'" + a + "'" : a);
        }
        return b.toString();
    }

    private static void printTable(PrintWriter out, List<String[]> rows) {
        int[] widths = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                widths[i] = Math.max(widths[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                line.append(i == r.length - 1 ? r[i] : String.format("%-" + (widths[i] + 2) + "s", r[i]));
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
