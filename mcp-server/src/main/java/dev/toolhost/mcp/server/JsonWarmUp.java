package dev.toolhost.mcp.server;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Builds Jackson's (de)serializers for the first messages of a session on a spare thread while the
 * server is still being set up, so that the client's initialize and tools/list are not answered
 * only after that one-time work (tens of milliseconds of a cold start).
 */
public final class JsonWarmUp {
    private JsonWarmUp() {}

    private static final AtomicBoolean STARTED = new AtomicBoolean();

    /**
     * Starts the warm-up of the SDK's default mapper ({@link McpJsonDefaults#getMapper()}, which it creates if
     * nobody has yet) on a daemon thread, once per process: later calls do nothing. It never fails the caller.
     * Call it as early as the process knows it will serve MCP.
     */
    public static void start() {
        if (STARTED.compareAndSet(false, true)) {
            Thread t = new Thread(() -> run(McpJsonDefaults.getMapper()), "toolhost-json-warmup");
            t.setDaemon(true);
            t.start();
        }
    }

    static void run(McpJsonMapper json) {
        try {
            String line = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                    + "\"2025-06-18\",\"capabilities\":{\"elicitation\":{}},\"clientInfo\":{\"name\":\"w\",\"version\":\"1\"}}}";
            Map<?, ?> request = json.readValue(line, Map.class);
            json.convertValue(request.get("params"), McpSchema.InitializeRequest.class);
            var capabilities =
                    McpSchema.ServerCapabilities.builder().tools(true).logging().build();
            var init = new McpSchema.InitializeResult(
                    "2025-06-18", capabilities, new McpSchema.Implementation("toolhost", "0"), null);
            json.writeValueAsBytes(new McpSchema.JSONRPCResponse(McpSchema.JSONRPC_VERSION, 1, init, null));
            McpSchema.Tool tool = McpSchema.Tool.builder()
                    .name("t")
                    .description("d")
                    .inputSchema(json, "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"}}}")
                    .annotations(new McpSchema.ToolAnnotations("t", true, false, true, false, null))
                    .build();
            json.writeValueAsBytes(new McpSchema.JSONRPCResponse(
                    McpSchema.JSONRPC_VERSION, 2, new McpSchema.ListToolsResult(List.of(tool), null), null));
            json.writeValueAsBytes(new McpSchema.JSONRPCResponse(
                    McpSchema.JSONRPC_VERSION,
                    3,
                    McpSchema.CallToolResult.builder().addTextContent("x").build(),
                    null));
        } catch (Exception | LinkageError e) {
            // only a head start; the real messages work without it
        }
    }
}
