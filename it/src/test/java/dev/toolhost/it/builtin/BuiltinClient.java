package dev.toolhost.it.builtin;

import dev.toolhost.it.Peers;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A real SDK MCP client connected over stdio to {@code toolhost -C DIR [ARGS] mcp-server --only builtin}.
 * When given an elicitation answer it declares the elicitation capability and records every request.
 */
final class BuiltinClient implements AutoCloseable {
    final McpSyncClient client;
    final List<McpSchema.ElicitFormRequest> elicitations = new CopyOnWriteArrayList<>();

    private BuiltinClient(
            Path dir, List<String> globalArgs, Function<McpSchema.ElicitFormRequest, McpSchema.ElicitResult> decide) {
        List<String> args = new ArrayList<>(List.of("-C", dir.toString()));
        args.addAll(globalArgs);
        args.addAll(List.of("mcp-server", "--only", "builtin"));
        List<String> cmd = Peers.toolhost(args.toArray(String[]::new));
        ServerParameters params = ServerParameters.builder(cmd.get(0))
                .args(cmd.subList(1, cmd.size()))
                .build();
        StdioClientTransport transport = new StdioClientTransport(params, McpJsonDefaults.getMapper());
        transport.setStdErrorHandler(line -> System.err.println("[toolhost] " + line));
        McpClient.SyncSpec spec = McpClient.sync(transport)
                .requestTimeout(Duration.ofSeconds(30))
                .initializationTimeout(Duration.ofSeconds(30))
                .clientInfo(new McpSchema.Implementation("builtin-it", "1"));
        if (decide != null) {
            spec.capabilities(
                            McpSchema.ClientCapabilities.builder().elicitation().build())
                    .elicitation(request -> {
                        elicitations.add(request);
                        return decide.apply(request);
                    });
        }
        client = spec.build();
        client.initialize();
    }

    /** A client that does not support elicitation. */
    static BuiltinClient start(Path dir, String... globalArgs) {
        return new BuiltinClient(dir, List.of(globalArgs), null);
    }

    /** A client that answers every approval request with {@code decision}. */
    static BuiltinClient answering(String decision, Path dir, String... globalArgs) {
        return new BuiltinClient(
                dir,
                List.of(globalArgs),
                r -> new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.ACCEPT, Map.of("decision", decision)));
    }

    /** A client that answers approval requests with whatever {@code answer} returns. */
    static BuiltinClient answeringWith(
            Function<McpSchema.ElicitFormRequest, McpSchema.ElicitResult> answer, Path dir, String... globalArgs) {
        return new BuiltinClient(dir, List.of(globalArgs), answer);
    }

    McpSchema.CallToolResult call(String tool, Map<String, Object> args) {
        return client.callTool(new McpSchema.CallToolRequest(tool, args));
    }

    static String text(McpSchema.CallToolResult r) {
        return ((McpSchema.TextContent) r.content().get(0)).text();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> structured(McpSchema.CallToolResult r) {
        return (Map<String, Object>) r.structuredContent();
    }

    @Override
    public void close() {
        client.closeGracefully();
    }
}
