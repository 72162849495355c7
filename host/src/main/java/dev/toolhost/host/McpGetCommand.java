package dev.toolhost.host;

import dev.toolhost.config.ConfigJson;
import dev.toolhost.config.LoadedConfig;
import dev.toolhost.config.McpServerConfig;
import java.io.PrintWriter;
import java.util.Collection;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.ObjectNode;

@Command(
        name = "get",
        mixinStandardHelpOptions = true,
        description = {
            "Show one configured MCP server.",
            "Secrets are not shown: env and http_headers values as *****, the URL without its password and query"
                    + " values."
        })
final class McpGetCommand implements Callable<Integer> {

    @Mixin
    GlobalOptions global;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "Server name.")
    String name;

    @Option(names = "--json", description = "Print the server's settings as JSON.")
    boolean json;

    @Override
    public Integer call() {
        LoadedConfig loaded = global.load();
        McpServerConfig server = loaded.config().mcpServers().get(name);
        if (server == null) {
            throw UserError.usage("no MCP server named '" + name + "'"
                    + known(loaded.config().mcpServers().keySet()));
        }
        ObjectNode table = ConfigJson.server(server);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ObjectNode o = table.objectNode();
            o.put("name", name);
            o.put("transport", server.isStdio() ? "stdio" : "streamable_http");
            o.setAll(table);
            AuthStatus.put(o, server);
            out.println(PrettyJson.pretty(o));
        } else {
            new OriginTomlPrinter(loaded.origins(), out).print(table, "mcp_servers." + name, true);
            out.println("# auth: " + AuthStatus.describe(server));
        }
        out.flush();
        return Cli.OK;
    }

    static String known(Collection<String> names) {
        return names.isEmpty()
                ? " (no MCP servers are configured)"
                : " (configured: " + String.join(", ", new TreeSet<>(names)) + ")";
    }
}
