package dev.toolhost.mcp.server;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpAsyncServer;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpServerFeatures.AsyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.ArrayList;
import java.util.List;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Serves tool specifications (the built-in tools) straight on a transport, with no hub in
 * between: the fastest path, used for {@code toolhost mcp-server --only builtin}. Handlers see the
 * calling client's exchange directly, so their elicitation requests reach that client.
 */
public final class DirectToolServer {
    /**
     * Tool handlers block (a command runs, a file is read), so they run off the transport's threads: on
     * a plain cached pool, whose hand-off is cheaper than Reactor's bounded-elastic scheduler (a delay
     * queue per worker), which showed up in profiles of cheap calls.
     */
    private static final reactor.core.scheduler.Scheduler TOOL_THREADS = Schedulers.fromExecutorService(
            java.util.concurrent.Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "toolhost-tool");
                t.setDaemon(true);
                return t;
            }), "toolhost-tools");

    private DirectToolServer() {
    }

    /**
     * Builds and starts the server on {@code spec} ({@code McpServer.async(transportProvider)}).
     *
     * @param agentRunner  null to serve no agent tools
     * @param cancellation null where the transport cancels by itself (stdio)
     */
    public static McpAsyncServer start(McpServer.AsyncSpecification<?> spec, McpSchema.Implementation serverInfo,
            List<McpServerFeatures.SyncToolSpecification> tools, AgentRunner agentRunner, SessionCallLimit limit,
            McpJsonMapper json, RequestCancellation cancellation) {
        List<AsyncToolSpecification> async = new ArrayList<>();
        for (McpServerFeatures.SyncToolSpecification t : tools) {
            async.add(AsyncToolSpecification.builder().tool(t.tool())
                    .callHandler(limit.wrap((exchange, request) -> {
                        Mono<McpSchema.CallToolResult> call = Mono
                                .fromCallable(() -> TrustedToolOutput.withTextFallback(
                                        t.callHandler().apply(new McpSyncServerExchange(exchange), request), json))
                                .subscribeOn(TOOL_THREADS);
                        return cancellation == null ? call : cancellation.cancellable(exchange.sessionId(), request, call);
                    }))
                    .build());
        }
        if (agentRunner != null) {
            for (AsyncToolSpecification t : new AgentTools(agentRunner, json).specifications()) {
                async.add(AsyncToolSpecification.builder().tool(t.tool()).callHandler(limit.wrap(t.callHandler())).build());
            }
        }
        return spec.jsonMapper(new TypedParamsMapper(json))
                .requestTimeout(ServerRequests.TIMEOUT)
                .jsonSchemaValidator(TrustedToolOutput.VALIDATOR)
                .serverInfo(serverInfo)
                .capabilities(McpSchema.ServerCapabilities.builder().tools(true).logging().build())
                .tools(async)
                .build();
    }
}
