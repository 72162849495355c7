package dev.toolhost.host;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "mcp-server", mixinStandardHelpOptions = true, description = "Serve Toolhost as an MCP server (stdio or streamable HTTP).")
final class McpServerCommand implements Callable<Integer> {

    @Mixin
    GlobalOptions global;

    @Override
    public Integer call() {
        // PLACEHOLDER: implemented by its issue.
        throw UserError.failed("'mcp-server' is not implemented yet");
    }
}
