package dev.toolhost.host;

import dev.toolhost.config.McpServerTables;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove an MCP server from config.toml.")
final class McpRemoveCommand implements Callable<Integer> {

    @Mixin
    GlobalOptions global;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "Server name.")
    String name;

    @Override
    public Integer call() {
        McpAddCommand.validateName(name);
        ConfigFileEdit edit = ConfigFileEdit.open(global.configFile());
        if (!edit.current().config().mcpServers().containsKey(name)) {
            throw UserError.usage("no MCP server named '" + name + "' in " + edit.file()
                    + McpGetCommand.known(edit.current().config().mcpServers().keySet()));
        }
        if (!McpServerTables.hasTable(edit.text(), name)) {
            throw UserError.failed("MCP server '" + name + "' in " + edit.file() + " is not written as an [mcp_servers."
                    + name + "] table, so toolhost cannot remove it; edit the file by hand");
        }
        edit.write(text -> McpServerTables.remove(text, name));
        PrintWriter out = spec.commandLine().getOut();
        out.println("Removed MCP server '" + name + "' from " + edit.file());
        out.flush();
        return Cli.OK;
    }
}
