package dev.toolhost.mcp.server;

import dev.toolhost.mcp.client.CallContext;
import dev.toolhost.mcp.client.ToolHub;
import dev.toolhost.mcp.client.modern.ModernProtocol;
import dev.toolhost.mcp.core.Caller;
import dev.toolhost.mcp.core.InputRounds;
import dev.toolhost.mcp.core.McpRequest;
import dev.toolhost.mcp.core.RequestMeta;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpAsyncServer;
import io.modelcontextprotocol.server.McpAsyncServerExchange;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpServerFeatures.AsyncToolSpecification;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Serves everything a {@link ToolHub} has as one MCP server, over whatever transport the given SDK
 * server specification was made for (stdio or streamable HTTP): tools under their qualified names,
 * resources, resource templates and prompts; list changes in the hub become {@code list_changed}
 * notifications. Each tool call carries the caller's progress token and logging to the downstream
 * server, and downstream elicitation/sampling requests go back to the calling client.
 */
public final class HubServer implements AutoCloseable {
    /**
     * Dropped by the transports before the SDK session sees it: the SDK answers it by sending that client a
     * {@code roots/list} and throwing the answer away, since nothing here keeps a client's roots (under
     * {@code forward_roots} they are asked of the caller when a downstream server asks, during the call).
     */
    static final String ROOTS_LIST_CHANGED = "notifications/roots/list_changed";

    private static final Logger log = LoggerFactory.getLogger(HubServer.class);

    /**
     * @param agentRunner null to serve no agent tools
     * @param sessionEnds null where the transport ends no session on a client's request (stdio: the session is the
     *                    process)
     */
    public record Options(
            McpSchema.Implementation serverInfo,
            int maxConcurrentCallsPerSession,
            AgentRunner agentRunner,
            RequestCancellation cancellation,
            LegacySessionEnds sessionEnds) {
        public Options {
            Objects.requireNonNull(serverInfo, "serverInfo");
        }

        /** Without cancellation tracking or session ends: for stdio, which cancels by itself. */
        public Options(McpSchema.Implementation serverInfo, int maxConcurrentCallsPerSession, AgentRunner agentRunner) {
            this(serverInfo, maxConcurrentCallsPerSession, agentRunner, null, null);
        }
    }

    private final ToolHub hub;
    private final McpJsonMapper json;
    private final SessionCallLimit limit;
    private final LegacySessions sessions;
    private final RequestCancellation cancellation;
    private final McpAsyncServer server;
    private final List<AsyncToolSpecification> ownTools;
    private final Object syncLock = new Object();
    private final Set<String> downstreamSubscriptions = ConcurrentHashMap.newKeySet();
    private Map<String, McpSchema.Tool> servedTools = new HashMap<>();
    private Map<String, McpSchema.Resource> servedResources = new HashMap<>();
    private Map<String, McpSchema.ResourceTemplate> servedTemplates = new HashMap<>();
    private Map<String, McpSchema.Prompt> servedPrompts = new HashMap<>();

