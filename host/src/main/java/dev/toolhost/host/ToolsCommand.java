package dev.toolhost.host;

import dev.toolhost.mcp.client.McpHub;
import dev.toolhost.mcp.client.ToolHub;
import io.modelcontextprotocol.json.McpJsonDefaults;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "tools", mixinStandardHelpOptions = true, description = "List every tool, built-in and external.")
final class ToolsCommand implements Callable<Integer> {

    @Mixin
    GlobalOptions global;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--json", description = "Print a JSON array (name, server, description, inputSchema) on stdout.")
    boolean json;

    @Option(
            names = "--only",
            split = ",",
            paramLabel = "SERVER",
            description = "Start only these servers ('builtin' for the built-in tools). Comma-separated.")
    List<String> only;

    @Override
    public Integer call() throws IOException {
        try (McpHub hub =
                HubLauncher.launch(global.load(), HubLauncher.Options.defaults().only(only))) {
            List<ToolHub.HubTool> tools = hub.tools();
            if (json) {
                List<Map<String, Object>> out = new ArrayList<>();
                for (ToolHub.HubTool t : tools) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("name", t.qualifiedName());
                    m.put("server", t.server());
                    m.put("description", t.tool().description());
                    m.put("inputSchema", t.tool().inputSchema());
                    out.add(m);
                }
                out().println(McpJsonDefaults.getMapper().writeValueAsString(out));
                return Cli.OK;
            }
            int width = tools.stream()
                    .mapToInt(t -> t.qualifiedName().length())
                    .max()
                    .orElse(4);
            int serverWidth =
                    tools.stream().mapToInt(t -> t.server().length()).max().orElse(6);
            for (ToolHub.HubTool t : tools) {
                out().printf(
                                "%-" + width + "s  %-" + serverWidth + "s  %s%n",
                                t.qualifiedName(),
                                t.server(),
                                firstLine(t.tool().description()));
            }
            if (tools.isEmpty()) {
                err().println("no tools: no server is running (see `toolhost mcp list`)");
            }
            return Cli.OK;
        }
    }

    static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        String line = s.strip().lines().findFirst().orElse("");
        return line.length() > 100 ? line.substring(0, 97) + "..." : line;
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    private PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
