package dev.toolhost.host;

import dev.toolhost.config.LoadedConfig;
import dev.toolhost.config.McpServerConfig;
import dev.toolhost.mcp.client.oauth.CredentialStore;
import dev.toolhost.mcp.client.oauth.OAuthException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "logout",
        mixinStandardHelpOptions = true,
        description = "Remove the stored sign-in (tokens and registered clients) of an MCP server.")
final class McpLogoutCommand implements Callable<Integer> {

    @Mixin
    GlobalOptions global;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "Server name.")
    String name;

    @Override
    public Integer call() {
        LoadedConfig loaded = global.load();
        httpServer(loaded, name, "log out of");
        boolean removed;
        try {
            removed = CredentialStore.atHome().remove(name);
        } catch (OAuthException e) {
            throw UserError.failed(e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(
                removed
                        ? "Logged out of MCP server '" + name + "'."
                        : "MCP server '" + name + "' has no stored sign-in; nothing to do.");
        out.flush();
        return Cli.OK;
    }

    /** The configured streamable HTTP server {@code name}, or a clear error. */
    static McpServerConfig httpServer(LoadedConfig loaded, String name, String verb) {
        McpServerConfig server = loaded.config().mcpServers().get(name);
        if (server == null) {
            throw UserError.usage("no MCP server named '" + name + "'"
                    + McpGetCommand.known(loaded.config().mcpServers().keySet()));
        }
        if (server.isStdio()) {
            throw UserError.usage("MCP server '" + name + "' is a stdio server; only streamable HTTP ('url') servers "
                    + "use OAuth, so there is nothing to " + verb);
        }
        return server;
    }
}
