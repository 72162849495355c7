package dev.toolhost.mcp.client.modern;

import dev.toolhost.mcp.core.Caller;
import dev.toolhost.mcp.core.InputRequest;
import dev.toolhost.mcp.core.McpVersions;
import dev.toolhost.mcp.core.Outcome;
import dev.toolhost.mcp.core.RequestMeta;
import io.modelcontextprotocol.spec.McpClientTransport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A 2026-07-28 client for one server over a {@link Wire}: every request carries its own {@code _meta}
 * (version, client info, the capabilities Toolhost can honour for it), versions are negotiated through
 * {@code UnsupportedProtocolVersionError} (-32022), results are read by {@code resultType}.
 * Spec: {@code basic/index}, {@code basic/versioning}, {@code server/discover}, {@code basic/patterns/mrtr}.
 */
public final class ModernClient implements AutoCloseable {
    /** Pages of one list before giving up on a server that never stops paginating. */
    private static final int MAX_PAGES = 100;

    /** What {@code server/discover} said. */
    public record Discovery(
            String version,
            List<String> supportedVersions,
            Map<String, Object> capabilities,
            Map<String, Object> serverInfo,
            String instructions) {}

    /**
     * One list, all pages.
     *
     * @param ttlMs      how long it may be used without asking again (0: not at all); the smallest of the pages
     * @param cacheScope {@code public} or {@code private}
     */
    public record Listing(List<Map<String, Object>> items, long ttlMs, String cacheScope) {}

    private final Wire wire;
    private final String server;
    private final Map<String, Object> clientInfo;
    private final Consumer<String> warnings;
    private final Map<String, Map<String, List<String>>> headerParams = new ConcurrentHashMap<>();
    private volatile String version = McpVersions.MODERN_LATEST;
    private volatile Discovery discovery;

    ModernClient(Wire wire, String server, Map<String, Object> clientInfo, Consumer<String> warnings) {
        this.wire = wire;
        this.server = server;
        this.clientInfo = Map.copyOf(clientInfo);
        this.warnings = warnings;
    }

    public String version() {
        return version;
    }

    public Discovery discovery() {
        return discovery;
    }

    public boolean isHttp() {
        return wire.isHttp();
    }

    /**
     * {@code server/discover}, negotiating the version: a -32022 naming a version Toolhost speaks is retried
     * at that version; one naming none fails with {@link ServerErrorException} (never a fallback to legacy).
     */
    public CompletableFuture<Discovery> discover() {
        return send(ModernProtocol.DISCOVER, new LinkedHashMap<>(), meta(null, Map.of()), Map.of(), n -> {})
                .thenApply(result -> {
                    Map<String, Object> meta = Json.object(result.get("_meta"));
                    Map<String, Object> info =
                            meta == null ? null : Json.object(meta.get(ModernProtocol.META_SERVER_INFO));
                    if (info == null) {
                        info = Json.object(result.get("serverInfo")); // the pre-#3002 shape some servers send
                    }
                    List<String> supported = new ArrayList<>();
                    if (result.get("supportedVersions") instanceof List<?> l) {
                        l.forEach(v -> supported.add(String.valueOf(v)));
                    }
                    if (supported.isEmpty()) {
                        // Not a DiscoverResult (some legacy servers answer any method with an empty result).
                        throw new CompletionException(new ServerErrorException(
                                0, "the answer to server/discover names no" + " supportedVersions", null, -1));
                    }
                    if (!supported.contains(version)) {
                        String pick = pick(supported);
                        if (pick == null) {
                            throw new CompletionException(new ServerErrorException(
                                    ModernProtocol.UNSUPPORTED_VERSION,
                                    "MCP server '" + server + "' supports " + supported + ", none of which Toolhost"
                                            + " speaks (" + McpVersions.MODERN + ")",
                                    null,
                                    -1));
                        }
                        use(pick);
                    }
                    Map<String, Object> caps = Json.object(result.get("capabilities"));
                    Discovery d = new Discovery(
                            version,
                            List.copyOf(supported),
                            caps == null ? Map.of() : caps,
                            info == null ? Map.of() : info,
                            result.get("instructions") instanceof String s ? s : null);
                    discovery = d;
                    return d;
                });
    }

    /** All pages of a list: {@code tools/list}, {@code prompts/list}, {@code resources/list}, ... */
    public CompletableFuture<Listing> list(String method, String key) {
        return page(method, key, null, new ArrayList<>(), Long.MAX_VALUE, null, 0)
                .thenApply(listing -> {
                    if (method.equals("tools/list") && wire.isHttp()) {
                        return new Listing(checkHeaders(listing.items()), listing.ttlMs(), listing.cacheScope());
                    }
                    return listing;
                });
    }

