package dev.toolhost.mcp.server.modern;

import dev.toolhost.mcp.client.CallContext;
import dev.toolhost.mcp.client.ToolHub;
import dev.toolhost.mcp.core.InputRequest;
import dev.toolhost.mcp.core.McpRequest;
import dev.toolhost.mcp.core.McpVersions;
import dev.toolhost.mcp.core.Outcome;
import dev.toolhost.mcp.core.RequestMeta;
import dev.toolhost.mcp.core.RequestStates;
import dev.toolhost.mcp.core.ToolProvider;
import dev.toolhost.mcp.server.TrustedToolOutput;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Serves a {@link ToolHub} (plus, optionally, the agent tools) to 2026-07-28 (stateless) requests: the
 * stateless side of the request model. Every request is decoded on its own ({@code _meta} into
 * {@link RequestMeta}, the caller bound to the bearer token), nothing is remembered between requests, and an
 * approval a tool needs comes back as an {@code input_required} result that the client answers by retrying
 * (spec {@code basic/patterns/mrtr}).
 *
 * <p>Methods: {@code server/discover}, {@code tools/list}, {@code tools/call}, {@code resources/list},
 * {@code resources/templates/list}, {@code resources/read}, {@code prompts/list}, {@code prompts/get} and
 * {@code subscriptions/listen}. Every other method, including the legacy-only {@code initialize}, {@code ping},
 * {@code logging/setLevel} and {@code resources/(un)subscribe}, is -32601 (HTTP 404). Every result carries
 * {@code resultType} and {@code _meta["io.modelcontextprotocol/serverInfo"]}; list and read results carry
 * {@code ttlMs} and {@code cacheScope}; every error carries the request's id.
 *
 * <p>Cancelling a future returned by {@link #handle} cancels the request (a tool call in the hub, a listen
 * subscription): transports do it on {@code notifications/cancelled} (stdio) or when the response stream
 * closes (HTTP).
 */
public final class ModernDispatcher implements ModernEndpoint, AutoCloseable {
    private static final TypeRef<Map<String, Object>> MAP = new TypeRef<>() {};

    /**
     * @param serverInfo   the server's name and version, on every result
     * @param instructions for {@code server/discover}, or null
     * @param agentTools   the agent tools served beside the hub's (see {@code AgentTools.provider}), or null
     * @param listTtl      the {@code ttlMs} on list and read results: how long a client may reuse them without
     *                     asking again (lists change when a downstream server restarts or sends list_changed;
     *                     {@code subscriptions/listen} tells a client at once)
     */
    public record Options(
            McpSchema.Implementation serverInfo, String instructions, ToolProvider agentTools, Duration listTtl) {
        public Options {
            Objects.requireNonNull(serverInfo, "serverInfo");
            listTtl = listTtl == null ? Duration.ZERO : listTtl;
        }

        public Options(McpSchema.Implementation serverInfo, ToolProvider agentTools) {
            this(serverInfo, null, agentTools, Duration.ZERO);
        }
    }

    /** Methods of the legacy era only: with modern {@code _meta} they do not exist (-32601). */
    private static final Set<String> LEGACY_ONLY = Set.of(
            "initialize",
            "ping",
            "logging/setLevel",
            "resources/subscribe",
            "resources/unsubscribe",
            "notifications/initialized");

    private final ToolHub hub;
    private final McpJsonMapper json;
    private final Options options;
    /** {@link Options#serverInfo()} as JSON values, converted at first use (see {@link #serverInfo()}). */
    private volatile Map<String, Object> serverInfo;

    private final Subscriptions subscriptions;
    private final ParkedCalls parked;

    /** How long a downstream server's request waits for the caller's retry by default: a person may answer it. */
    public static final Duration PARK_WAIT = Duration.ofMinutes(10);

    public ModernDispatcher(ToolHub hub, McpJsonMapper json, Options options) {
        this(hub, json, options, RequestStates.random(PARK_WAIT, Clock.systemUTC()), PARK_WAIT);
    }

