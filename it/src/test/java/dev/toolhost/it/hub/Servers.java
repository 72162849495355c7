package dev.toolhost.it.hub;

import dev.toolhost.config.McpServerConfig;
import dev.toolhost.it.Peers;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.stream.Collectors;

/** Server configs for hub tests, built from the real npm peers. */
final class Servers {
    private Servers() {}

    static McpServerConfig everything(String name) {
        return stdio(name, Peers.bin("mcp-server-everything").toString(), List.of());
    }

    static McpServerConfig stdio(String name, String command, List<String> args) {
        return McpServerConfig.stdio(name, command, args);
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The text content of a result, joined by newlines. */
    static String text(McpSchema.CallToolResult r) {
        return r.content().stream()
                .filter(c -> c instanceof McpSchema.TextContent)
                .map(c -> ((McpSchema.TextContent) c).text())
                .collect(Collectors.joining("\n"));
    }
}