    private CompletableFuture<Listing> page(
            String method,
            String key,
            String cursor,
            List<Map<String, Object>> items,
            long ttl,
            String scope,
            int pages) {
        Map<String, Object> params = new LinkedHashMap<>();
        if (cursor != null) {
            params.put("cursor", cursor);
        }
        return send(method, params, meta(null, Map.of()), Map.of(), n -> {}).thenCompose(result -> {
            if (result.get(key) instanceof List<?> l) {
                l.forEach(item -> {
                    Map<String, Object> m = Json.object(item);
                    if (m != null) {
                        items.add(m);
                    }
                });
            }
            long pageTtl = result.get("ttlMs") instanceof Number n ? Math.max(0, n.longValue()) : 0;
            long minTtl = Math.min(ttl, pageTtl);
            String pageScope = scope != null ? scope : result.get("cacheScope") instanceof String s ? s : "private";
            if (result.get("nextCursor") instanceof String next && pages + 1 < MAX_PAGES) {
                return page(method, key, next, items, minTtl, pageScope, pages + 1);
            }
            return CompletableFuture.completedFuture(new Listing(List.copyOf(items), minTtl, pageScope));
        });
    }

    /** Tools with an invalid {@code x-mcp-header} are left out, with a warning; the rest keep their headers. */
    private List<Map<String, Object>> checkHeaders(List<Map<String, Object>> tools) {
        List<Map<String, Object>> kept = new ArrayList<>();
        headerParams.clear();
        for (Map<String, Object> tool : tools) {
            String name = tool.get("name") instanceof String s ? s : null;
            try {
                Map<String, List<String>> headers = HeaderValues.annotations(Json.object(tool.get("inputSchema")));
                if (name != null && !headers.isEmpty()) {
                    headerParams.put(name, headers);
                }
                kept.add(tool);
            } catch (IllegalArgumentException e) {
                warnings.accept("MCP server '" + server + "': tool '" + name + "' left out: " + e.getMessage());
            }
        }
        return kept;
    }

    /**
     * One round of {@code tools/call}: complete, or input-required (the caller answers and retries with
     * {@code inputResponses} and the {@code requestState} byte-exact).
     *
     * @param upstream      who is calling: its capabilities bound the ones declared here, its trace keys and
     *                      log level pass through
     * @param progressToken sent as {@code _meta.progressToken}
     * @param notifications this request's progress and log messages
     * @param toResult      converts the complete result's JSON
     */
    public <R> CompletableFuture<Outcome<R>> callTool(
            String tool,
            Map<String, Object> arguments,
            Map<String, Object> inputResponses,
            String requestState,
            RequestMeta upstream,
            Object progressToken,
            Consumer<Map<String, Object>> notifications,
            Function<Map<String, Object>, R> toResult) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("name", tool);
        params.put("arguments", arguments == null ? Map.of() : arguments);
        if (inputResponses != null && !inputResponses.isEmpty()) {
            params.put("inputResponses", inputResponses);
        }
        if (requestState != null) {
            params.put("requestState", requestState);
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        if (progressToken != null) {
            extra.put("progressToken", progressToken);
        }
        Map<String, Object> meta = meta(upstream, extra);
        Map<String, Object> caps = new LinkedHashMap<>(Json.object(meta.get(ModernProtocol.META_CLIENT_CAPABILITIES)));
        caps.put("extensions", Map.of(Tasks.EXTENSION, Map.of()));
        meta.put(ModernProtocol.META_CLIENT_CAPABILITIES, caps);
        Map<String, List<String>> annotated = headerParams.get(tool);
        Map<String, String> headers = annotated == null || !wire.isHttp()
                ? Map.of()
                : HeaderValues.params(annotated, arguments == null ? Map.of() : arguments);
        CompletableFuture<Map<String, Object>> sent = send("tools/call", params, meta, headers, notifications);
        CompletableFuture<Outcome<R>> outcome = new CompletableFuture<>();
        AtomicReference<Tasks> task = new AtomicReference<>();
        sent.whenComplete((result, e) -> {
            if (e != null) {
                outcome.completeExceptionally(
                        e instanceof CompletionException && e.getCause() != null ? e.getCause() : e);
            } else if (Tasks.RESULT_TYPE.equals(result.get("resultType"))) {
                Tasks t = new Tasks(this, server, result);
                task.set(t);
                t.poll().whenComplete((done, x) -> {
                    if (x != null) {
                        outcome.completeExceptionally(
                                x instanceof CompletionException && x.getCause() != null ? x.getCause() : x);
                    } else {
                        try {
                            outcome.complete(outcome(done, toResult));
                        } catch (RuntimeException y) {
                            outcome.completeExceptionally(y.getCause() != null ? y.getCause() : y);
                        }
                    }
                });
            } else {
                try {
                    outcome.complete(outcome(result, toResult));
                } catch (RuntimeException y) {
                    outcome.completeExceptionally(
                            y instanceof CompletionException && y.getCause() != null ? y.getCause() : y);
                }
            }
        });
        outcome.whenComplete((r, e) -> {
            if (outcome.isCancelled()) {
                sent.cancel(true);
                Tasks t = task.get();
                if (t != null) {
                    t.cancel();
                }
            }
        });
        return outcome;
    }