    private HubServer(ToolHub hub, Options options, McpServer.AsyncSpecification<?> spec, McpJsonMapper json) {
        this.hub = hub;
        this.cancellation = options.cancellation();
        this.json = json;
        this.limit = new SessionCallLimit(options.maxConcurrentCallsPerSession());
        this.sessions = new LegacySessions(hub::callerEnded);
        if (options.sessionEnds() != null) {
            // Its calls in flight first, so that none leaves a process behind after the caller's are killed.
            options.sessionEnds().onEnded(id -> {
                if (cancellation != null) {
                    cancellation.sessionEnded(id);
                }
                sessions.ended(id);
            });
        }
        this.ownTools = options.agentRunner() == null
                ? List.of()
                : new AgentTools(options.agentRunner(), json).specifications();
        List<AsyncToolSpecification> tools = new ArrayList<>();
        for (AsyncToolSpecification own : ownTools) {
            tools.add(limited(cancellable(own)));
            servedTools.put(own.tool().name(), own.tool());
        }
        for (ToolHub.HubTool t : hub.tools()) {
            tools.add(toolSpec(t));
            servedTools.put(t.qualifiedName(), t.tool());
        }
        List<McpServerFeatures.AsyncResourceSpecification> resources = new ArrayList<>();
        for (ToolHub.HubResource r : hub.resources()) {
            resources.add(resourceSpec(r));
            servedResources.put(r.resource().uri(), r.resource());
        }
        List<McpServerFeatures.AsyncResourceTemplateSpecification> templates = new ArrayList<>();
        for (ToolHub.HubResourceTemplate t : hub.resourceTemplates()) {
            templates.add(templateSpec(t));
            servedTemplates.put(t.template().uriTemplate(), t.template());
        }
        List<McpServerFeatures.AsyncPromptSpecification> prompts = new ArrayList<>();
        for (ToolHub.HubPrompt p : hub.prompts()) {
            prompts.add(promptSpec(p));
            servedPrompts.put(p.qualifiedName(), p.prompt());
        }
        boolean subscriptions = hub.resourceSubscriptions();
        this.server = spec.jsonMapper(
                        subscriptions
                                ? new SubscribeWatchingMapper(new TypedParamsMapper(json), this::subscribeDownstream)
                                : new TypedParamsMapper(json))
                .jsonSchemaValidator(TrustedToolOutput.VALIDATOR)
                .requestTimeout(InputRounds.ANSWER_TIMEOUT)
                .serverInfo(options.serverInfo())
                .capabilities(McpSchema.ServerCapabilities.builder()
                        .tools(true)
                        .resources(subscriptions, true)
                        .prompts(true)
                        .logging()
                        .completions()
                        .build())
                .completions(completions(hub))
                .tools(tools)
                .resources(resources)
                .resourceTemplates(templates)
                .prompts(prompts)
                .build();
        hub.addToolsChangedListener(this::syncTools);
        hub.addResourcesChangedListener(this::syncResources);
        hub.addPromptsChangedListener(this::syncPrompts);
        // The SDK server sends an update only to the sessions subscribed to that uri.
        hub.addResourceUpdatedListener(uri -> quietly(
                server.notifyResourcesUpdated(new McpSchema.ResourcesUpdatedNotification(uri)),
                "send resources/updated for " + uri));
        // Catch changes made between the snapshot above and the listeners' registration.
        syncTools();
        syncResources();
        syncPrompts();
    }

    /**
     * Builds and starts the server: {@code spec} is {@code McpServer.async(transportProvider)} for
     * the transport to serve on.
     */
    public static HubServer start(
            McpServer.AsyncSpecification<?> spec, ToolHub hub, Options options, McpJsonMapper json) {
        return new HubServer(hub, options, spec, json);
    }

    public McpAsyncServer server() {
        return server;
    }

    // ---- tools ----

    private AsyncToolSpecification toolSpec(ToolHub.HubTool t) {
        String name = t.qualifiedName();
        return limited(AsyncToolSpecification.builder()
                .tool(t.tool())
                .callHandler((exchange, request) -> Mono.defer(() -> {
                            sessions.touch(exchange);
                            McpRequest call = McpRequest.toolCall(name, request.arguments(), meta(exchange, request));
                            // The legacy side of the request model: input requests become requests on this session.
                            CompletableFuture<McpSchema.CallToolResult> result =
                                    hub.callTool(call, callContext(exchange, request), t.server());
                            return cancellation == null
                                    ? Mono.fromFuture(result)
                                    : cancellation.cancellable(exchange.sessionId(), request, result);
                        })
                        .onErrorResume(
                                HubServer::unanswerable,
                                e -> Mono.just(McpSchema.CallToolResult.builder()
                                        .addTextContent(unanswerableReason(e, exchange, t.server()))
                                        .isError(true)
                                        .build()))
                        .map(result -> TrustedToolOutput.withTextFallback(result, json)))
                .build());
    }

