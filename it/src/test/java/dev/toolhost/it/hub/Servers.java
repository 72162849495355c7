package dev.toolhost.it.hub;

import dev.toolhost.config.McpServerConfig;
import dev.toolhost.it.Peers;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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

    static McpServerConfig withTimeouts(McpServerConfig c, Duration startup, Duration tool) {
        return new McpServerConfig(
                c.name(),
                c.command(),
                c.args(),
                c.env(),
                c.envVars(),
                c.cwd(),
                c.url(),
                c.bearerTokenEnvVar(),
                c.httpHeaders(),
                c.envHttpHeaders(),
                c.enabled(),
                c.required(),
                startup,
                tool,
                c.enabledTools(),
                c.disabledTools());
    }

    static McpServerConfig required(McpServerConfig c) {
        return new McpServerConfig(
                c.name(),
                c.command(),
                c.args(),
                c.env(),
                c.envVars(),
                c.cwd(),
                c.url(),
                c.bearerTokenEnvVar(),
                c.httpHeaders(),
                c.envHttpHeaders(),
                c.enabled(),
                true,
                c.startupTimeout(),
                c.toolTimeout(),
                c.enabledTools(),
                c.disabledTools());
    }

    static McpServerConfig toolFilter(McpServerConfig c, List<String> enabled, List<String> disabled) {
        return new McpServerConfig(
                c.name(),
                c.command(),
                c.args(),
                c.env(),
                c.envVars(),
                c.cwd(),
                c.url(),
                c.bearerTokenEnvVar(),
                c.httpHeaders(),
                c.envHttpHeaders(),
                c.enabled(),
                c.required(),
                c.startupTimeout(),
                c.toolTimeout(),
                enabled,
                disabled);
    }

    static McpServerConfig disabled(McpServerConfig c) {
        return new McpServerConfig(
                c.name(),
                c.command(),
                c.args(),
                c.env(),
                c.envVars(),
                c.cwd(),
                c.url(),
                c.bearerTokenEnvVar(),
                c.httpHeaders(),
                c.envHttpHeaders(),
                false,
                c.required(),
                c.startupTimeout(),
                c.toolTimeout(),
                c.enabledTools(),
                c.disabledTools());
    }

    static McpServerConfig withEnv(McpServerConfig c, Map<String, String> env) {
        return new McpServerConfig(
                c.name(),
                c.command(),
                c.args(),
                env,
                c.envVars(),
                c.cwd(),
                c.url(),
                c.bearerTokenEnvVar(),
                c.httpHeaders(),
                c.envHttpHeaders(),
                c.enabled(),
                c.required(),
                c.startupTimeout(),
                c.toolTimeout(),
                c.enabledTools(),
                c.disabledTools());
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