    /** A result by its {@code resultType} (absent: complete, as from a legacy peer). */
    private <R> Outcome<R> outcome(Map<String, Object> result, Function<Map<String, Object>, R> toResult) {
        Object type = result.get("resultType");
        if (type == null || "complete".equals(type)) {
            Map<String, Object> copy = new LinkedHashMap<>(result);
            copy.remove("resultType");
            return Outcome.complete(toResult.apply(copy));
        }
        if ("input_required".equals(type)) {
            Map<String, InputRequest> requests = new LinkedHashMap<>();
            Map<String, Object> raw = Json.object(result.get("inputRequests"));
            if (raw != null) {
                raw.forEach((key, value) -> {
                    Map<String, Object> r = Json.object(value);
                    if (r != null && r.get("method") instanceof String method) {
                        requests.put(key, new InputRequest(method, Json.object(r.get("params"))));
                    }
                });
            }
            Object state = result.get("requestState");
            if (requests.isEmpty() && !(state instanceof String)) {
                throw new CompletionException(new ServerErrorException(
                        -32603,
                        "MCP server '" + server + "' answered"
                                + " input_required with neither inputRequests nor requestState",
                        null,
                        -1));
            }
            return new Outcome.InputRequired<>(requests, state instanceof String s ? s : null);
        }
        throw new CompletionException(new ServerErrorException(
                -32603,
                "MCP server '" + server + "' answered with resultType '" + type + "', which Toolhost does not know",
                null,
                -1));
    }

    /**
     * One round of a request other than {@code tools/call} that may answer {@code input_required}
     * ({@code prompts/get}, {@code resources/read}): {@code params} without {@code _meta}; the retry's
     * {@code inputResponses} and {@code requestState} (null on a first round) go with it. Fails with
     * {@link ServerErrorException} when the server answers with a JSON-RPC error.
     */
    public <R> CompletableFuture<Outcome<R>> requestRound(
            String method,
            Map<String, Object> params,
            Map<String, Object> inputResponses,
            String requestState,
            RequestMeta upstream,
            Function<Map<String, Object>, R> toResult) {
        Map<String, Object> p = new LinkedHashMap<>(params);
        if (inputResponses != null && !inputResponses.isEmpty()) {
            p.put("inputResponses", inputResponses);
        }
        if (requestState != null) {
            p.put("requestState", requestState);
        }
        CompletableFuture<Map<String, Object>> sent = send(method, p, meta(upstream, Map.of()), Map.of(), n -> {});
        CompletableFuture<Outcome<R>> outcome = sent.thenApply(r -> outcome(r, toResult));
        outcome.whenComplete((r, e) -> {
            if (outcome.isCancelled()) {
                sent.cancel(true);
            }
        });
        return outcome;
    }

    /** Any other request (prompts/get, resources/read, ...), complete results only. */
    public CompletableFuture<Map<String, Object>> request(
            String method, Map<String, Object> params, RequestMeta upstream) {
        return send(method, new LinkedHashMap<>(params), meta(upstream, Map.of()), Map.of(), n -> {});
    }