    /**
     * Whether {@code e} is MissingRequiredClientCapability (-32021): a 2026-07-28 downstream server asked for input
     * this session's client did not declare it can give. That code belongs to the 2026-07-28 revision, so a legacy
     * client is told as a legacy server's unanswerable request would tell it: an {@code isError} tool result, or
     * (prompts, resources) an internal error (-32603), naming the capability.
     */
    private static boolean unanswerable(Throwable e) {
        return cause(e) instanceof McpError m
                && m.getJsonRpcError() != null
                && m.getJsonRpcError().code() == ModernProtocol.MISSING_CAPABILITY;
    }

    /**
     * Says which capability, in the words a legacy server's unanswerable request gets (see
     * {@link CallerRequestHandler}); the server's own message when its error names none.
     */
    private static String unanswerableReason(Throwable e, McpAsyncServerExchange exchange, String server) {
        McpSchema.JSONRPCResponse.JSONRPCError error = ((McpError) cause(e)).getJsonRpcError();
        if (!(error.data() instanceof Map<?, ?> data
                && data.get("requiredCapabilities") instanceof Map<?, ?> required
                && !required.isEmpty())) {
            return error.message();
        }
        String capabilities = required.keySet().stream().map(String::valueOf).collect(Collectors.joining(" and "));
        McpSchema.Implementation client = exchange.getClientInfo();
        return "MCP server '" + server + "' needs " + capabilities + " from the client, but the MCP client connected"
                + " to Toolhost (" + (client == null ? "unnamed client" : client.name()) + ") did not declare the "
                + capabilities + " capability, so nobody was asked";
    }

    /** {@link #unanswerable} errors as a legacy session's JSON-RPC error; others unchanged. */
    private static Throwable legacyError(Throwable e, McpAsyncServerExchange exchange, String server) {
        return unanswerable(e)
                ? new McpError(new McpSchema.JSONRPCResponse.JSONRPCError(
                        McpSchema.ErrorCodes.INTERNAL_ERROR, unanswerableReason(e, exchange, server), null))
                : e;
    }