    /**
     * @param states   seals the {@code requestState} of a parked downstream call (see {@link ParkedCalls}); give
     *                 replicas the same one so that a retry on the wrong replica is told so
     * @param parkWait how long a downstream server's elicitation or sampling request waits for the caller's retry
     */
    public ModernDispatcher(ToolHub hub, McpJsonMapper json, Options options, RequestStates states, Duration parkWait) {
        this.hub = hub;
        this.json = json;
        this.options = options;
        this.subscriptions = new Subscriptions(hub);
        this.parked = new ParkedCalls(states, parkWait, json);
    }

    /**
     * Converted at the first request, not at construction: that first conversion builds a Jackson serializer,
     * milliseconds on the main thread of a {@code toolhost mcp-server} cold start. Two threads converting at once
     * get equal maps.
     */
    private Map<String, Object> serverInfo() {
        Map<String, Object> info = serverInfo;
        if (info == null) {
            info = json.convertValue(options.serverInfo(), MAP);
            serverInfo = info;
        }
        return info;
    }

    /** Downstream calls parked for their caller's answer right now. */
    int parkedCalls() {
        return parked.size();
    }

    @Override
    public CompletableFuture<Reply> handle(
            Map<String, Object> message, String bearerToken, Consumer<Map<String, Object>> stream) {
        Object id = message.get("id");
        boolean request = message.containsKey("id");
        if (!(message.get("method") instanceof String method)) {
            return CompletableFuture.completedFuture(
                    request && !message.containsKey("result") && !message.containsKey("error")
                            ? error(
                                    id,
                                    new ModernError(
                                            ModernError.INVALID_REQUEST,
                                            "Invalid Request: 'method' is missing or" + " not a string",
                                            null,
                                            400))
                            : new Reply(null, 202)); // a response: nothing in this era asks the client anything
        }
        if (!request) {
            // Notifications need no answer; cancellation is the transport's (it cancels the request's future).
            return CompletableFuture.completedFuture(new Reply(null, 202));
        }
        if (!(id instanceof String) && !(id instanceof Number)) {
            return CompletableFuture.completedFuture(error(
                    null,
                    new ModernError(
                            ModernError.INVALID_REQUEST,
                            "Invalid Request: 'id' must be a string or a number",
                            null,
                            400)));
        }
        try {
            Object rawParams = message.get("params");
            if (rawParams != null && !(rawParams instanceof Map<?, ?>)) {
                throw ModernError.badEnvelope("Invalid params: 'params' must be an object");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> params = rawParams == null ? Map.of() : (Map<String, Object>) rawParams;
            RequestMeta meta = RequestEnvelope.decode(params.get("_meta"), bearerToken, json);
            return relay(id, method, dispatch(id, method, params, meta, stream));
        } catch (ModernError e) {
            return CompletableFuture.completedFuture(error(id, e));
        }
    }

    private CompletableFuture<Map<String, Object>> dispatch(
            Object id,
            String method,
            Map<String, Object> params,
            RequestMeta meta,
            Consumer<Map<String, Object>> stream)
            throws ModernError {
        return switch (method) {
            case "server/discover" -> CompletableFuture.completedFuture(discover());
            case "tools/list" -> listed(params, "tools", toolList());
            case "tools/call" -> callTool(params, meta, stream);
            case "resources/list" ->
                listed(
                        params,
                        "resources",
                        hub.resources().stream()
                                .map(ToolHub.HubResource::resource)
                                .sorted(Comparator.comparing(McpSchema.Resource::uri))
                                .map(r -> (Object) r)
                                .toList());
            case "resources/templates/list" ->
                listed(
                        params,
                        "resourceTemplates",
                        hub.resourceTemplates().stream()
                                .map(ToolHub.HubResourceTemplate::template)
                                .sorted(Comparator.comparing(McpSchema.ResourceTemplate::uriTemplate))
                                .map(t -> (Object) t)
                                .toList());
            case "resources/read" -> readResource(params, meta, stream);
            case "prompts/list" ->
                listed(
                        params,
                        "prompts",
                        hub.prompts().stream()
                                .map(ToolHub.HubPrompt::prompt)
                                .sorted(Comparator.comparing(McpSchema.Prompt::name))
                                .map(p -> (Object) p)
                                .toList());
            case "prompts/get" -> getPrompt(params, meta, stream);
            case "completion/complete" -> complete(params);
            case "subscriptions/listen" -> subscriptions.listen(id, params, stream);
            default ->
                throw ModernError.methodNotFound("Method not found: '" + method + "'"
                        + (LEGACY_ONLY.contains(method)
                                ? " does not exist in protocol 2026-07-28; it belongs to the initialize-based versions (2025-11-25"
                                        + " and older): send 'initialize' without _meta."
                                        + RequestEnvelope.PROTOCOL_VERSION
                                        + " to open a legacy session"
                                : ""));
        };
    }

    /** Ends open listen subscriptions (with their final result); the hub is the caller's to close. */
    @Override
    public void close() {
        subscriptions.close();
        parked.close();
    }

    // ---- server/discover ----

    private Map<String, Object> discover() {
        Map<String, Object> result = new LinkedHashMap<>();
        // Only the versions served per request: older ones are negotiated by initialize (as the TypeScript SDK's
        // dual-era server does), and listing them here would invite a client to claim one in _meta.
        result.put("supportedVersions", McpVersions.MODERN);
        result.put("capabilities", capabilities());
        // The body copy is the pre-#3002 shape some clients (the conformance suite's) still read.
        result.put("serverInfo", serverInfo());
        if (options.instructions() != null) {
            result.put("instructions", options.instructions());
        }
        return cacheable(result);
    }

    private Map<String, Object> capabilities() {
        Map<String, Object> caps = new LinkedHashMap<>();
        caps.put("tools", Map.of("listChanged", true));
        caps.put("resources", Map.of("subscribe", hub.resourceSubscriptions(), "listChanged", true));
        caps.put("prompts", Map.of("listChanged", true));
        caps.put("logging", Map.of());
        caps.put("completions", Map.of());
        return caps;
    }

    /** The served tool's input schema, so that the HTTP front can check its {@code Mcp-Param-*} headers. */
    @Override
    public Map<String, Object> toolInputSchema(String name, String bearerToken) {
        if (options.agentTools() != null) {
            for (McpSchema.Tool t : options.agentTools().tools()) {
                if (t.name().equals(name)) {
                    return t.inputSchema();
                }
            }
        }
        for (ToolHub.HubTool t : hub.tools()) {
            if (t.qualifiedName().equals(name)) {
                return t.tool().inputSchema();
            }
        }
        return null;
    }

    // ---- lists ----

    private List<Object> toolList() {
        List<McpSchema.Tool> tools = new ArrayList<>();
        if (options.agentTools() != null) {
            tools.addAll(options.agentTools().tools());
        }
        hub.tools().forEach(t -> tools.add(t.tool()));
        tools.sort(Comparator.comparing(McpSchema.Tool::name));
        return new ArrayList<>(tools);
    }

    /** One page holds everything, so no cursor was ever issued: any cursor is one this server does not know. */
    private CompletableFuture<Map<String, Object>> listed(Map<String, Object> params, String key, List<Object> items)
            throws ModernError {
        Object cursor = params.get("cursor");
        if (cursor != null) {
            throw ModernError.invalidParams("Invalid params: cursor '" + cursor + "' was not issued by this server"
                    + " (its lists fit in one page: ask again without a cursor)");
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put(key, items.stream().map(i -> json.convertValue(i, MAP)).toList());
        return CompletableFuture.completedFuture(cacheable(result));
    }

    /** {@code ttlMs} and {@code cacheScope} (spec {@code server/utilities/caching}). */
    private Map<String, Object> cacheable(Map<String, Object> result) {
        result.put("ttlMs", options.listTtl().toMillis());
        // What Toolhost serves sits behind its bearer token: never for shared caches.
        result.put("cacheScope", "private");
        return result;
    }

    // ---- tools/call ----

    private CompletableFuture<Map<String, Object>> callTool(
            Map<String, Object> params, RequestMeta meta, Consumer<Map<String, Object>> stream) throws ModernError {
        McpRequest request = mrtrRequest("tools/call", params, meta, "name");
        RequestStream sink = new RequestStream(meta, stream);
        ToolProvider agent = options.agentTools();
        CompletableFuture<Outcome<McpSchema.CallToolResult>> call;
        if (agent != null && agent.tools().stream().anyMatch(t -> t.name().equals(request.name()))) {
            call = agent.call(request, sink);
            call.whenComplete((o, e) -> sink.close());
        } else {
            call = parkable(request, sink, context -> hub.callTool(request, context));
        }
        return map(call, outcome -> {
            if (outcome instanceof Outcome.InputRequired<McpSchema.CallToolResult> needed) {
                return inputRequired(request.name(), needed, meta);
            }
            McpSchema.CallToolResult result = ((Outcome.Complete<McpSchema.CallToolResult>) outcome).result();
            return new LinkedHashMap<>(json.convertValue(TrustedToolOutput.withTextFallback(result, json), MAP));
        });
    }

    /**
     * Runs a hub request whose legacy downstream server may ask something meanwhile (elicitation, sampling, roots):
     * that parks it and the caller gets {@code input_required} (see {@link ParkedCalls}); a retry naming a parked call
     * resumes it. One path for {@code tools/call}, {@code prompts/get} and {@code resources/read}.
     */
    private <T> CompletableFuture<Outcome<T>> parkable(
            McpRequest request, RequestStream sink, Function<CallContext, CompletableFuture<Outcome<T>>> run)
            throws ModernError {
        CompletableFuture<Outcome<T>> call = ParkedCalls.isParkedState(request.requestState())
                ? parked.resume(request, sink)
                : parked.start(request, sink, run);
        call.whenComplete((o, e) -> sink.close());
        return call;
    }

    /** The request model's request from a 2026-07-28 request's params (MRTR fields taken out). */
    private static McpRequest mrtrRequest(String method, Map<String, Object> params, RequestMeta meta, String nameKey)
            throws ModernError {
        if (!(params.get(nameKey) instanceof String)) {
            throw ModernError.invalidParams("Invalid params: '" + nameKey + "' is missing or not a string");
        }
        Object args = params.get("arguments");
        if (args != null && !(args instanceof Map<?, ?>)) {
            throw ModernError.invalidParams("Invalid params: 'arguments' must be an object");
        }
        Object responses = params.get("inputResponses");
        if (responses != null && !(responses instanceof Map<?, ?>)) {
            throw ModernError.invalidParams(
                    "Invalid params: 'inputResponses' must be an object keyed as the" + " inputRequests were");
        }
        Object state = params.get("requestState");
        if (state != null && !(state instanceof String)) {
            throw ModernError.invalidParams("Invalid params: 'requestState' must be the string the server sent");
        }
        Map<String, Object> rest = new HashMap<>(params);
        rest.remove("_meta");
        rest.remove("inputResponses");
        rest.remove("requestState");
        if (args == null && method.equals("tools/call")) {
            rest.put("arguments", Map.of());
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> answers = (Map<String, Object>) responses;
        return new McpRequest(method, rest, meta, answers, (String) state);
    }

    /**
     * The {@code input_required} result; -32021 when an input request needs a capability the request did not
     * declare (nobody could answer it).
     */
    private Map<String, Object> inputRequired(String tool, Outcome.InputRequired<?> needed, RequestMeta meta) {
        Map<String, Object> requests = new LinkedHashMap<>();
        Map<String, Object> missing = new LinkedHashMap<>();
        needed.inputRequests().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> {
                    InputRequest r = e.getValue();
                    Map<String, Object> capability = meta.missingCapability(r);
                    if (capability != null) {
                        capability.forEach((k, v) -> missing.merge(k, v, ModernDispatcher::both));
                    }
                    Map<String, Object> entry = new LinkedHashMap<>();
                    entry.put("method", r.method());
                    entry.put("params", r.params());
                    requests.put(e.getKey(), entry);
                });
        if (!missing.isEmpty()) {
            throw new CompletionException(new ModernError(
                    ModernError.MISSING_CAPABILITY,
                    "'" + tool + "' needs "
                            + String.join(" and ", missing.keySet()) + " from the client, but this request's _meta."
                            + RequestEnvelope.CLIENT_CAPABILITIES + " does not declare it; declare it (and answer the"
                            + " input_required result) to proceed",
                    Map.of("requiredCapabilities", missing),
                    400));
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("resultType", "input_required");
        result.put("inputRequests", requests);
        if (needed.requestState() != null) {
            result.put("requestState", needed.requestState());
        }
        return result;
    }

    /** Two requests' needs of one capability: a form and a URL elicitation need both modes. */
    @SuppressWarnings("unchecked")
    private static Object both(Object a, Object b) {
        Map<String, Object> merged = new LinkedHashMap<>((Map<String, Object>) a);
        merged.putAll((Map<String, Object>) b);
        return merged;
    }

    // ---- resources and prompts ----

    /**
     * A 2026-07-28 server's {@code input_required} rounds pass through, and a legacy server's requests park the read,
     * as {@code tools/call}'s do.
     */
    private CompletableFuture<Map<String, Object>> readResource(
            Map<String, Object> params, RequestMeta meta, Consumer<Map<String, Object>> stream) throws ModernError {
        McpRequest request = mrtrRequest("resources/read", params, meta, "uri");
        String uri = (String) params.get("uri");
        CompletableFuture<Outcome<McpSchema.ReadResourceResult>> read =
                parkable(request, new RequestStream(meta, stream), context -> hub.readResource(request, context));
        CompletableFuture<Map<String, Object>> out = new CompletableFuture<>();
        read.whenComplete((o, e) -> {
            if (o instanceof Outcome.InputRequired<McpSchema.ReadResourceResult> needed) {
                try {
                    out.complete(inputRequired(uri, needed, meta));
                } catch (CompletionException x) {
                    out.completeExceptionally(x.getCause());
                }
                return;
            }
            McpSchema.ReadResourceResult r =
                    o == null ? null : ((Outcome.Complete<McpSchema.ReadResourceResult>) o).result();
            Throwable cause = unwrap(e);
            // A retry's refused requestState is an IllegalArgumentException too, and no sign of a missing resource.
            if ((cause instanceof IllegalArgumentException && request.requestState() == null)
                    || isNotFound(cause)
                    || (cause == null
                            && (r == null
                                    || r.contents() == null
                                    || r.contents().isEmpty()))) {
                out.completeExceptionally(ModernError.invalidParams(
                        "Resource not found: '" + uri + "'" + (cause == null ? "" : " (" + cause.getMessage() + ")"),
                        Map.of("uri", uri)));
            } else if (cause != null) {
                out.completeExceptionally(cause);
            } else {
                out.complete(cacheable(new LinkedHashMap<>(json.convertValue(r, MAP))));
            }
        });
        out.whenComplete((r, e) -> {
            if (out.isCancelled()) {
                read.cancel(true);
            }
        });
        return out;
    }

    private static boolean isNotFound(Throwable e) {
        return e instanceof McpError m
                && m.getJsonRpcError() != null
                && (m.getJsonRpcError().code() == McpSchema.ErrorCodes.RESOURCE_NOT_FOUND
                        || m.getJsonRpcError().code() == McpSchema.ErrorCodes.INVALID_PARAMS);
    }

    /**
     * Relayed as {@code tools/call} is: a 2026-07-28 server's {@code input_required} rounds pass through, a legacy
     * server's requests park it.
     */
    private CompletableFuture<Map<String, Object>> getPrompt(
            Map<String, Object> params, RequestMeta meta, Consumer<Map<String, Object>> stream) throws ModernError {
        McpRequest request = mrtrRequest("prompts/get", params, meta, "name");
        RequestStream sink = new RequestStream(meta, stream);
        return map(parkable(request, sink, context -> hub.getPrompt(request, context)), outcome -> {
            if (outcome instanceof Outcome.InputRequired<McpSchema.GetPromptResult> needed) {
                return inputRequired(request.name(), needed, meta);
            }
            return new LinkedHashMap<>(
                    json.convertValue(((Outcome.Complete<McpSchema.GetPromptResult>) outcome).result(), MAP));
        });
    }

    /** Passed through to the server that offers the prompt or template (see {@link ToolHub#complete}). */
    private CompletableFuture<Map<String, Object>> complete(Map<String, Object> params) throws ModernError {
        Map<String, Object> rest = new HashMap<>(params);
        rest.remove("_meta");
        McpSchema.CompleteRequest request;
        try {
            request = json.convertValue(rest, McpSchema.CompleteRequest.class);
        } catch (RuntimeException e) {
            throw ModernError.invalidParams("Invalid params: completion/complete needs 'ref' (ref/prompt or"
                    + " ref/resource) and 'argument' {name, value}");
        }
        if (request.ref() == null || request.argument() == null) {
            throw ModernError.invalidParams("Invalid params: completion/complete needs 'ref' and 'argument'");
        }
        return map(hub.complete(request), r -> new LinkedHashMap<>(json.convertValue(r, MAP)));
    }

    // ---- replies ----

    /** The response for a result (or failure), stamped with resultType and serverInfo; cancel passes through. */
    private CompletableFuture<Reply> relay(Object id, String method, CompletableFuture<Map<String, Object>> result) {
        CompletableFuture<Reply> reply = new CompletableFuture<>();
        result.whenComplete((r, e) -> {
            if (e != null) {
                reply.complete(error(id, asError(method, e)));
                return;
            }
            Map<String, Object> stamped = new LinkedHashMap<>(r);
            stamped.putIfAbsent("resultType", "complete");
            Map<String, Object> meta = new LinkedHashMap<>();
            if (r.get("_meta") instanceof Map<?, ?> existing) {
                existing.forEach((k, v) -> meta.put(String.valueOf(k), v));
            }
            meta.put(RequestEnvelope.SERVER_INFO, serverInfo());
            stamped.put("_meta", meta);
            Map<String, Object> response = new LinkedHashMap<>();
            response.put("jsonrpc", "2.0");
            response.put("id", id);
            response.put("result", stamped);
            reply.complete(new Reply(response, 200));
        });
        reply.whenComplete((r, e) -> {
            if (reply.isCancelled()) {
                result.cancel(true);
            }
        });
        return reply;
    }

    private static Reply error(Object id, ModernError e) {
        return new Reply(e.response(id), e.httpStatus);
    }

    private static ModernError asError(String method, Throwable failure) {
        Throwable e = unwrap(failure);
        if (e instanceof ModernError m) {
            return m;
        }
        if (e instanceof IllegalArgumentException) {
            return ModernError.invalidParams("Invalid params: " + e.getMessage());
        }
        if (e instanceof McpError m && m.getJsonRpcError() != null) {
            int code = m.getJsonRpcError().code() == McpSchema.ErrorCodes.RESOURCE_NOT_FOUND
                    ? ModernError.INVALID_PARAMS
                    : m.getJsonRpcError().code();
            // A downstream server's -32020/-32021/-32022 keeps the status the transport gives those codes.
            return new ModernError(
                    code, m.getJsonRpcError().message(), m.getJsonRpcError().data(), ModernError.httpStatus(code));
        }
        if (e instanceof CancellationException) {
            return ModernError.internal(method + " was cancelled before it finished");
        }
        return ModernError.internal(method + " failed: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
    }

    private static Throwable unwrap(Throwable e) {
        while (e instanceof CompletionException && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    /** {@code source.thenApply(fn)} where cancelling the result cancels {@code source}. */
    private static <T> CompletableFuture<Map<String, Object>> map(
            CompletableFuture<T> source, Function<T, Map<String, Object>> fn) {
        CompletableFuture<Map<String, Object>> derived = source.thenApply(fn);
        derived.whenComplete((r, e) -> {
            if (derived.isCancelled()) {
                source.cancel(true);
            }
        });
        return derived;
    }
}