    /**
     * {@code subscriptions/listen} for list changes: runs until the server ends it or the returned future is
     * cancelled; every notification goes to {@code notifications}.
     */
    public CompletableFuture<Map<String, Object>> listen(
            Map<String, Object> wanted, Consumer<Map<String, Object>> notifications) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("notifications", wanted);
        return send(ModernProtocol.LISTEN, params, meta(null, Map.of()), Map.of(), notifications);
    }

    /** Sends with {@code _meta}; a -32022 naming a version Toolhost speaks is retried once at that version. */
    private CompletableFuture<Map<String, Object>> send(
            String method,
            Map<String, Object> params,
            Map<String, Object> meta,
            Map<String, String> headers,
            Consumer<Map<String, Object>> notifications) {
        CompletableFuture<Map<String, Object>> first =
                wire.request(method, withMeta(params, meta), headers, notifications);
        AtomicReference<CompletableFuture<Map<String, Object>>> current = new AtomicReference<>(first);
        CompletableFuture<Map<String, Object>> result = first.handle((r, e) -> {
                    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                    if (cause instanceof ServerErrorException rpc && rpc.code() == ModernProtocol.UNSUPPORTED_VERSION) {
                        String pick = pick(supported(rpc.data()));
                        if (pick == null) {
                            return CompletableFuture.<Map<String, Object>>failedFuture(new ServerErrorException(
                                    rpc.code(),
                                    "MCP server '" + server + "' does not support protocol version " + version
                                            + " (it supports "
                                            + supported(rpc.data()) + ")",
                                    rpc.data(),
                                    rpc.httpStatus()));
                        }
                        use(pick);
                        Map<String, Object> retryMeta = new LinkedHashMap<>(meta);
                        retryMeta.put(ModernProtocol.META_PROTOCOL_VERSION, pick);
                        CompletableFuture<Map<String, Object>> retry =
                                wire.request(method, withMeta(params, retryMeta), headers, notifications);
                        current.set(retry);
                        return retry;
                    }
                    return e == null
                            ? CompletableFuture.completedFuture(r)
                            : CompletableFuture.<Map<String, Object>>failedFuture(cause);
                })
                .thenCompose(f -> f);
        result.whenComplete((r, e) -> {
            if (result.isCancelled()) {
                current.get().cancel(true);
            }
        });
        return result;
    }

    private void use(String v) {
        version = v;
        wire.protocolVersion(v);
    }

    private static List<String> supported(Object data) {
        List<String> out = new ArrayList<>();
        Map<String, Object> d = Json.object(data);
        if (d != null && d.get("supported") instanceof List<?> l) {
            l.forEach(v -> out.add(String.valueOf(v)));
        }
        return out;
    }

    private static String pick(List<String> offered) {
        for (String v : McpVersions.MODERN) {
            if (offered.contains(v)) {
                return v;
            }
        }
        return null;
    }

    private static Map<String, Object> withMeta(Map<String, Object> params, Map<String, Object> meta) {
        Map<String, Object> p = new LinkedHashMap<>(params);
        p.put("_meta", meta);
        return p;
    }

    /**
     * {@code _meta} for one request: version, client info, and only the capabilities Toolhost can honour for
     * it (elicitation, sampling and roots, when the upstream caller can answer them); the upstream log level and
     * trace keys.
     */
    Map<String, Object> meta(RequestMeta upstream, Map<String, Object> extra) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put(ModernProtocol.META_PROTOCOL_VERSION, version);
        meta.put(ModernProtocol.META_CLIENT_INFO, clientInfo);
        Map<String, Object> caps = new LinkedHashMap<>();
        if (upstream != null) {
            if (upstream.canElicit()) {
                Map<String, Object> elicitation = Json.object(
                        Json.MAPPER.convertValue(upstream.clientCapabilities().elicitation(), Map.class));
                caps.put("elicitation", elicitation == null ? Map.of() : elicitation);
            }
            if (upstream.canSample()) {
                caps.put("sampling", Map.of());
            }
            if (upstream.canListRoots()) {
                caps.put("roots", Map.of()); // only under forward_roots: see ServerConnection.downstreamMeta
            }
            if (upstream.logLevel() != null) {
                meta.put(
                        ModernProtocol.META_LOG_LEVEL,
                        upstream.logLevel().name().toLowerCase());
            } else if (Caller.local().equals(upstream.caller())) {
                meta.put(ModernProtocol.META_LOG_LEVEL, "info"); // Toolhost itself shows a server's log messages
            }
            upstream.traceContext().forEach((k, v) -> {
                if (ModernProtocol.TRACE_KEYS.contains(k)) {
                    meta.put(k, v);
                }
            });
        }
        meta.put(ModernProtocol.META_CLIENT_CAPABILITIES, caps);
        meta.putAll(extra);
        return meta;
    }

    /**
     * stdio: the running process as a transport for a legacy SDK session ({@code initialize} on the process the
     * probe started); null over HTTP.
     */
    public McpClientTransport handOver() {
        return wire.handOver();
    }

    /** The transport ended (a stdio process exited): what is in flight fails now. */
    public void terminated(String reason) {
        wire.terminated(reason);
    }

    @Override
    public void close() {
        wire.close();
    }
}