    private static Throwable cause(Throwable e) {
        while (e instanceof CompletionException && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    /**
     * What a legacy session says about its caller: fixed at {@code initialize}, plus this call's token and trace keys.
     */
    static RequestMeta meta(McpAsyncServerExchange exchange, McpSchema.CallToolRequest request) {
        return meta(exchange, request.meta());
    }

    /** {@link #meta(McpAsyncServerExchange, McpSchema.CallToolRequest)} from any request's {@code _meta} (or null). */
    static RequestMeta meta(McpAsyncServerExchange exchange, Map<String, Object> requestMeta) {
        Map<String, Object> m = requestMeta == null ? Map.of() : requestMeta;
        Map<String, Object> trace = new HashMap<>();
        for (String key : List.of("traceparent", "tracestate", "baggage")) {
            if (m.get(key) != null) {
                trace.put(key, m.get(key));
            }
        }
        // Log messages: a 2026-07-28 server sends them only when asked; ask for all, the session sends on those at
        // or above the level its client set (logging/setLevel).
        return new RequestMeta(
                null,
                exchange.getClientInfo(),
                exchange.getClientCapabilities(),
                McpSchema.LoggingLevel.DEBUG,
                trace,
                m.get("progressToken"),
                Caller.legacySession(exchange.sessionId()));
    }

    /**
     * This server's own tools (the agent's) over streamable HTTP: a {@code notifications/cancelled} ends the turn as it ends
     * a hub call (cancelling the handler's subscription interrupts the turn). Over stdio the transport does it.
     */
    private AsyncToolSpecification cancellable(AsyncToolSpecification spec) {
        if (cancellation == null) {
            return spec;
        }
        var handler = spec.callHandler();
        return AsyncToolSpecification.builder()
                .tool(spec.tool())
                .callHandler((exchange, request) -> Mono.defer(() -> cancellation.cancellable(
                        exchange.sessionId(),
                        request,
                        handler.apply(exchange, request).toFuture())))
                .build();
    }

    private AsyncToolSpecification limited(AsyncToolSpecification spec) {
        return AsyncToolSpecification.builder()
                .tool(spec.tool())
                .callHandler(limit.wrap(spec.callHandler()))
                .build();
    }

    /** Progress goes to the caller under the caller's own token; the call's log messages to the calling session. */
    private CallContext callContext(McpAsyncServerExchange exchange, McpSchema.CallToolRequest request) {
        Object token = request.meta() == null ? null : request.meta().get("progressToken");
        String session = exchange.sessionId() == null ? "" : exchange.sessionId();
        return new CallContext(
                token == null
                        ? p -> {}
                        : p -> exchange.progressNotification(new McpSchema.ProgressNotification(
                                        token, p.progress(), p.total(), p.message(), null))
                                .subscribe(null, e -> log.debug("progress not delivered: {}", e.toString())),
                l -> exchange.loggingNotification(l)
                        .subscribe(null, e -> log.debug("log message not delivered: {}", e.toString())),
                new CallerRequestHandler(exchange));
    }

    private void syncTools() {
        synchronized (syncLock) {
            Map<String, McpSchema.Tool> next = new HashMap<>();
            for (AsyncToolSpecification own : ownTools) {
                next.put(own.tool().name(), own.tool());
            }
            List<AsyncToolSpecification> added = new ArrayList<>();
            for (ToolHub.HubTool t : hub.tools()) {
                next.put(t.qualifiedName(), t.tool());
                if (!t.tool().equals(servedTools.get(t.qualifiedName()))) {
                    added.add(toolSpec(t));
                }
            }
            for (String gone : servedTools.keySet()) {
                if (!next.containsKey(gone)) {
                    quietly(server.removeTool(gone), "remove tool " + gone);
                }
            }
            for (AsyncToolSpecification spec : added) {
                quietly(server.addTool(spec), "add tool " + spec.tool().name());
            }
            servedTools = next;
        }
    }

    // ---- resources and prompts ----

    private McpServerFeatures.AsyncResourceSpecification resourceSpec(ToolHub.HubResource r) {
        return new McpServerFeatures.AsyncResourceSpecification(
                r.resource(), (exchange, request) -> readResource(exchange, request, r.server()));
    }

    private McpServerFeatures.AsyncResourceTemplateSpecification templateSpec(ToolHub.HubResourceTemplate t) {
        return new McpServerFeatures.AsyncResourceTemplateSpecification(
                t.template(), (exchange, request) -> readResource(exchange, request, t.server()));
    }

    /** As a prompt is got: the server's requests meanwhile (and a 2026-07-28 server's rounds) go to this session. */
    private Mono<McpSchema.ReadResourceResult> readResource(
            McpAsyncServerExchange exchange, McpSchema.ReadResourceRequest request, String server) {
        return Mono.fromFuture(() -> hub.readResource(
                        new McpRequest(
                                "resources/read",
                                Map.of("uri", request.uri()),
                                meta(exchange, request.meta()),
                                null,
                                null),
                        requestContext(exchange),
                        server))
                .onErrorMap(e -> legacyError(e, exchange, server));
    }

    private McpServerFeatures.AsyncPromptSpecification promptSpec(ToolHub.HubPrompt p) {
        String name = p.qualifiedName();
        return new McpServerFeatures.AsyncPromptSpecification(
                p.prompt(),
                (exchange, request) -> Mono.fromFuture(() -> {
                            // A 2026-07-28 server's input requests, and a legacy server's requests meanwhile,
                            // reach this session.
                            Map<String, Object> params = new HashMap<>();
                            params.put("name", name);
                            params.put("arguments", request.arguments() == null ? Map.of() : request.arguments());
                            McpRequest get =
                                    new McpRequest("prompts/get", params, meta(exchange, request.meta()), null, null);
                            return hub.getPrompt(get, requestContext(exchange), p.server());
                        })
                        .onErrorMap(e -> legacyError(e, exchange, p.server())));
    }

    /**
     * A prompts/get's or resources/read's context: no progress (it carried no token to the server), log messages and
     * the server's requests to this session.
     */
    private static CallContext requestContext(McpAsyncServerExchange exchange) {
        return new CallContext(
                progress -> {},
                l -> exchange.loggingNotification(l)
                        .subscribe(null, e -> log.debug("log message not delivered: {}", e.toString())),
                new CallerRequestHandler(exchange));
    }

    /**
     * One completion per prompt and resource template the hub has when the server starts (the SDK server keys
     * completions by reference and takes no new ones later), each passed through to the hub.
     */
    private static List<McpServerFeatures.AsyncCompletionSpecification> completions(ToolHub hub) {
        List<McpServerFeatures.AsyncCompletionSpecification> out = new ArrayList<>();
        for (ToolHub.HubPrompt p : hub.prompts()) {
            out.add(new McpServerFeatures.AsyncCompletionSpecification(
                    new McpSchema.PromptReference(p.qualifiedName()),
                    (exchange, request) -> Mono.fromFuture(() -> hub.complete(request))));
        }
        for (ToolHub.HubResourceTemplate t : hub.resourceTemplates()) {
            out.add(new McpServerFeatures.AsyncCompletionSpecification(
                    new McpSchema.ResourceReference(t.template().uriTemplate()),
                    (exchange, request) -> Mono.fromFuture(() -> hub.complete(request))));
        }
        return out;
    }

    /**
     * A session subscribed to {@code uri}: the downstream server is subscribed once, on the first such request,
     * and stays subscribed while this server runs (the SDK server tracks each session's subscriptions and tells
     * nobody when the last one goes; an update nobody subscribed to is simply not sent).
     */
    private void subscribeDownstream(String uri) {
        if (downstreamSubscriptions.add(uri)) {
            hub.subscribeResource(uri).whenComplete((ok, e) -> {
                if (e != null) {
                    downstreamSubscriptions.remove(uri);
                    log.debug("no downstream subscription to {}: {}", uri, e.toString());
                }
            });
        }
    }

    private void syncResources() {
        synchronized (syncLock) {
            Map<String, McpSchema.Resource> next = new HashMap<>();
            for (ToolHub.HubResource r : hub.resources()) {
                next.put(r.resource().uri(), r.resource());
                if (!r.resource().equals(servedResources.get(r.resource().uri()))) {
                    quietly(
                            server.addResource(resourceSpec(r)),
                            "add resource " + r.resource().uri());
                }
            }
            for (String gone : servedResources.keySet()) {
                if (!next.containsKey(gone)) {
                    quietly(server.removeResource(gone), "remove resource " + gone);
                }
            }
            servedResources = next;
            Map<String, McpSchema.ResourceTemplate> nextTemplates = new HashMap<>();
            for (ToolHub.HubResourceTemplate t : hub.resourceTemplates()) {
                String key = t.template().uriTemplate();
                nextTemplates.put(key, t.template());
                if (!t.template().equals(servedTemplates.get(key))) {
                    quietly(server.addResourceTemplate(templateSpec(t)), "add resource template " + key);
                }
            }
            for (String gone : servedTemplates.keySet()) {
                if (!nextTemplates.containsKey(gone)) {
                    quietly(server.removeResourceTemplate(gone), "remove resource template " + gone);
                }
            }
            servedTemplates = nextTemplates;
        }
    }

    private void syncPrompts() {
        synchronized (syncLock) {
            Map<String, McpSchema.Prompt> next = new HashMap<>();
            for (ToolHub.HubPrompt p : hub.prompts()) {
                next.put(p.qualifiedName(), p.prompt());
                if (!p.prompt().equals(servedPrompts.get(p.qualifiedName()))) {
                    quietly(server.addPrompt(promptSpec(p)), "add prompt " + p.qualifiedName());
                }
            }
            for (String gone : servedPrompts.keySet()) {
                if (!next.containsKey(gone)) {
                    quietly(server.removePrompt(gone), "remove prompt " + gone);
                }
            }
            servedPrompts = next;
        }
    }

    private static void quietly(Mono<Void> change, String what) {
        change.subscribe(null, e -> log.warn("could not {} on the served MCP server: {}", what, e.toString()));
    }

    /** Closes the served MCP server (not the hub, which the caller owns). */
    @Override
    public void close() {
        sessions.close();
        downstreamSubscriptions.forEach(hub::unsubscribeResource);
        server.closeGracefully().onErrorComplete().block(Duration.ofSeconds(5));
    }
}
