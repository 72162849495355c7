package dev.toolhost.host;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
        name = "mcp",
        mixinStandardHelpOptions = true,
        description = "Manage configured MCP servers.",
        subcommands = {
            McpAddCommand.class,
            McpListCommand.class,
            McpGetCommand.class,
            McpRemoveCommand.class,
            McpLoginCommand.class,
            McpLogoutCommand.class
        })
final class McpCommand implements Callable<Integer> {

    @Mixin
    GlobalOptions global;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        throw UserError.usage("missing subcommand: add, list, get, remove, login or logout");
    }
}
