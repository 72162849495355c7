package dev.toolhost.mcp.client;

import dev.toolhost.config.McpServerConfig;
import dev.toolhost.config.Redact;
import dev.toolhost.mcp.client.ToolHub.ServerStatus.State;
import dev.toolhost.mcp.client.modern.EraCache;
import dev.toolhost.mcp.client.modern.EraProbe;
import dev.toolhost.mcp.client.modern.ModernClient;
import dev.toolhost.mcp.client.modern.ModernProtocol;
import dev.toolhost.mcp.client.modern.NetworkFailures;
import dev.toolhost.mcp.client.modern.RequestStateEnvelope;
import dev.toolhost.mcp.client.modern.ServerErrorException;
import dev.toolhost.mcp.core.Futures;
import dev.toolhost.mcp.core.InputRequest;
import dev.toolhost.mcp.core.McpRequest;
import dev.toolhost.mcp.core.McpVersions;
import dev.toolhost.mcp.core.Outcome;
import dev.toolhost.mcp.core.RequestMeta;
import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpTransportException;
import io.modelcontextprotocol.spec.McpTransportSessionNotFoundException;
import java.io.IOException;
import java.lang.reflect.Type;
import java.net.ConnectException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * One MCP server as the hub sees it: an SDK client over a fresh transport per run, its tool, prompt
 * and resource lists, the calls in flight, and the restart policy. A crash fails this server's
 * in-flight calls at once; the next call restarts it (with backoff, at most
 * {@link #MAX_CONSECUTIVE_FAILURES} failures in a row). A start that fails is not retried until
 * {@link #restart} asks for it, and whatever it started is ended at once; a {@code url} server given up on is tried
 * again by a call once {@link Environment#urlRetryCooldown} has passed. Nothing here touches another server.
 *
 * <p>Its life is one value, {@link ConnectionState} (disabled, starting, ready with its session, failed with its
 * detail, closed), in one field: every change is made under this object's lock; a call reads the field once,
 * without the lock. The tool, prompt and resource lists are the last ones fetched and stay while the server is
 * down.
 */
final class ServerConnection {
    private static final Logger log = LoggerFactory.getLogger(ServerConnection.class);
    static final int MAX_CONSECUTIVE_FAILURES = 3;
    /**
     * How long a {@code url} server that Toolhost gave up on (a failed start, or more than
     * {@link #MAX_CONSECUTIVE_FAILURES} failures in a row) stays down before a call tries it again, counted from the
     * last failed attempt. Long enough that a server that is down costs callers one quick failed connect per 30 s,
     * not one per call; short enough that one that comes back (a redeploy, a restart) is in use again within half
     * a minute without restarting Toolhost. A stdio server is not retried (a crashing process stays down).
     */
    static final Duration URL_RETRY_COOLDOWN = Duration.ofSeconds(30);

    private static final long[] BACKOFF_MS = {0, 0, 1_000, 4_000};
    private static final int STDERR_LINES = 10;
    private static final TypeRef<Map<String, Object>> MAP = new TypeRef<>() {};
    private static final TypeRef<McpSchema.ProgressNotification> PROGRESS = new TypeRef<>() {};
    private static final TypeRef<McpSchema.LoggingMessageNotification> LOG_MESSAGE = new TypeRef<>() {};
    private static final TypeRef<McpSchema.ElicitRequest> ELICIT_REQUEST = new TypeRef<>() {};
    private static final TypeRef<McpSchema.CreateMessageRequest> CREATE_MESSAGE_REQUEST = new TypeRef<>() {};
    /** How long a session the server no longer knows stays open for the refusals of its calls in flight. */
    private static final Duration LOST_SESSION_CLOSE_DELAY = Duration.ofSeconds(10);
    /** The longest a stdio probe waits before taking silence for a legacy server (spec basic/versioning). */
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);

    private static final TypeRef<McpSchema.CallToolResult> CALL_TOOL_RESULT = new TypeRef<>() {};

    /** What every connection of one hub shares. */
    record Environment(
            ServerRequestHandler defaultHandler,
            Map<String, String> parentEnv,
            Path logDir,
            Path cwd,
            Executor executor,
            Consumer<String> warnings,
            Runnable toolsChanged,
            Runnable resourcesChanged,
            Runnable promptsChanged,
            McpSchema.Implementation clientInfo,
            EraCache eras,
            Consumer<String> resourceUpdated,
            Duration urlRetryCooldown) {}

    /**
     * One run of the server: a legacy SDK session ({@code client}, {@code calls}), or a 2026-07-28 client
     * ({@code modern}; then {@code client} and {@code calls} are null).
     *
     * @param raw the transport it runs on (a stdio one knows the pid and the stderr tail); null for a modern HTTP
     *     server
     * @param protocolVersion the negotiated version (either era)
     */
    private record Session(
            long generation,
            McpClientTransport raw,
            McpAsyncClient client,
            ToolCallChannel calls,
            McpSchema.ServerCapabilities capabilities,
            ModernClient modern,
            String protocolVersion) {
        Session(
                long generation,
                McpClientTransport raw,
                McpAsyncClient client,
                ToolCallChannel calls,
                McpSchema.ServerCapabilities capabilities,
                String protocolVersion) {
            this(generation, raw, client, calls, capabilities, null, protocolVersion);
        }

        void closeNow() {
            if (modern != null) {
                modern.close();
            } else {
                client.close();
            }
        }

        void closeGracefully() {
            if (modern != null) {
                modern.close();
            } else {
                client.closeGracefully().subscribe(v -> {}, x -> {});
            }
        }
    }

    /**
     * Where the server is in its life, with only the data valid there: only {@link Ready} has a session, only
     * {@link Failed} a detail. Held in {@link #state}: written under this connection's lock, read without it.
     */
    private sealed interface ConnectionState {
        /** As the hub's status shows it. */
        State shown();

        /** The failures in a row so far (none when disabled or closed). */
        default Failures failures() {
            return Failures.NONE;
        }

        /** {@code enabled = false}: never started. */
        record Disabled() implements ConnectionState {
            @Override
            public State shown() {
                return State.DISABLED;
            }
        }

        /** Not started yet, or a start under way. */
        record Starting(Failures failures) implements ConnectionState {
            @Override
            public State shown() {
                return State.STARTING;
            }
        }

        /** Up: calls go to {@code session}. */
        record Ready(Session session, Failures failures) implements ConnectionState {
            @Override
            public State shown() {
                return State.READY;
            }
        }

        /**
         * The last start failed, or the running server crashed.
         *
         * @param detail the one-line reason the status shows
         * @param startFailed a start failed: calls do not retry it, only {@link ServerConnection#restart} does (a
         *     {@code url} server's, also a call after the cool-down)
         */
        record Failed(String detail, boolean startFailed, Failures failures) implements ConnectionState {
            @Override
            public State shown() {
                return State.FAILED;
            }
        }

        /** The hub closed it: nothing starts it again (shown as failed, "closed"). */
        record Closed() implements ConnectionState {
            @Override
            public State shown() {
                return State.FAILED;
            }
        }
    }

    /**
     * Failures in a row, reset by a call that succeeds (not by a start: a server that starts and crashes again
     * keeps counting), and when the last one happened (the backoff counts from it).
     *
     * @param lastNanos {@link System#nanoTime} of the last failure
     */
    private record Failures(int inARow, long lastNanos) {
        static final Failures NONE = new Failures(0, 0);

        Failures plusOne() {
            return new Failures(inARow + 1, System.nanoTime());
        }
    }

    /** {@code settled} decides, on the spot, which of several racing outcomes a call gets. */
    private record InFlight(
            long seq,
            String token,
            String qualifiedName,
            CallContext context,
            CompletableFuture<Outcome<McpSchema.CallToolResult>> result,
            AtomicBoolean settled,
            CallClock clock,
            Session session,
            String requestId) {}

    final String name;
    /** Null for the local (built-in) server. */
    final McpServerConfig config;

    private final Supplier<McpClientTransport> localTransport;
    private final Environment env;
    private final Duration startupTimeout;
    private final Duration toolTimeout;
    private final Map<String, InFlight> inFlight = new ConcurrentHashMap<>();
    /**
     * A legacy session's requests other than {@code tools/call} in flight ({@code prompts/get},
     * {@code resources/read}), each under its caller's context: the server's requests and logs during them reach it.
     */
    private final Map<Long, CallContext> otherRequests = new ConcurrentHashMap<>();
    /** The {@code subscriptions/listen} following each subscribed resource of a 2026-07-28 server, by uri. */
    private final Map<String, CompletableFuture<Map<String, Object>>> resourceListens = new ConcurrentHashMap<>();

    private final AtomicLong seq = new AtomicLong();
    private final AtomicLong generations = new AtomicLong();

    /** Written only under this connection's lock; a call reads it once, without the lock. */
    private volatile ConnectionState state;

    private volatile List<McpSchema.Tool> tools = List.of();
    private volatile List<McpSchema.Prompt> prompts = List.of();
    private volatile List<McpSchema.Resource> resources = List.of();
    private volatile List<McpSchema.ResourceTemplate> templates = List.of();
    /** A restart under way (while the state is still failed, during its backoff), or null; under the lock. */
    private CompletableFuture<Session> restarting;
    /** When the modern lists must be fetched again ({@code ttlMs}); a refresh under way, or null. */
    private volatile long listsExpireNanos;

    private CompletableFuture<Void> refreshing;
    /**
     * A list change announced while {@link #refreshing} was under way (under the lock): that fetch may have been
     * answered before the change, so the lists are fetched once more when it ends.
     */
    private boolean refreshAgain;

    private volatile CompletableFuture<Map<String, Object>> listening;

    private ServerConnection(
            String name,
            McpServerConfig config,
            Supplier<McpClientTransport> localTransport,
            Environment env,
            Duration startupTimeout,
            Duration toolTimeout) {
        this.name = name;
        this.config = config;
        this.localTransport = localTransport;
        this.env = env;
        this.startupTimeout = startupTimeout;
        this.toolTimeout = toolTimeout;
        this.state = config != null && !config.enabled()
                ? new ConnectionState.Disabled()
                : new ConnectionState.Starting(Failures.NONE);
    }

    static ServerConnection external(McpServerConfig config, Environment env) {
        return new ServerConnection(config.name(), config, null, env, config.startupTimeout(), config.toolTimeout());
    }

    static ServerConnection local(
            String name, Supplier<McpClientTransport> transport, Environment env, Duration toolTimeout) {
        return new ServerConnection(name, null, transport, env, McpServerConfig.DEFAULT_STARTUP_TIMEOUT, toolTimeout);
    }

    boolean isLocal() {
        return config == null;
    }

    boolean isRequired() {
        return config != null && config.required();
    }

    State state() {
        return state.shown();
    }

    /** Why the server failed, or null. */
    String detail() {
        ConnectionState st = state;
        if (st instanceof ConnectionState.Failed f) {
            return f.detail() + retryNote(f);
        }
        return st instanceof ConnectionState.Closed ? "closed" : null;
    }

    /** The running session, or null. */
    private Session session() {
        return state instanceof ConnectionState.Ready r ? r.session() : null;
    }

    List<McpSchema.Tool> tools() {
        return tools;
    }

    List<McpSchema.Prompt> prompts() {
        return prompts;
    }

    List<McpSchema.Resource> resources() {
        return resources;
    }

    List<McpSchema.ResourceTemplate> templates() {
        return templates;
    }

    /** Whether {@code enabled_tools} / {@code disabled_tools} let this tool through. */
    boolean allows(String tool) {
        if (config == null) {
            return true;
        }
        if (config.enabledTools() != null && !config.enabledTools().contains(tool)) {
            return false;
        }
        return !config.disabledTools().contains(tool);
    }

    /** The pid of the running stdio child, or -1. */
    long pid() {
        Session s = session();
        return s != null && s.raw() instanceof LosslessStdioClientTransport stdio ? stdio.pid() : -1;
    }

    // ---------------------------------------------------------------- lifecycle

    /** Starts (or restarts) the server and waits for it; throws {@link ServerStartException} on failure. */
    void start() {
        startSession();
    }

    private Session startSession() {
        synchronized (this) {
            state = new ConnectionState.Starting(state.failures());
        }
        long deadline = System.nanoTime() + startupTimeout.toNanos();
        try {
            Session s = config == null ? connect(newTransport(false), deadline) : connectByEra(deadline);
            synchronized (this) {
                state = new ConnectionState.Ready(s, state.failures());
            }
            return s;
        } catch (RuntimeException e) {
            ServerStartException failure = e instanceof ServerStartException se
                    ? se
                    : new ServerStartException(name, "MCP server '" + name + "' failed to start: " + describe(e), e);
            synchronized (this) {
                state = new ConnectionState.Failed(
                        failure.getMessage(), true, state.failures().plusOne());
            }
            throw failure;
        }
    }

    /**
     * Legacy: streamable HTTP {@code initialize}, then HTTP+SSE on a 4xx (or stdio {@code initialize}); not after a
     * -32022, which only a server of the other era sends.
     */
    private Session connectLegacy(long deadline) {
        try {
            return connect(newTransport(false), deadline);
        } catch (ServerStartException e) {
            if (config.isStdio() || !HttpTransports.shouldFallBack(e) || unsupportedVersion(e) != null) {
                throw e;
            }
            return connect(newTransport(true), deadline);
        }
    }

    /**
     * The era the configuration pins ({@code protocol}), else the one found last time (probing again when that
     * no longer holds), else a probe ({@link EraProbe}).
     */
    private Session connectByEra(long deadline) {
        String pinned = config.protocol();
        if (McpServerConfig.PROTOCOL_LEGACY.equals(pinned)) {
            return connectLegacy(deadline);
        }
        if (McpServerConfig.PROTOCOL_MODERN.equals(pinned)) {
            return connectModern(deadline, false);
        }
        EraCache.Entry known = env.eras() == null ? null : env.eras().get(config);
        if (known != null) {
            try {
                return known.isModern() ? connectModern(deadline, false) : connectLegacy(deadline);
            } catch (ServerStartException e) {
                env.eras().forget(config);
                if (deadline - System.nanoTime() <= 0) {
                    throw e;
                }
                log.debug(
                        "MCP server '{}' no longer starts as {}; probing again: {}", name, known.era(), e.getMessage());
            }
        }
        return connectModern(deadline, true);
    }

    /**
     * A 2026-07-28 session: {@code server/discover} first. When {@code probing}, an answer that is not modern
     * means a legacy server, started afresh for {@code initialize} (a legacy server may misbehave after an
     * unknown method); otherwise it is an error.
     */
    private Session connectModern(long deadline, boolean probing) {
        McpClientTransport raw = config.isStdio() ? newTransport(false) : null;
        Map<String, Object> info = Map.of(
                "name", env.clientInfo().name(), "version", env.clientInfo().version());
        ModernClient client;
        try {
            client = raw != null
                    ? EraProbe.stdio(raw, name, info, env.warnings())
                    : EraProbe.http(
                            URI.create(config.url()),
                            HttpTransports.hooks(config, env.parentEnv()),
                            startupTimeout,
                            env.executor(),
                            name,
                            info,
                            env.warnings());
        } catch (RuntimeException e) {
            if (raw != null) {
                raw.close();
            }
            throw new ServerStartException(name, "MCP server '" + name + "' failed to start: " + describe(e), e);
        }
        Duration left = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
        // Silence over stdio means legacy: leave the other half of the startup time to initialize.
        Duration wait = !probing || raw == null ? left : min(left.dividedBy(2), PROBE_TIMEOUT);
        EraProbe.Verdict verdict = EraProbe.probe(client, wait);
        if (verdict instanceof EraProbe.Modern) {
            if (probing && env.eras() != null) {
                env.eras().put(config, client.version());
            }
            return modernSession(client, raw, deadline);
        }
        String tail = raw == null ? "" : stderrTail(raw);
        if (verdict instanceof EraProbe.Legacy legacy
                && probing
                && raw instanceof LosslessStdioClientTransport stdio
                && stdio.terminationReason() == null) {
            // Alive after a non-modern answer (or none): a legacy server, spoken to on the same process, so that
            // a server is started once. One that died on the unknown method gets a fresh process below.
            log.debug("MCP server '{}' is legacy ({}); initialize on the same process", name, legacy.why());
            Session s = connect(raw, client.handOver(), deadline);
            if (env.eras() != null) {
                env.eras().put(config, EraCache.LEGACY);
            }
            return s;
        }
        client.close();
        if (verdict instanceof EraProbe.Legacy legacy && probing && raw instanceof LosslessStdioClientTransport stdio) {
            // It ended while being probed: a failed start (starting it again would be a retry). A legacy server
            // that exits on an unknown method is spoken to with protocol = "legacy"; one whose process never
            // started was not probed at all, so the hint would mislead.
            String why = stdio.terminationReason() == null ? legacy.why() : stdio.terminationReason();
            String self = "MCP server '" + name + "' ";
            throw new ServerStartException(
                    name,
                    self + "failed to start: " + (why.startsWith(self) ? why.substring(self.length()) : why)
                            + (stdio.neverStarted()
                                    ? ""
                                    : " (while probing its MCP era with server/discover; if it is a legacy server"
                                            + " that exits on unknown methods, set protocol = \"legacy\")")
                            + tail,
                    null);
        }
        if (verdict instanceof EraProbe.Legacy legacy) {
            if (!probing) {
                throw new ServerStartException(
                        name,
                        "MCP server '" + name + "' failed to start: it does not speak "
                                + McpVersions.MODERN_LATEST + " (" + legacy.why() + "); remove protocol = \""
                                + config.protocol()
                                + "\" to let Toolhost find its era" + tail,
                        null);
            }
            log.debug("MCP server '{}' is legacy: {}", name, legacy.why());
            ServerStartException failure = null;
            try {
                Session s = connectLegacy(deadline);
                if (env.eras() != null) {
                    env.eras().put(config, EraCache.LEGACY);
                }
                return s;
            } catch (ServerStartException e) {
                failure = e;
            }
            throw failure;
        }
        EraProbe.Failed failed = (EraProbe.Failed) verdict;
        String cause = connectFailed(failed.cause())
                ? "cannot connect to " + Redact.url(config.url()) + " (connection refused or host unreachable)"
                : failed.why();
        throw new ServerStartException(
                name, "MCP server '" + name + "' failed to start: " + cause + tail, failed.cause());
    }

    private Session modernSession(ModernClient client, McpClientTransport raw, long deadline) {
        long generation = generations.incrementAndGet();
        if (raw instanceof LosslessStdioClientTransport stdio) {
            stdio.addTerminationListener(reason -> {
                client.terminated(reason);
                onTerminated(generation, reason);
            });
        }
        try {
            Map<String, Object> caps = client.discovery().capabilities();
            fetchModernLists(client, caps, deadline);
            Session s = new Session(
                    generation,
                    raw,
                    null,
                    null,
                    McpJsonDefaults.getMapper().convertValue(caps, McpSchema.ServerCapabilities.class),
                    client,
                    client.version());
            listen(s);
            return s;
        } catch (RuntimeException e) {
            client.close();
            throw new ServerStartException(
                    name, "MCP server '" + name + "' failed to start: " + describe(e) + stderrTail(raw), e);
        }
    }

    /** Every list the server offers, all at once; {@code tools/list} must succeed, the others may fail. */
    private void fetchModernLists(ModernClient client, Map<String, Object> caps, long deadline) {
        CompletableFuture<ModernClient.Listing> toolList =
                caps.get("tools") == null ? null : client.list("tools/list", "tools");
        CompletableFuture<ModernClient.Listing> promptList =
                caps.get("prompts") == null ? null : client.list("prompts/list", "prompts");
        CompletableFuture<ModernClient.Listing> resourceList =
                caps.get("resources") == null ? null : client.list("resources/list", "resources");
        CompletableFuture<ModernClient.Listing> templateList =
                caps.get("resources") == null ? null : client.list("resources/templates/list", "resourceTemplates");
        long ttl = Long.MAX_VALUE;
        if (toolList != null) {
            ModernClient.Listing l = await(toolList, deadline, "tools/list");
            tools = modernItems(l, "tools", McpSchema.ListToolsResult.class).tools();
            ttl = Math.min(ttl, l.ttlMs());
        } else {
            tools = List.of();
        }
        prompts = promptList == null
                ? List.of()
                : optional(
                        () -> modernItems(
                                        await(promptList, deadline, "prompts/list"),
                                        "prompts",
                                        McpSchema.ListPromptsResult.class)
                                .prompts(),
                        "prompts/list");
        resources = resourceList == null
                ? List.of()
                : optional(
                        () -> modernItems(
                                        await(resourceList, deadline, "resources/list"),
                                        "resources",
                                        McpSchema.ListResourcesResult.class)
                                .resources(),
                        "resources/list");
        templates = templateList == null
                ? List.of()
                : optional(
                        () -> modernItems(
                                        await(templateList, deadline, "resources/templates/list"),
                                        "resourceTemplates",
                                        McpSchema.ListResourceTemplatesResult.class)
                                .resourceTemplates(),
                        "resources/templates/list");
        listsExpireNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.min(ttl, TimeUnit.DAYS.toMillis(1)));
    }

    /** A list's items repaired or left out one by one ({@link PeerItems}), then typed. */
    private <T> T modernItems(ModernClient.Listing listing, String key, Class<T> type) {
        PeerItems items = new PeerItems(
                name,
                env.warnings(),
                (item, t) -> McpJsonDefaults.getMapper().convertValue(item, new TypeRef<Object>() {
                    @Override
                    public Type getType() {
                        return t;
                    }
                }));
        Object repaired = items.repair(Map.of(key, listing.items()), type);
        return McpJsonDefaults.getMapper().convertValue(repaired, type);
    }

    /**
     * Follows list changes through {@code subscriptions/listen} (spec {@code basic/patterns/subscriptions}) for
     * the lists whose {@code listChanged} the server declared; listens again after the stream ends, while this
     * run of the server lasts. A server that refuses the request is not asked again.
     */
    private void listen(Session s) {
        Map<String, Object> wanted = new LinkedHashMap<>();
        Map<String, Object> caps = s.modern().discovery().capabilities();
        for (String list : List.of("tools", "prompts", "resources")) {
            if (caps.get(list) instanceof Map<?, ?> c && Boolean.TRUE.equals(c.get("listChanged"))) {
                wanted.put(list + "ListChanged", true);
            }
        }
        if (wanted.isEmpty()) {
            return;
        }
        CompletableFuture<Map<String, Object>> l = s.modern().listen(wanted, n -> {
            Object method = n.get("method");
            if (method instanceof String m && m.endsWith("/list_changed")) {
                refreshModernLists(s, true);
            }
        });
        listening = l;
        l.whenComplete((r, e) -> {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (l.isCancelled() || session() != s || cause instanceof ServerErrorException) {
                return;
            }
            CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS, env.executor())
                    .execute(() -> {
                        if (session() == s) {
                            refreshModernLists(s, true);
                            listen(s);
                        }
                    });
        });
    }

    /**
     * Fetches the lists again when their {@code ttlMs} has passed, or at once when {@code force} (the server said a
     * list changed), in the background; whoever follows the hub hears of each list that changed. A change announced
     * during a fetch gets a fetch of its own after it: never lost to a fetch that had already been answered.
     */
    private void refreshModernLists(Session s, boolean force) {
        if (s.modern() == null || (!force && System.nanoTime() - listsExpireNanos < 0)) {
            return;
        }
        synchronized (this) {
            if (refreshing != null) {
                refreshAgain |= force;
                return;
            }
            refreshing = CompletableFuture.runAsync(
                    () -> {
                        List<McpSchema.Tool> before = tools;
                        List<McpSchema.Prompt> promptsBefore = prompts;
                        List<McpSchema.Resource> resourcesBefore = resources;
                        fetchModernLists(
                                s.modern(),
                                s.modern().discovery().capabilities(),
                                System.nanoTime() + startupTimeout.toNanos());
                        if (!before.equals(tools)) {
                            env.toolsChanged().run();
                        }
                        if (!promptsBefore.equals(prompts)) {
                            env.promptsChanged().run();
                        }
                        if (!resourcesBefore.equals(resources)) {
                            env.resourcesChanged().run();
                        }
                    },
                    env.executor());
            refreshing.whenComplete((v, e) -> {
                boolean again;
                synchronized (this) {
                    refreshing = null;
                    again = refreshAgain;
                    refreshAgain = false;
                }
                if (e != null) {
                    log.debug("MCP server '{}': refreshing the lists failed: {}", name, describe(e));
                }
                if (again && session() == s) {
                    refreshModernLists(s, true);
                }
            });
        }
    }

    /** "2026-07-28" or "legacy" and the negotiated version, while a session is up; null otherwise. */
    String[] protocol() {
        Session s = session();
        if (s == null) {
            return null;
        }
        return new String[] {s.modern() != null ? "2026-07-28" : "legacy", s.protocolVersion()};
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private McpClientTransport newTransport(boolean legacySse) {
        if (config == null) {
            return localTransport.get();
        }
        if (config.isStdio()) {
            Path log = env.logDir() == null ? null : ServerLogs.file(env.logDir(), name);
            return new LosslessStdioClientTransport(
                    StdioLaunch.of(config, env.parentEnv(), env.cwd(), log), config.maxMessageBytes());
        }
        return legacySse
                ? HttpTransports.legacySse(config, env.parentEnv(), startupTimeout)
                : HttpTransports.streamable(config, env.parentEnv(), startupTimeout);
    }

    private Session connect(McpClientTransport raw, long deadline) {
        return connect(raw, raw, deadline);
    }

    /** @param sessionTransport what the SDK session speaks through: {@code raw}, or a view of it (a hand-over) */
    private Session connect(McpClientTransport raw, McpClientTransport sessionTransport, long deadline) {
        long generation = generations.incrementAndGet();
        boolean forwardRoots = config != null && config.forwardRoots();
        ToolCallChannel transport = new ToolCallChannel(
                sessionTransport,
                name,
                env.warnings(),
                n -> callNotification(raw, n),
                r -> ownRequest(raw, r, forwardRoots));
        List<McpSchema.Root> roots = roots();
        McpSchema.ClientCapabilities.Builder capabilities =
                McpSchema.ClientCapabilities.builder().sampling().elicitation();
        if (!roots.isEmpty() || forwardRoots) {
            // Configured roots never change; forwarded ones are each call's, asked for afresh every time.
            capabilities.roots(false);
        }
        McpAsyncClient client = McpClient.async(transport)
                .clientInfo(env.clientInfo())
                .requestTimeout(toolTimeout.plus(startupTimeout).plusSeconds(30))
                .initializationTimeout(startupTimeout)
                .capabilities(capabilities.build())
                .roots(roots)
                .elicitation(request -> Mono.fromCallable(
                                () -> handlerForServerRequest(McpSchema.METHOD_ELICITATION_CREATE, null)
                                        .elicit(name, request))
                        .subscribeOn(Schedulers.boundedElastic())
                        .onErrorMap(ServerConnection::asJsonRpcError))
                .sampling(request -> Mono.fromCallable(
                                () -> handlerForServerRequest(McpSchema.METHOD_SAMPLING_CREATE_MESSAGE, null)
                                        .sample(name, request))
                        .subscribeOn(Schedulers.boundedElastic())
                        .onErrorMap(ServerConnection::asJsonRpcError))
                .progressConsumer(n -> Mono.fromRunnable(() -> onProgress(n)))
                .loggingConsumer(n -> Mono.fromRunnable(() -> onLog(n)))
                .toolsChangeConsumer(list -> Mono.fromRunnable(() -> {
                    tools = List.copyOf(list);
                    env.toolsChanged().run();
                }))
                .promptsChangeConsumer(list -> Mono.fromRunnable(() -> {
                    prompts = List.copyOf(list);
                    env.promptsChanged().run();
                }))
                .resourcesChangeConsumer(list -> Mono.fromRunnable(() -> {
                    resources = List.copyOf(list);
                    env.resourcesChanged().run();
                }))
                .resourcesUpdateConsumer(contents -> Mono.fromRunnable(() -> contents.stream()
                        .map(McpSchema.ResourceContents::uri)
                        .distinct()
                        .forEach(env.resourceUpdated())))
                .build();
        if (raw instanceof LosslessStdioClientTransport stdio) {
            stdio.addTerminationListener(reason -> onTerminated(generation, reason));
        }
        try {
            McpSchema.InitializeResult init = await(client.initialize().toFuture(), deadline, "initialize");
            McpSchema.ServerCapabilities caps = init.capabilities() == null
                    ? McpSchema.ServerCapabilities.builder().build()
                    : init.capabilities();
            // The lists are independent: ask for all of them at once.
            CompletableFuture<McpSchema.ListToolsResult> toolList =
                    caps.tools() == null ? null : client.listTools().toFuture();
            CompletableFuture<McpSchema.ListPromptsResult> promptList =
                    caps.prompts() == null ? null : client.listPrompts().toFuture();
            CompletableFuture<McpSchema.ListResourcesResult> resourceList =
                    caps.resources() == null ? null : client.listResources().toFuture();
            CompletableFuture<McpSchema.ListResourceTemplatesResult> templateList = caps.resources() == null
                    ? null
                    : client.listResourceTemplates().toFuture();
            tools = toolList == null
                    ? List.of()
                    : List.copyOf(await(toolList, deadline, "tools/list").tools());
            prompts = promptList == null
                    ? List.of()
                    : optional(() -> await(promptList, deadline, "prompts/list").prompts(), "prompts/list");
            resources = resourceList == null
                    ? List.of()
                    : optional(
                            () -> await(resourceList, deadline, "resources/list")
                                    .resources(),
                            "resources/list");
            templates = templateList == null
                    ? List.of()
                    : optional(
                            () -> await(templateList, deadline, "resources/templates/list")
                                    .resourceTemplates(),
                            "resources/templates/list");
            return new Session(generation, raw, client, transport, caps, init.protocolVersion());
        } catch (RuntimeException e) {
            // Given up on: end it now (a stdio server and its children), not whenever a graceful close gets to it.
            raw.close();
            client.close();
            McpSchema.JSONRPCResponse.JSONRPCError unsupported = unsupportedVersion(e);
            String cause = unsupported != null
                    ? notLegacy(unsupported)
                    : timedOut(e)
                            ? "no answer to initialize within " + seconds(startupTimeout) + " (startup_timeout_sec)"
                            : connectFailed(e)
                                    ? "cannot connect to " + Redact.url(config.url())
                                            + " (connection refused or host unreachable)"
                                    : describe(e);
            String self = "MCP server '" + name + "' ";
            String message = self + "failed to start: "
                    + (cause.startsWith(self) ? cause.substring(self.length()) : cause) + stderrTail(raw);
            throw new ServerStartException(name, message, e);
        }
    }

    /**
     * The UnsupportedProtocolVersionError (-32022) a server answered with, naming no legacy version it supports, or
     * null: to {@code initialize}, proof that it speaks only the 2026-07-28 era (spec {@code basic/versioning}).
     */
    private static McpSchema.JSONRPCResponse.JSONRPCError unsupportedVersion(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof McpError m
                    && m.getJsonRpcError() != null
                    && m.getJsonRpcError().code() == ModernProtocol.UNSUPPORTED_VERSION) {
                return supported(m.getJsonRpcError()).stream().anyMatch(McpVersions.LEGACY::contains)
                        ? null
                        : m.getJsonRpcError();
            }
        }
        return null;
    }

    /** The versions a -32022 error says the server supports ({@code data.supported}); empty when it says none. */
    private static List<String> supported(McpSchema.JSONRPCResponse.JSONRPCError error) {
        return error.data() instanceof Map<?, ?> data && data.get("supported") instanceof List<?> versions
                ? versions.stream().map(String::valueOf).toList()
                : List.of();
    }

    /** Why a server that refused every legacy version failed to start, with what to do when pinned to legacy. */
    private String notLegacy(McpSchema.JSONRPCResponse.JSONRPCError error) {
        List<String> supported = supported(error);
        return "it does not speak legacy MCP (initialize was answered with -32022 \"" + error.message() + "\""
                + (supported.isEmpty() ? "" : "; it supports " + String.join(", ", supported))
                + ")"
                + (config != null && McpServerConfig.PROTOCOL_LEGACY.equals(config.protocol())
                        ? "; remove protocol = \"legacy\" to let Toolhost find its era"
                        : "");
    }

    private boolean connectFailed(Throwable e) {
        for (Throwable t = e; config != null && config.url() != null && t != null; t = t.getCause()) {
            if (t instanceof ConnectException) {
                return true;
            }
        }
        return false;
    }

    /** The roots configured for this server ({@code roots}), as MCP roots; none for the local server. */
    private List<McpSchema.Root> roots() {
        if (config == null) {
            return List.of();
        }
        List<McpSchema.Root> roots = new ArrayList<>();
        for (Path dir : config.roots()) {
            roots.add(new McpSchema.Root(
                    dir.toUri().toString(),
                    dir.getFileName() == null
                            ? dir.toString()
                            : dir.getFileName().toString()));
        }
        return roots;
    }

    /**
     * A legacy server's request that the hub answers itself, beside the SDK session ({@link ToolCallChannel}), or null
     * (then the SDK session answers it, as it always did): {@code roots/list} under {@code forward_roots}, and an
     * elicitation or sampling request the transport relates to one of our tool calls in flight (see
     * {@link #relatedCall}); the handler is found now, on the reading thread, and asked off it (a caller may take time
     * to answer). Its reply and errors are what the SDK session would send ({@link #asJsonRpcError}).
     */
    private CompletableFuture<Object> ownRequest(
            McpClientTransport raw, McpSchema.JSONRPCRequest request, boolean forwardRoots) {
        String method = request.method();
        if (McpSchema.METHOD_ROOTS_LIST.equals(method)) {
            return forwardRoots ? callersRoots(relatedCall(raw, request.id())) : null;
        }
        boolean elicit = McpSchema.METHOD_ELICITATION_CREATE.equals(method);
        if (!elicit && !McpSchema.METHOD_SAMPLING_CREATE_MESSAGE.equals(method)) {
            return null;
        }
        InFlight related = relatedCall(raw, request.id());
        if (related == null) {
            return null;
        }
        ServerRequestHandler handler = handlerForServerRequest(method, related);
        return CompletableFuture.supplyAsync(
                () -> elicit
                        ? handler.elicit(name, formRequest(raw.unmarshalFrom(request.params(), ELICIT_REQUEST)))
                        : handler.sample(name, raw.unmarshalFrom(request.params(), CREATE_MESSAGE_REQUEST)),
                env.executor());
    }

    /**
     * A form elicitation: the hub declares no URL mode, and refuses a URL one as the SDK session does (an internal
     * error, -32603).
     */
    private McpSchema.ElicitRequest formRequest(McpSchema.ElicitRequest request) {
        if (!(request instanceof McpSchema.ElicitFormRequest)) {
            throw new IllegalStateException("MCP server '" + name + "' sent a URL elicitation, which Toolhost did not"
                    + " declare (only form elicitation)");
        }
        return request;
    }

    /**
     * The tool call in flight that the server's request {@code serverRequestId} belongs to, when the transport can
     * tell: legacy streamable HTTP, where the server sent it on that call's stream
     * ({@link ResumingStreamableHttpTransport#relatedRequest}); else null (stdio, HTTP+SSE, the standalone stream,
     * or a request during one of the SDK session's own requests, such as {@code prompts/get}).
     */
    private InFlight relatedCall(McpClientTransport raw, Object serverRequestId) {
        Object ours = raw instanceof ResumingStreamableHttpTransport http ? http.relatedRequest(serverRequestId) : null;
        if (ours == null) {
            return null;
        }
        for (InFlight f : inFlight.values()) {
            if (f.session().raw() == raw && ours.equals(f.requestId())) {
                return f;
            }
        }
        return null;
    }

    /**
     * {@code roots/list} under {@code forward_roots}: the roots of the caller whose call the request belongs to (see
     * {@link #handlerForServerRequest}), found now, on the reading thread, and asked for off it (a caller may take
     * time to answer). A request no call can be matched to gets an empty list.
     *
     * @param related the call the transport relates the request to, or null
     */
    private CompletableFuture<Object> callersRoots(InFlight related) {
        ServerRequestHandler handler = handlerForServerRequest(McpSchema.METHOD_ROOTS_LIST, related);
        return CompletableFuture.supplyAsync(() -> handler.listRoots(name), env.executor());
    }

    /**
     * What a 2026-07-28 server is told about the caller: its own {@code _meta}, without the {@code roots} capability
     * unless this server has {@code forward_roots} (then the caller's roots/list input requests reach it, as
     * elicitation's do).
     */
    private RequestMeta downstreamMeta(McpRequest request) {
        RequestMeta meta = request.meta() == null ? RequestMeta.local() : request.meta();
        return config != null && config.forwardRoots() ? meta : meta.withoutRoots();
    }

    /** A transport failure (not an error answer from the server) on an HTTP connection. */
    private boolean dropped(Throwable e) {
        if (config == null || config.url() == null || HttpTransports.refusal(e) > 0) {
            return false; // a refusal of this request is an answer: the connection is fine
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof McpError) {
                return false;
            }
            if (t instanceof McpTransportException || t instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    private static boolean timedOut(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException) {
                return true;
            }
        }
        return false;
    }

    private <T> List<T> optional(Supplier<List<T>> fetch, String what) {
        try {
            List<T> list = fetch.get();
            return list == null ? List.of() : List.copyOf(list);
        } catch (RuntimeException e) {
            env.warnings().accept("MCP server '" + name + "': " + what + " failed (ignored): " + describe(e));
            return List.of();
        }
    }

    private <T> T await(CompletableFuture<T> f, long deadline, String what) {
        long left = deadline - System.nanoTime();
        try {
            return f.get(Math.max(1, left), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new IllegalStateException(
                    "no answer to " + what + " within " + seconds(startupTimeout) + " (startup_timeout_sec)");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + what);
        }
    }

    private String stderrTail(McpClientTransport raw) {
        if (!(raw instanceof LosslessStdioClientTransport stdio)) {
            return "";
        }
        List<String> lines = stdio.stderrTail(STDERR_LINES);
        return lines.isEmpty() ? "" : "\n  last stderr lines:\n    " + String.join("\n    ", lines);
    }

    /** The stdio child died or its pipe broke: fail what is in flight now, restart on the next call. */
    private void onTerminated(long generation, String reason) {
        Session s;
        synchronized (this) {
            if (!(state instanceof ConnectionState.Ready r) || r.session().generation() != generation) {
                return;
            }
            s = r.session();
            state = new ConnectionState.Failed(
                    reason + stderrTail(s.raw()), false, r.failures().plusOne());
        }
        for (InFlight f : List.copyOf(inFlight.values())) {
            complete(
                    f,
                    errorResult("Tool '" + f.qualifiedName() + "' failed: " + reason
                            + (config != null && !config.isStdio()
                                    ? ". Toolhost reconnects on the next call."
                                    : ". The server will be restarted on the next call.")));
        }
        s.closeGracefully();
        env.warnings().accept("MCP server '" + name + "' failed: " + reason);
        env.toolsChanged().run();
    }

    /**
     * Asks for a restart of a failed server, also one whose start failed (with backoff, bounded); completes
     * when it is up or has failed again.
     */
    CompletableFuture<Void> restart() {
        synchronized (this) {
            if (state instanceof ConnectionState.Failed f && f.startFailed()) {
                state = new ConnectionState.Failed(f.detail(), false, f.failures());
            }
        }
        return ensureStarted().thenApply(s -> null);
    }

    /**
     * Whether the last start failed and a call does not start it again now: a stdio server until {@link #restart}, a
     * {@code url} server until its cool-down ({@link Environment#urlRetryCooldown}) has passed.
     */
    boolean startFailed() {
        return state instanceof ConnectionState.Failed f && f.startFailed() && !retryDue(f.failures());
    }

    /** Whether this is a {@code url} server given up on whose cool-down has passed: the next call tries it again. */
    private boolean retryDue(Failures failures) {
        return config != null && !config.isStdio() && coolDownLeftNanos(failures) <= 0;
    }

    private long coolDownLeftNanos(Failures failures) {
        return env.urlRetryCooldown().toNanos() - (System.nanoTime() - failures.lastNanos());
    }

    /**
     * When a {@code url} server given up on is tried again, for the messages while it is down; empty for any other
     * state (a stdio server given up on stays down).
     */
    private String retryNote(ConnectionState st) {
        if (config == null
                || config.isStdio()
                || !(st instanceof ConnectionState.Failed f)
                || !(f.startFailed() || f.failures().inARow() > MAX_CONSECUTIVE_FAILURES)) {
            return "";
        }
        long left = coolDownLeftNanos(f.failures());
        return left <= 0
                ? "; Toolhost tries it again on the next call"
                : "; Toolhost tries it again on a call in "
                        + Math.max(1, TimeUnit.NANOSECONDS.toSeconds(left + 999_999_999)) + " s ("
                        + seconds(env.urlRetryCooldown()) + " after the last failed attempt)";
    }

    /**
     * The current session, restarting the server first when it crashed (with backoff, bounded). A server
     * whose start failed is not retried here: one command does not wait out a failing start twice.
     */
    private synchronized CompletableFuture<Session> ensureStarted() {
        ConnectionState st = state;
        if (st instanceof ConnectionState.Ready r) {
            return CompletableFuture.completedFuture(r.session());
        }
        if (restarting != null) {
            return restarting;
        }
        if (st instanceof ConnectionState.Disabled) {
            return CompletableFuture.failedFuture(new IllegalStateException("MCP server '" + name + "' is disabled"));
        }
        if (st instanceof ConnectionState.Closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("the tool hub is closed"));
        }
        String detail = st instanceof ConnectionState.Failed f ? f.detail() : null;
        if (config == null || startFailed()) {
            return CompletableFuture.failedFuture(new IllegalStateException(detail + retryNote(st)));
        }
        Failures failures = st.failures();
        boolean retry = retryDue(failures);
        if (failures.inARow() > MAX_CONSECUTIVE_FAILURES && !retry) {
            return CompletableFuture.failedFuture(new IllegalStateException("MCP server '" + name + "' failed "
                    + failures.inARow() + " times in a row and is not restarted again"
                    + (config.isStdio() ? "" : " yet") + "; last error: " + detail + retryNote(st)));
        }
        long backoff = BACKOFF_MS[Math.min(failures.inARow(), BACKOFF_MS.length - 1)];
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - failures.lastNanos());
        long delay = retry ? 0 : Math.max(0, backoff - waited);
        CompletableFuture<Session> r;
        try {
            r = CompletableFuture.supplyAsync(
                    this::startSession,
                    delay == 0
                            ? env.executor()
                            : CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS, env.executor()));
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new IllegalStateException("the tool hub is closed"));
        }
        restarting = r;
        r.whenComplete((ok, e) -> {
            synchronized (this) {
                restarting = null;
            }
            env.toolsChanged().run();
            env.promptsChanged().run();
            env.resourcesChanged().run();
        });
        return r;
    }

    void close() {
        Session s;
        synchronized (this) {
            s = session();
            if (!(state instanceof ConnectionState.Disabled)) {
                state = new ConnectionState.Closed();
            }
        }
        for (InFlight f : List.copyOf(inFlight.values())) {
            complete(f, errorResult("Tool '" + f.qualifiedName() + "' was interrupted: the tool hub is closing"));
        }
        CompletableFuture<Map<String, Object>> l = listening;
        if (l != null) {
            l.cancel(true);
        }
        if (s != null && s.modern() != null) {
            s.modern().close();
        } else if (s != null) {
            try {
                s.client().closeGracefully().block(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                s.client().close();
            }
        }
    }

    // ---------------------------------------------------------------- calls

    /** A first-round call as Toolhost itself; an input-required outcome (a modern server's) is an error here. */
    CompletableFuture<McpSchema.CallToolResult> call(
            String tool, String qualifiedName, Map<String, Object> arguments, CallContext context) {
        return callTool(McpRequest.toolCall(tool, arguments, RequestMeta.local()), tool, qualifiedName, context)
                .thenApply(o -> o instanceof Outcome.Complete<McpSchema.CallToolResult> done
                        ? done.result()
                        : errorResult("Tool '" + qualifiedName + "' needs input from the user, which this caller"
                                + " cannot give"));
    }

    /**
     * One round of {@code tools/call} under the request model. A modern server's input-required outcome goes
     * back to the caller with its {@code requestState} sealed to this server ({@link RequestStateEnvelope}), so
     * that the retry, which names the same tool, reaches this server with its own state.
     */
    CompletableFuture<Outcome<McpSchema.CallToolResult>> callTool(
            McpRequest request, String tool, String qualifiedName, CallContext context) {
        if (state instanceof ConnectionState.Ready r) {
            return invoke(r.session(), request, tool, qualifiedName, context, false);
        }
        return ensureStarted()
                .handle((started, error) -> {
                    if (error != null) {
                        String why = describe(error);
                        String note = why.contains("Toolhost tries it again") ? "" : retryNote(state);
                        return CompletableFuture.completedFuture(Outcome.complete(
                                errorResult("Tool '" + qualifiedName + "' is unavailable: " + why + note)));
                    }
                    return invoke(started, request, tool, qualifiedName, context, false);
                })
                .thenCompose(f -> f);
    }

    /**
     * @param again this is the call once more, on a new session after the server no longer knew the last one: a
     *     second loss is the call's failure
     */
    private CompletableFuture<Outcome<McpSchema.CallToolResult>> invoke(
            Session s, McpRequest request, String tool, String qualifiedName, CallContext context, boolean again) {
        if (s.modern() == null) {
            try {
                RequestStateEnvelope.requireNone(name, request.requestState());
            } catch (IllegalArgumentException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        Map<String, Object> arguments = request.arguments();
        long n = seq.incrementAndGet();
        String token = name + "-" + n;
        CompletableFuture<Outcome<McpSchema.CallToolResult>> result = new CompletableFuture<>();
        InFlight f = new InFlight(
                n,
                token,
                qualifiedName,
                context == null ? CallContext.none() : context,
                result,
                new AtomicBoolean(),
                new CallClock(toolTimeout),
                s,
                s.calls() == null ? token : s.calls().newRequestId());
        inFlight.put(token, f);
        if (s.modern() != null) {
            return invokeModern(s, f, request, tool, arguments);
        }
        CompletableFuture<McpSchema.CallToolResult> answer = new CompletableFuture<>();
        answer.whenComplete((r, e) -> {
            if (e == null) {
                succeeded();
                complete(f, r);
                return;
            }
            if (sessionLost(e)) {
                onSessionLost(s, e);
                if (!again) {
                    // The server never ran it (it did not know the session): safe to send once more.
                    callAgain(f, request, tool, qualifiedName, context);
                    return;
                }
            }
            if (dropped(e)) {
                // An HTTP server has no process to watch: a broken connection is its crash.
                onTerminated(
                        s.generation(),
                        NetworkFailures.closedByServer(e)
                                ? "MCP server '" + name + "' closed the connection"
                                : "MCP server '" + name + "' dropped the connection: " + NetworkFailures.describe(e));
            }
            int status = config == null || config.url() == null ? -1 : HttpTransports.refusal(e);
            complete(
                    f,
                    errorResult("Tool '" + qualifiedName + "' failed: "
                            + (status > 0 ? HttpTransports.refusal(name, status, arguments) : describe(e))));
        });
        result.whenComplete((r, e) -> {
            inFlight.remove(token);
            if (result.isCancelled()) {
                s.calls().cancel(f.requestId(), "cancelled by the caller");
            }
            answer.cancel(false);
        });
        // The caller's W3C trace keys go on downstream (the modern path puts them in its _meta envelope).
        Map<String, Object> meta =
                new HashMap<>(request.meta() == null ? Map.of() : request.meta().traceContext());
        meta.put("progressToken", token);
        s.calls()
                .call(
                        f.requestId(),
                        new McpSchema.CallToolRequest(tool, arguments == null ? Map.of() : arguments, meta),
                        answer);
        return result;
    }

    /**
     * The call {@code f}, whose server no longer knew its session, sent once more on a new session (started by the
     * first call that noticed; the others wait for it). Its result completes {@code f}; cancelling {@code f} cancels
     * it.
     */
    private void callAgain(InFlight f, McpRequest request, String tool, String qualifiedName, CallContext context) {
        inFlight.remove(f.token());
        CompletableFuture<Outcome<McpSchema.CallToolResult>> caller = f.result();
        ensureStarted().whenComplete((started, error) -> {
            if (error != null) {
                complete(
                        f,
                        errorResult("Tool '" + qualifiedName + "' failed: MCP server '" + name + "' no longer knew"
                                + " Toolhost's session and a new one could not be started: " + describe(error)));
                return;
            }
            if (caller.isDone()) {
                return;
            }
            CompletableFuture<Outcome<McpSchema.CallToolResult>> retry =
                    invoke(started, request, tool, qualifiedName, context, true);
            caller.whenComplete((o, x) -> {
                if (caller.isCancelled()) {
                    retry.cancel(false);
                }
            });
            retry.whenComplete((o, x) -> {
                if (x == null) {
                    settle(f, o);
                } else if (f.settled().compareAndSet(false, true)) {
                    caller.completeExceptionally(
                            x instanceof CompletionException && x.getCause() != null ? x.getCause() : x);
                }
            });
        });
    }

    /** The server answered a request of this session with "no such session" (a 404, or a 400 saying so). */
    private static boolean sessionLost(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof McpTransportSessionNotFoundException) {
                return true;
            }
        }
        return false;
    }

    /**
     * The server no longer knows session {@code s} (it restarted, or expired it): the next request starts a new one.
     * Calls in flight on it are left to their own answers (each that gets the same refusal is sent again).
     */
    private void onSessionLost(Session s, Throwable e) {
        synchronized (this) {
            if (!(state instanceof ConnectionState.Ready r) || r.session() != s) {
                return; // noticed already: a new session is under way or up
            }
            state = new ConnectionState.Failed(
                    "MCP server '" + name + "' no longer knows Toolhost's session (it restarted or ended it)",
                    false,
                    r.failures().plusOne());
        }
        env.warnings()
                .accept("MCP server '" + name + "' no longer knows Toolhost's session (it restarted or ended it);"
                        + " starting a new session");
        // Closed a little later, not now: the other calls in flight on it are being refused the same way right now,
        // and each must see that refusal (and be sent again) rather than its transport shutting down under it.
        CompletableFuture.delayedExecutor(LOST_SESSION_CLOSE_DELAY.toMillis(), TimeUnit.MILLISECONDS)
                .execute(s::closeGracefully);
    }

    private CompletableFuture<Outcome<McpSchema.CallToolResult>> invokeModern(
            Session s, InFlight f, McpRequest request, String tool, Map<String, Object> arguments) {
        refreshModernLists(s, false);
        CompletableFuture<Outcome<McpSchema.CallToolResult>> result = f.result();
        String downstreamState;
        try {
            downstreamState = RequestStateEnvelope.open(name, request.requestState());
        } catch (IllegalArgumentException e) {
            inFlight.remove(f.token());
            result.completeExceptionally(e);
            return result;
        }
        RequestMeta meta = downstreamMeta(request);
        CompletableFuture<Outcome<McpSchema.CallToolResult>> answer = s.modern()
                .callTool(
                        tool,
                        arguments,
                        request.inputResponses(),
                        downstreamState,
                        meta,
                        f.token(),
                        n -> onModernNotification(f, n),
                        r -> McpJsonDefaults.getMapper().convertValue(r, CALL_TOOL_RESULT));
        answer.whenComplete((o, e) -> {
            if (e != null) {
                Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                int refused = cause instanceof ServerErrorException rpc ? rpc.httpStatus() : -1;
                if (cause instanceof ServerErrorException rpc && rpc.isRpcError() && refused != 413) {
                    // The server's own JSON-RPC error (a rejected requestState, a missing capability) is not a tool
                    // execution error: it reaches the caller as that error, code and data unchanged.
                    fail(
                            f,
                            new McpError(new McpSchema.JSONRPCResponse.JSONRPCError(
                                    rpc.code(), rpc.getMessage(), rpc.data())));
                    return;
                }
                complete(
                        f,
                        errorResult(
                                refused == 413
                                        ? HttpTransports.refusal(name, refused, arguments)
                                        : "Tool '" + f.qualifiedName() + "' failed: " + describe(e)));
                return;
            }
            succeeded();
            if (o instanceof Outcome.InputRequired<McpSchema.CallToolResult> needed) {
                Map<String, Object> uncovered = uncovered(needed, meta);
                if (uncovered != null) {
                    fail(f, missingCapability("Tool '" + f.qualifiedName() + "'", uncovered));
                    return;
                }
                settle(
                        f,
                        new Outcome.InputRequired<>(
                                needed.inputRequests(), RequestStateEnvelope.seal(name, needed.requestState())));
            } else {
                settle(f, o);
            }
        });
        result.whenComplete((r, e) -> {
            inFlight.remove(f.token());
            answer.cancel(true);
        });
        return result;
    }

    /**
     * What the first input request the caller's capabilities do not cover needs (see
     * {@link RequestMeta#missingCapability}; the server was told only those), or null: such a request is never passed
     * on. {@code roots/list} is covered only under forward_roots (downstreamMeta).
     */
    private static Map<String, Object> uncovered(Outcome.InputRequired<?> needed, RequestMeta meta) {
        for (InputRequest r : needed.inputRequests().values()) {
            Map<String, Object> capability = meta.missingCapability(r);
            if (capability != null) {
                return capability;
            }
        }
        return null;
    }

    /** A modern request's own notifications: its progress and its log messages. */
    private void onModernNotification(InFlight f, Map<String, Object> message) {
        Object params = message.get("params");
        try {
            if ("notifications/progress".equals(message.get("method"))) {
                f.context()
                        .progress()
                        .accept(McpJsonDefaults.getMapper().convertValue(params, McpSchema.ProgressNotification.class));
            } else if ("notifications/message".equals(message.get("method"))) {
                f.context()
                        .logging()
                        .accept(McpJsonDefaults.getMapper()
                                .convertValue(params, McpSchema.LoggingMessageNotification.class));
            }
        } catch (RuntimeException e) {
            log.debug("MCP server '{}': unusable notification {}: {}", name, message.get("method"), e.toString());
        }
    }

    /** Ends every call that has run past {@code tool_timeout_sec} with an error, and cancels it on the server. */
    void expireOverdueCalls(long nowNanos) {
        for (InFlight f : inFlight.values()) {
            if (f.clock().overdue(nowNanos) && !f.settled().get()) {
                String why = "timed out after " + seconds(toolTimeout) + " (tool_timeout_sec)";
                if (f.session().calls() != null) {
                    f.session().calls().cancel(f.requestId(), why);
                }
                complete(
                        f,
                        errorResult("Tool '" + f.qualifiedName() + "' on MCP server '" + name + "' " + why
                                + "; the call was cancelled."));
            }
        }
    }

    /** Completes on the calling thread (see {@link ToolHub#call}). */
    private void complete(InFlight f, McpSchema.CallToolResult r) {
        settle(f, Outcome.complete(r));
    }

    /** Ends the call with a JSON-RPC error for the caller (not an {@code isError} tool result). */
    private void fail(InFlight f, McpError error) {
        if (f.settled().compareAndSet(false, true)) {
            f.result().completeExceptionally(error);
        }
    }

    private void settle(InFlight f, Outcome<McpSchema.CallToolResult> outcome) {
        if (f.settled().compareAndSet(false, true)) {
            f.result().complete(outcome);
        }
    }

    CompletableFuture<McpSchema.ReadResourceResult> readResource(String uri) {
        return ensureStarted()
                .thenCompose(s -> s.modern() != null
                        ? modernRequest(s, "resources/read", Map.of("uri", uri), McpSchema.ReadResourceResult.class)
                        : s.client()
                                .readResource(new McpSchema.ReadResourceRequest(uri))
                                .toFuture());
    }

    /** {@code resources/read} in the request model: see {@link #getPrompt(McpRequest, CallContext)}. */
    CompletableFuture<Outcome<McpSchema.ReadResourceResult>> readResource(McpRequest request, CallContext context) {
        return withSession(s -> s.modern() == null
                ? legacyRequest(
                        request,
                        context,
                        () -> s.client()
                                .readResource(new McpSchema.ReadResourceRequest(
                                        String.valueOf(request.params().get("uri")))))
                : modernRound(s, request, McpSchema.ReadResourceResult.class));
    }

    /** Runs {@code use} on the session: at once when the server is up, else once it has (re)started. */
    private <T> CompletableFuture<T> withSession(Function<Session, CompletableFuture<T>> use) {
        return state instanceof ConnectionState.Ready r
                ? lostSessionNoticed(r.session(), use.apply(r.session()))
                : ensureStarted().thenCompose(s -> lostSessionNoticed(s, use.apply(s)));
    }

    /** {@code request} on {@code s}; when the server no longer knew the session, the next request starts a new one. */
    private <T> CompletableFuture<T> lostSessionNoticed(Session s, CompletableFuture<T> request) {
        request.whenComplete((r, e) -> {
            if (e != null && sessionLost(e)) {
                onSessionLost(s, e);
            }
        });
        return request;
    }

    /**
     * A legacy session's request other than {@code tools/call}, in flight under {@code context} while it runs: the
     * server's requests (elicitation, sampling, roots) and log messages during it go where a tool call's would. Its
     * answer is complete (the legacy wire has no input-required results). Cancelling the result cancels the request.
     * A retry's {@code requestState} fails it with {@link IllegalArgumentException} before anything is sent: a legacy
     * server issues none.
     */
    private <T> CompletableFuture<Outcome<T>> legacyRequest(
            McpRequest mrtr, CallContext context, Supplier<Mono<T>> send) {
        try {
            RequestStateEnvelope.requireNone(name, mrtr.requestState());
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        Mono<T> request = send.get();
        long key = seq.incrementAndGet();
        otherRequests.put(key, context == null ? CallContext.none() : context);
        CompletableFuture<Outcome<T>> result = Futures.map(request.toFuture(), Outcome::complete);
        result.whenComplete((r, e) -> otherRequests.remove(key));
        return result;
    }

    /**
     * Whether the server offers resource subscriptions (as of its last start): {@code resources/subscribe} on the
     * legacy wire, {@code resourceSubscriptions} of {@code subscriptions/listen} on the 2026-07-28 one.
     */
    boolean subscribable() {
        Session s = session();
        if (s != null && s.modern() != null) {
            return s.modern().discovery().capabilities().get("resources") instanceof Map<?, ?> c
                    && Boolean.TRUE.equals(c.get("subscribe"));
        }
        return s != null
                && s.capabilities().resources() != null
                && Boolean.TRUE.equals(s.capabilities().resources().subscribe());
    }

    CompletableFuture<Void> subscribe(String uri, boolean on) {
        return ensureStarted().thenCompose(s -> {
            if (s.modern() != null) {
                return on ? listenTo(s, uri) : unlisten(uri);
            }
            return (on
                            ? s.client().subscribeResource(new McpSchema.SubscribeRequest(uri))
                            : s.client().unsubscribeResource(new McpSchema.UnsubscribeRequest(uri)))
                    .toFuture();
        });
    }

    /**
     * A 2026-07-28 server's updates to {@code uri}: one {@code subscriptions/listen} with {@code resourceSubscriptions}
     * for it, whose {@code notifications/resources/updated} go where a legacy server's would; done once the server
     * acknowledges it. Ended by {@link #unlisten} (the hub subscribes once per uri however many callers do).
     */
    private CompletableFuture<Void> listenTo(Session s, String uri) {
        CompletableFuture<Void> acknowledged = new CompletableFuture<>();
        CompletableFuture<Map<String, Object>> l = s.modern()
                .listen(Map.of("resourceSubscriptions", List.of(uri)), n -> {
                    Object method = n.get("method");
                    if ("notifications/subscriptions/acknowledged".equals(method)) {
                        acknowledged.complete(null);
                    } else if (McpSchema.METHOD_NOTIFICATION_RESOURCES_UPDATED.equals(method)
                            && n.get("params") instanceof Map<?, ?> p
                            && p.get("uri") instanceof String updated) {
                        env.resourceUpdated().accept(updated);
                    }
                });
        CompletableFuture<Map<String, Object>> previous = resourceListens.put(uri, l);
        if (previous != null) {
            previous.cancel(true);
        }
        l.whenComplete((r, e) -> {
            resourceListens.remove(uri, l);
            acknowledged.completeExceptionally(
                    e != null
                            ? e
                            : new IllegalStateException("MCP server '" + name + "' ended the subscription to '" + uri
                                    + "' before acknowledging it"));
        });
        return acknowledged.orTimeout(startupTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private CompletableFuture<Void> unlisten(String uri) {
        CompletableFuture<Map<String, Object>> l = resourceListens.remove(uri);
        if (l != null) {
            l.cancel(true);
        }
        return CompletableFuture.completedFuture(null);
    }

    /** {@code completion/complete}, passed through as given (the reference already carries the server's own name). */
    CompletableFuture<McpSchema.CompleteResult> complete(McpSchema.CompleteRequest request) {
        return ensureStarted().thenCompose(s -> {
            if (s.capabilities().completions() == null) {
                return CompletableFuture.failedFuture(new McpError(new McpSchema.JSONRPCResponse.JSONRPCError(
                        McpSchema.ErrorCodes.METHOD_NOT_FOUND,
                        "MCP server '" + name + "' offers no completions",
                        null)));
            }
            if (s.modern() != null) {
                Map<String, Object> params = McpJsonDefaults.getMapper().convertValue(request, MAP);
                params.remove("_meta");
                return modernRequest(s, "completion/complete", params, McpSchema.CompleteResult.class);
            }
            return s.client().completeCompletion(request).toFuture();
        });
    }

    CompletableFuture<McpSchema.GetPromptResult> getPrompt(String prompt, Map<String, Object> arguments) {
        Map<String, Object> args = arguments == null ? Map.of() : arguments;
        return ensureStarted()
                .thenCompose(s -> s.modern() != null
                        ? modernRequest(
                                s,
                                "prompts/get",
                                Map.of("name", prompt, "arguments", args),
                                McpSchema.GetPromptResult.class)
                        : s.client()
                                .getPrompt(new McpSchema.GetPromptRequest(prompt, args))
                                .toFuture());
    }

    /**
     * {@code prompts/get} with the request's own name: a 2026-07-28 server's input-required answer is passed on
     * (its state sealed as a tool call's is), its JSON-RPC errors fail the future as {@link McpError}s with their code
     * and data; a legacy server's answer is complete, and what that server asks while it works on it (elicitation,
     * sampling, roots) goes to {@code context}, as during a tool call.
     */
    CompletableFuture<Outcome<McpSchema.GetPromptResult>> getPrompt(McpRequest request, CallContext context) {
        return withSession(s -> s.modern() == null
                ? legacyRequest(
                        request,
                        context,
                        () -> s.client().getPrompt(new McpSchema.GetPromptRequest(request.name(), request.arguments())))
                : modernRound(s, request, McpSchema.GetPromptResult.class));
    }

    /**
     * One round of a modern request (not tools/call) in the request model: see
     * {@link #getPrompt(McpRequest, CallContext)}.
     */
    private <T> CompletableFuture<Outcome<T>> modernRound(Session s, McpRequest request, Class<T> type) {
        String downstreamState;
        try {
            downstreamState = RequestStateEnvelope.open(name, request.requestState());
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        RequestMeta meta = downstreamMeta(request);
        CompletableFuture<Outcome<T>> sent = s.modern()
                .requestRound(
                        request.method(), request.params(), request.inputResponses(), downstreamState, meta, r -> {
                            Map<String, Object> copy = new LinkedHashMap<>(r);
                            copy.remove("ttlMs");
                            copy.remove("cacheScope");
                            return McpJsonDefaults.getMapper().convertValue(copy, type);
                        });
        CompletableFuture<Outcome<T>> result = sent.handle((o, e) -> {
            if (e != null) {
                Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                throw new CompletionException(
                        cause instanceof ServerErrorException rpc && rpc.isRpcError()
                                ? new McpError(new McpSchema.JSONRPCResponse.JSONRPCError(
                                        rpc.code(), rpc.getMessage(), rpc.data()))
                                : cause);
            }
            if (o instanceof Outcome.InputRequired<T> needed) {
                Map<String, Object> uncovered = uncovered(needed, meta);
                if (uncovered != null) {
                    throw new CompletionException(missingCapability(
                            request.method() + " '"
                                    + (request.name() != null
                                            ? request.name()
                                            : request.params().get("uri")) + "'",
                            uncovered));
                }
                return new Outcome.InputRequired<T>(
                        needed.inputRequests(), RequestStateEnvelope.seal(name, needed.requestState()));
            }
            return o;
        });
        result.whenComplete((r, e) -> {
            if (result.isCancelled()) {
                sent.cancel(true);
            }
        });
        return result;
    }

    /**
     * MissingRequiredClientCapability (-32021), as the server itself would answer the caller; a legacy session turns it
     * into its own kind of refusal (see {@code HubServer}).
     */
    private McpError missingCapability(String what, Map<String, Object> uncovered) {
        String capability = uncovered.keySet().iterator().next();
        return new McpError(new McpSchema.JSONRPCResponse.JSONRPCError(
                ModernProtocol.MISSING_CAPABILITY,
                what + " needs " + capability + " from the client (MCP server '" + name + "' asked for it), but the"
                        + " MCP client calling through Toolhost did not declare the " + capability + " capability;"
                        + " nobody was asked",
                Map.of("requiredCapabilities", uncovered)));
    }

    /** A modern request whose result must be complete (these carry no input rounds through the hub yet). */
    private <T> CompletableFuture<T> modernRequest(
            Session s, String method, Map<String, Object> params, Class<T> type) {
        return s.modern()
                .request(method, params, RequestMeta.local().withoutRoots())
                .thenApply(r -> {
                    if ("input_required".equals(r.get("resultType"))) {
                        throw new CompletionException(
                                new IllegalStateException("MCP server '" + name + "' needs input to answer " + method
                                        + ", which Toolhost does not relay for this request"));
                    }
                    Map<String, Object> copy = new LinkedHashMap<>(r);
                    copy.remove("resultType");
                    copy.remove("ttlMs");
                    copy.remove("cacheScope");
                    return McpJsonDefaults.getMapper().convertValue(copy, type);
                });
    }

    // ---------------------------------------------------------------- server-initiated traffic

    /**
     * Who answers a request the server makes: the call it belongs to. On legacy streamable HTTP the server sends a
     * request caused by one of our tool calls on that call's POST response stream (2025-11-25
     * {@code basic/transports}), so the transport knows the call ({@code related}, see {@link #relatedCall}): it
     * answers, whatever else is in flight. Otherwise (stdio, HTTP+SSE, the standalone GET stream, a request during
     * the SDK session's own prompts/get or resources/read) nothing tells which of our calls a server request relates
     * to, so it is the call in flight (a tool call, or a legacy session's prompts/get or resources/read) when there
     * is exactly one; with none, the hub's default. With
     * several, it is the one call not waiting for the answer to an earlier request when every call in flight is the
     * same caller's (a call parked for a 2026-07-28 caller's retry stays in flight; a mistake among one caller's
     * calls reaches no one else), or, when all of them are waiting, the one still gathering the requests its server
     * sent together into one round; otherwise nobody: the request is declined (a {@code roots/list} gets an empty
     * list), so that it can never reach a caller whose call did not cause it. That decline is logged (WARN: server,
     * method, calls in flight; never the request's content), once per request: this is called once for each.
     *
     * @param method the request's JSON-RPC method ({@code elicitation/create}, {@code sampling/createMessage},
     *               {@code roots/list})
     * @param related the tool call the transport relates the request to, or null when it cannot tell
     */
    private ServerRequestHandler handlerForServerRequest(String method, InFlight related) {
        if (related != null) {
            return asking(related);
        }
        List<ServerRequestHandler> calls = new ArrayList<>();
        inFlight.values().forEach(f -> calls.add(asking(f)));
        otherRequests.values().forEach(c -> calls.add(c.requests()));
        if (calls.isEmpty()) {
            return env.defaultHandler();
        }
        if (calls.size() == 1) {
            return calls.get(0);
        }
        String caller = calls.get(0).callerKey();
        if (caller != null && calls.stream().allMatch(h -> caller.equals(h.callerKey()))) {
            List<ServerRequestHandler> asking =
                    calls.stream().filter(h -> !h.awaitingAnswer()).toList();
            if (asking.size() == 1) {
                return asking.get(0);
            }
            List<ServerRequestHandler> gathering =
                    calls.stream().filter(ServerRequestHandler::gathering).toList();
            if (asking.isEmpty() && gathering.size() == 1) {
                return gathering.get(0);
            }
        }
        log.warn(
                "MCP server '{}' sent {} while {} calls to it were in flight; declined, since nothing in the request"
                        + " says which call it belongs to",
                name,
                method,
                calls.size());
        return ServerRequestHandler.refusing("MCP server '" + name + "' made a request while " + calls.size()
                + " calls to it were in flight, and nothing in the request says which call it belongs to; it was"
                + " declined so that it cannot reach the wrong caller");
    }

    /** A tool call's handler, its clock stopped while it asks (the other requests have no tool_timeout_sec). */
    private static ServerRequestHandler asking(InFlight f) {
        return f.clock().stoppedWhileAsking(f.context().requests());
    }

    /** Whose requests are in flight on this server: its tool calls' and its other requests' (prompts, resources). */
    private List<CallContext> contextsInFlight() {
        List<CallContext> out = new ArrayList<>();
        inFlight.values().forEach(f -> out.add(f.context()));
        out.addAll(otherRequests.values());
        return out;
    }

    /**
     * Progress and log messages reach the call they belong to in the order the server sent them, before its
     * result: taken off the reading thread here rather than through the SDK session.
     */
    private boolean callNotification(McpClientTransport raw, McpSchema.JSONRPCNotification n) {
        try {
            if (McpSchema.METHOD_NOTIFICATION_PROGRESS.equals(n.method())) {
                onProgress(raw.unmarshalFrom(n.params(), PROGRESS));
                return true;
            }
            if (McpSchema.METHOD_NOTIFICATION_MESSAGE.equals(n.method())) {
                onLog(raw.unmarshalFrom(n.params(), LOG_MESSAGE));
                return true;
            }
        } catch (RuntimeException e) {
            log.debug("MCP server '{}' sent a malformed {}: {}", name, n.method(), e.toString());
            return true;
        }
        return false;
    }

    private void onProgress(McpSchema.ProgressNotification n) {
        InFlight f = n.progressToken() == null ? null : inFlight.get(String.valueOf(n.progressToken()));
        if (f != null) {
            f.context().progress().accept(n);
        }
    }

    /**
     * A log message goes to the call it belongs to: the one in flight when there is exactly one (a log
     * message names no request). Otherwise it is kept in the server's log only, never shown to every caller.
     */
    private void onLog(McpSchema.LoggingMessageNotification n) {
        List<CallContext> calls = contextsInFlight();
        if (calls.size() == 1) {
            calls.get(0).logging().accept(n);
        } else {
            log.debug(
                    "MCP server '{}' logged with {} calls in flight (not forwarded): {}", name, calls.size(), n.data());
        }
    }

    // ---------------------------------------------------------------- helpers

    /** A call succeeded: the failures in a row count from zero again (read first: the lock is rarely needed). */
    private void succeeded() {
        if (state.failures().inARow() == 0) {
            return;
        }
        synchronized (this) {
            ConnectionState st = state;
            Failures none = new Failures(0, st.failures().lastNanos());
            if (st instanceof ConnectionState.Ready r) {
                state = new ConnectionState.Ready(r.session(), none);
            } else if (st instanceof ConnectionState.Starting) {
                state = new ConnectionState.Starting(none);
            } else if (st instanceof ConnectionState.Failed f) {
                state = new ConnectionState.Failed(f.detail(), f.startFailed(), none);
            }
        }
    }

    /**
     * A handler's refusal goes back to the server as a JSON-RPC error carrying its message: an {@link McpError}'s own
     * error (code, message, data), else -32603 (internal error) with {@link #describe}.
     */
    static McpError asJsonRpcError(Throwable e) {
        return e instanceof McpError m && m.getJsonRpcError() != null
                ? m
                : new McpError(new McpSchema.JSONRPCResponse.JSONRPCError(
                        McpSchema.ErrorCodes.INTERNAL_ERROR, describe(e), null));
    }

    static McpSchema.CallToolResult errorResult(String message) {
        return new McpSchema.CallToolResult(List.of(new McpSchema.TextContent(message)), true, null, null);
    }

    /**
     * A one-line cause for users: the JSON-RPC error message when there is one (our transports put
     * the server name and reason there), else the transport's message, else the outermost message.
     */
    static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof McpError m
                    && m.getJsonRpcError() != null
                    && m.getJsonRpcError().message() != null) {
                return m.getJsonRpcError().message();
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof McpTransportException && t.getMessage() != null) {
                return t.getMessage();
            }
        }
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException || t.getMessage() == null)
                && t.getCause() != null) {
            t = t.getCause();
        }
        String message = t.getMessage();
        if (!(t instanceof ServerStartException) // its message is whole: the cause's is in it, in words
                && t.getCause() != null
                && t.getCause().getMessage() != null
                && message != null
                && !message.contains(t.getCause().getMessage())) {
            message = message + ": " + t.getCause().getMessage();
        }
        return message == null ? t.getClass().getSimpleName() : message;
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
