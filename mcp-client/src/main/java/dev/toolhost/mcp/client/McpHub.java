package dev.toolhost.mcp.client;

import dev.toolhost.config.McpServerConfig;
import dev.toolhost.config.ToolhostHome;
import dev.toolhost.mcp.client.ToolHub.ServerStatus.State;
import dev.toolhost.mcp.client.modern.EraCache;
import dev.toolhost.mcp.core.Caller;
import dev.toolhost.mcp.core.McpRequest;
import dev.toolhost.mcp.core.Outcome;
import dev.toolhost.mcp.core.ToolProvider;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The tool hub: every configured MCP server (stdio or streamable HTTP) plus, optionally, one local
 * server mounted in memory, presented as one namespaced set of tools, prompts and resources.
 *
 * <pre>{@code
 * McpHub hub = McpHub.builder()
 *         .localTools("builtin", builtinTools)              // plain tool names, called in-process
 *         .servers(config.mcpServers().values())           // mcp__<server>__<tool>
 *         .workingDirectory(config.cwd())
 *         .defaultRequestHandler(handler)
 *         .onEvent(System.err::println)
 *         .build();                                        // starts all servers in parallel
 * }</pre>
 *
 * {@link Builder#build()} throws {@link ServerStartException} when a {@code required} server fails;
 * any other failure is reported through {@code onWarning} and the hub goes on without that server.
 */
public final class McpHub implements ToolHub {
    private static final long TIMEOUT_SWEEP_MS = 50;
    private final List<ServerConnection> connections;
    private final Map<String, ServerConnection> byName;
    private final ExecutorService executor;
    /** One sweep enforces every server's tool_timeout_sec: cheaper than a timer per call. */
    private final ScheduledExecutorService timeouts;

    private final Consumer<String> warnings;
    private final List<AutoCloseable> alsoClose;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final List<Runnable> toolListeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> resourceListeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> promptListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<String>> updateListeners = new CopyOnWriteArrayList<>();
    /** Subscribers per resource uri: the downstream subscription lasts while there is one. */
    private final Map<String, Integer> subscribers = new HashMap<>();

    private volatile ToolIndex index = ToolIndex.EMPTY;
    /** In-process tools (the built-in ones) under the request model, or null. */
    private final ToolProvider localTools;

    private final String localToolsName;
    /** A single-server bridge: that server's items keep their own names. */
    private final boolean plainNames;

    private McpHub(Builder b, ExecutorService executor) {
        this.plainNames = b.plainNames;
        this.executor = executor;
        this.warnings = b.warnings;
        this.alsoClose = List.copyOf(b.alsoClose);
        this.localTools = b.localTools;
        this.localToolsName = b.localName;
        ServerConnection.Environment env = new ServerConnection.Environment(
                b.defaultHandler,
                b.parentEnv,
                b.logDir,
                b.cwd,
                executor,
                b.warnings,
                this::toolsChanged,
                this::resourcesChanged,
                this::promptsChanged,
                new McpSchema.Implementation(b.clientName, b.clientVersion),
                b.eras,
                this::resourceUpdated,
                b.urlRetryCooldown);
        List<ServerConnection> list = new ArrayList<>();
        if (b.localTransport != null) {
            list.add(ServerConnection.local(b.localName, b.localTransport, env, b.localToolTimeout));
        }
        b.servers.values().stream()
                .sorted(Comparator.comparing(McpServerConfig::name))
                .forEach(c -> list.add(ServerConnection.external(c, env)));
        this.connections = List.copyOf(list);
        Map<String, ServerConnection> names = new LinkedHashMap<>();
        connections.forEach(c -> names.put(c.name, c));
        this.byName = names;
        this.timeouts = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "toolhost-hub-timeouts");
            t.setDaemon(true);
            return t;
        });
        timeouts.scheduleWithFixedDelay(
                () -> {
                    long now = System.nanoTime();
                    connections.forEach(c -> c.expireOverdueCalls(now));
                },
                TIMEOUT_SWEEP_MS,
                TIMEOUT_SWEEP_MS,
                TimeUnit.MILLISECONDS);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts every enabled server in parallel and waits for all of them (each bounded by its startup timeout). */
    private void startAll(Consumer<String> events, boolean requiredFatal) {
        List<CompletableFuture<Void>> starts = new ArrayList<>();
        for (ServerConnection c : connections) {
            if (c.state() == State.DISABLED) {
                continue;
            }
            starts.add(CompletableFuture.runAsync(
                    () -> {
                        long t0 = System.nanoTime();
                        events.accept("starting MCP server '" + c.name + "'");
                        try {
                            c.start();
                            events.accept("MCP server '" + c.name + "' ready: "
                                    + c.tools().size() + " tools in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
                        } catch (ServerStartException e) {
                            if (!fatal(c, requiredFatal)) {
                                warnings.accept("warning: " + e.getMessage() + " (continuing without it)");
                            }
                        }
                    },
                    executor));
        }
        CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).join();
        rebuild();
        for (ServerConnection c : connections) {
            if (fatal(c, requiredFatal) && c.state() == State.FAILED) {
                String detail = c.detail();
                close();
                throw new ServerStartException(
                        c.name,
                        detail
                                + (plainNames
                                        ? "\n(a bridge serves this one server: there is nothing to serve without it)"
                                        : "\n(the server is marked required = true)"),
                        null);
            }
        }
    }

    /** A bridge's one server is required whatever its config says: a bridge without it would serve nothing. */
    private boolean fatal(ServerConnection c, boolean requiredFatal) {
        return requiredFatal && (c.isRequired() || (plainNames && !c.isLocal()));
    }

    // ---------------------------------------------------------------- ToolHub

    @Override
    public List<HubTool> tools() {
        return index.tools();
    }

    @Override
    public HubTool tool(String qualifiedName) {
        return index.toolsByName().get(qualifiedName);
    }

    @Override
    public CompletableFuture<Outcome<McpSchema.CallToolResult>> callTool(McpRequest request, CallContext context) {
        String qualifiedName = request.name();
        if (closed.get()) {
            return CompletableFuture.failedFuture(new IllegalStateException("the tool hub is closed"));
        }
        HubTool tool = index.toolsByName().get(qualifiedName);
        if (tool != null) {
            return route(tool, request, context);
        }
        ServerConnection owner = unavailableServerFor(qualifiedName);
        if (owner == null || owner.state() == State.DISABLED || owner.startFailed()) {
            // A start that failed is not retried by a call (that would wait out the failure again): see restart.
            return CompletableFuture.failedFuture(unknownTool(qualifiedName));
        }
        // A server that crashed has no tools listed to call: the call restarts it (or waits for a restart
        // under way), with the backoff and bound of the restart policy, and goes through if the tool is there then.
        return owner.restart()
                .handle((ok, e) -> {
                    rebuild();
                    HubTool restarted = index.toolsByName().get(qualifiedName);
                    return restarted == null
                            ? CompletableFuture.<Outcome<McpSchema.CallToolResult>>failedFuture(
                                    unknownTool(qualifiedName))
                            : route(restarted, request, context);
                })
                .thenCompose(f -> f);
    }

    private CompletableFuture<Outcome<McpSchema.CallToolResult>> route(
            HubTool tool, McpRequest request, CallContext context) {
        if (localTools != null && tool.server().equals(localToolsName)) {
            return localTools.call(request.withName(tool.originalName()), context.sink());
        }
        return byName.get(tool.server()).callTool(request, tool.originalName(), tool.qualifiedName(), context);
    }

    @Override
    public void callerEnded(Caller caller) {
        if (localTools != null) {
            localTools.callerEnded(caller);
        }
    }

    private IllegalArgumentException unknownTool(String name) {
        ServerConnection owner = unavailableServerFor(name);
        return new IllegalArgumentException("unknown tool '" + name + "'"
                + (owner == null
                        ? "; list the available tools with tools/list"
                        : ": MCP server '" + owner.name + "' is "
                                + owner.state().name().toLowerCase()
                                + (owner.detail() == null ? "" : " (" + owner.detail() + ")")));
    }

    /** The external server a qualified name points into, when that server is not ready. */
    private ServerConnection unavailableServerFor(String name) {
        for (ServerConnection c : connections) {
            if (!c.isLocal()
                    && (plainNames
                            || name.startsWith(ToolNames.PREFIX + ToolNames.sanitize(c.name) + ToolNames.DELIMITER))
                    && c.state() != State.READY) {
                return c;
            }
        }
        return null;
    }

    @Override
    public List<ServerStatus> servers() {
        List<ServerStatus> out = new ArrayList<>();
        Map<String, Integer> counts = new HashMap<>();
        for (HubTool t : index.tools()) {
            counts.merge(t.server(), 1, Integer::sum);
        }
        if (localTools != null) {
            out.add(new ServerStatus(localToolsName, State.READY, counts.getOrDefault(localToolsName, 0), null));
        }
        for (ServerConnection c : connections) {
            out.add(new ServerStatus(c.name, c.state(), counts.getOrDefault(c.name, 0), c.detail()));
        }
        return out;
    }

    /**
     * Starts a server that failed again (one whose start failed is retried only when asked, here);
     * completes when it is up, or exceptionally with why not.
     *
     * @throws IllegalArgumentException when no server has that name
     */
    public CompletableFuture<Void> restart(String server) {
        ServerConnection c = byName.get(server);
        if (c == null || c.isLocal()) {
            throw new IllegalArgumentException("no MCP server named '" + server + "'");
        }
        return c.restart().whenComplete((ok, e) -> rebuild());
    }

    /**
     * Which MCP era a running server speaks and the protocol version agreed with it.
     *
     * @param era {@code "2026-07-28"} (stateless, per-request {@code _meta}) or {@code "legacy"} ({@code initialize})
     */
    public record ServerProtocol(String era, String protocolVersion) {}

    /** The era and version of a running external server, or null (not running, unknown, or the built-in tools). */
    public ServerProtocol protocol(String server) {
        ServerConnection c = byName.get(server);
        String[] p = c == null ? null : c.protocol();
        return p == null ? null : new ServerProtocol(p[0], p[1]);
    }

    /** The pid of a stdio server's process, if it is running (for diagnostics and tests). */
    public OptionalLong processId(String server) {
        ServerConnection c = byName.get(server);
        long pid = c == null ? -1 : c.pid();
        return pid > 0 ? OptionalLong.of(pid) : OptionalLong.empty();
    }

    @Override
    public List<HubResource> resources() {
        List<HubResource> out = new ArrayList<>();
        for (ServerConnection c : connections) {
            c.resources().forEach(r -> out.add(new HubResource(c.name, r)));
        }
        return out;
    }

    @Override
    public List<HubResourceTemplate> resourceTemplates() {
        List<HubResourceTemplate> out = new ArrayList<>();
        for (ServerConnection c : connections) {
            c.templates().forEach(t -> out.add(new HubResourceTemplate(c.name, t)));
        }
        return out;
    }

    @Override
    public CompletableFuture<McpSchema.ReadResourceResult> readResource(String uri) {
        ServerConnection c = ownerOf(uri);
        return c == null ? CompletableFuture.failedFuture(noReader(uri)) : c.readResource(uri);
    }

    @Override
    public CompletableFuture<Outcome<McpSchema.ReadResourceResult>> readResource(
            McpRequest request, CallContext context) {
        String uri = String.valueOf(request.params().get("uri"));
        ServerConnection c = ownerOf(uri);
        return c == null ? CompletableFuture.failedFuture(noReader(uri)) : c.readResource(request, context);
    }

    /** The server that lists {@code uri}, else the first whose template matches it, else null. */
    private ServerConnection ownerOf(String uri) {
        for (ServerConnection c : connections) {
            if (c.resources().stream().anyMatch(r -> uri.equals(r.uri()))) {
                return c;
            }
        }
        for (ServerConnection c : connections) {
            if (c.templates().stream().anyMatch(t -> matchesTemplate(t.uriTemplate(), uri))) {
                return c;
            }
        }
        return null;
    }

    private static IllegalArgumentException noReader(String uri) {
        return new IllegalArgumentException("no connected MCP server offers resource '" + uri + "'");
    }

    @Override
    public boolean resourceSubscriptions() {
        return connections.stream().anyMatch(ServerConnection::subscribable);
    }

    /**
     * Subscribes to a resource's updates on the server that offers it (one downstream subscription however many
     * subscribe here; {@link #unsubscribeResource} ends it with the last subscriber).
     */
    @Override
    public CompletableFuture<Void> subscribeResource(String uri) {
        ServerConnection c = ownerOf(uri);
        if (c == null || !c.subscribable()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(
                    "no connected MCP server offers subscriptions to resource '" + uri + "'"));
        }
        int n;
        synchronized (subscribers) {
            n = subscribers.merge(uri, 1, Integer::sum);
        }
        return n == 1 ? c.subscribe(uri, true) : CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> unsubscribeResource(String uri) {
        ServerConnection c = ownerOf(uri);
        boolean last;
        synchronized (subscribers) {
            Integer n = subscribers.get(uri);
            if (n == null) {
                return CompletableFuture.completedFuture(null);
            }
            last = n == 1;
            if (last) {
                subscribers.remove(uri);
            } else {
                subscribers.put(uri, n - 1);
            }
        }
        return last && c != null ? c.subscribe(uri, false) : CompletableFuture.completedFuture(null);
    }

    @Override
    public void addResourceUpdatedListener(Consumer<String> listener) {
        updateListeners.add(listener);
    }

    private void resourceUpdated(String uri) {
        updateListeners.forEach(l -> runQuietly(() -> l.accept(uri)));
    }

    /** A template matches when the uri starts with the template's literal text before its first variable. */
    static boolean matchesTemplate(String template, String uri) {
        int brace = template.indexOf('{');
        String literal = brace < 0 ? template : template.substring(0, brace);
        return !literal.isEmpty() && uri.startsWith(literal);
    }

    @Override
    public List<HubPrompt> prompts() {
        return index.prompts();
    }

    @Override
    public CompletableFuture<McpSchema.GetPromptResult> getPrompt(String qualifiedName, Map<String, Object> arguments) {
        HubPrompt p = index.promptsByName().get(qualifiedName);
        if (p == null) {
            return CompletableFuture.failedFuture(
                    new IllegalArgumentException("unknown prompt '" + qualifiedName + "'"));
        }
        return byName.get(p.server()).getPrompt(p.originalName(), arguments);
    }

    @Override
    public CompletableFuture<Outcome<McpSchema.GetPromptResult>> getPrompt(McpRequest request, CallContext context) {
        HubPrompt p = index.promptsByName().get(request.name());
        if (p == null) {
            return CompletableFuture.failedFuture(
                    new IllegalArgumentException("unknown prompt '" + request.name() + "'"));
        }
        return byName.get(p.server()).getPrompt(request.withName(p.originalName()), context);
    }

    /**
     * Routes a {@code completion/complete} by its reference: a prompt reference names a prompt by its qualified
     * name (rewritten to the server's own name), a resource reference names a template (or resource) uri, which
     * goes unchanged to the server that lists it.
     */
    @Override
    public CompletableFuture<McpSchema.CompleteResult> complete(McpSchema.CompleteRequest request) {
        if (request.ref() instanceof McpSchema.PromptReference ref) {
            HubPrompt p = index.promptsByName().get(ref.name());
            if (p == null) {
                return CompletableFuture.failedFuture(
                        new IllegalArgumentException("unknown prompt '" + ref.name() + "'"));
            }
            return byName.get(p.server())
                    .complete(new McpSchema.CompleteRequest(
                            new McpSchema.PromptReference(ref.type(), p.originalName(), ref.title()),
                            request.argument(),
                            request.meta(),
                            request.context()));
        }
        if (request.ref() instanceof McpSchema.ResourceReference ref) {
            for (ServerConnection c : connections) {
                if (c.templates().stream().anyMatch(t -> ref.uri().equals(t.uriTemplate()))
                        || c.resources().stream().anyMatch(r -> ref.uri().equals(r.uri()))) {
                    return c.complete(request);
                }
            }
            return CompletableFuture.failedFuture(new IllegalArgumentException(
                    "no connected MCP server offers" + " resource template '" + ref.uri() + "'"));
        }
        return CompletableFuture.failedFuture(
                new IllegalArgumentException("completion/complete: 'ref' must be a" + " ref/prompt or ref/resource"));
    }

    @Override
    public void addToolsChangedListener(Runnable listener) {
        toolListeners.add(listener);
    }

    @Override
    public void addResourcesChangedListener(Runnable listener) {
        resourceListeners.add(listener);
    }

    @Override
    public void addPromptsChangedListener(Runnable listener) {
        promptListeners.add(listener);
    }

    /** Stops every server, then the resources given to {@link Builder#closeAlso}. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (ServerConnection c : connections) {
            closing.add(CompletableFuture.runAsync(c::close, executor));
        }
        try {
            CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).join();
        } finally {
            timeouts.shutdownNow();
            executor.shutdown();
            for (AutoCloseable c : alsoClose) {
                try {
                    c.close();
                } catch (Exception e) {
                    warnings.accept("warning: closing " + c + " failed: " + e.getMessage());
                }
            }
        }
    }

    // ---------------------------------------------------------------- index

    private void toolsChanged() {
        rebuild();
        toolListeners.forEach(McpHub::runQuietly);
    }

    private void promptsChanged() {
        rebuild();
        promptListeners.forEach(McpHub::runQuietly);
    }

    private void resourcesChanged() {
        resourceListeners.forEach(McpHub::runQuietly);
    }

    private static void runQuietly(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException ignored) {
            // a listener's failure must not break the connection that reported the change
        }
    }

    private synchronized void rebuild() {
        List<ToolIndex.Source> sources = new ArrayList<>();
        if (localTools != null) {
            sources.add(new ToolIndex.Source(localToolsName, true, localTools.tools(), List.of(), n -> true));
        }
        for (ServerConnection c : connections) {
            sources.add(new ToolIndex.Source(c.name, c.isLocal() || plainNames, c.tools(), c.prompts(), c::allows));
        }
        index = ToolIndex.build(sources, warnings);
    }

    // ---------------------------------------------------------------- builder

    /** Collects the servers and settings; {@link #build()} starts everything. */
    public static final class Builder {
        private String localName = "builtin";
        private Supplier<McpClientTransport> localTransport;
        private ToolProvider localTools;
        private Duration localToolTimeout = Duration.ofMinutes(30);
        private final Map<String, McpServerConfig> servers = new LinkedHashMap<>();
        private ServerRequestHandler defaultHandler = ServerRequestHandler.declining();
        private Path cwd = Path.of("").toAbsolutePath();
        private Path logDir = ToolhostHome.dir().resolve("logs");
        private Map<String, String> parentEnv = System.getenv();
        private Consumer<String> events = e -> {};
        private Consumer<String> warnings = System.err::println;
        private String clientName = "toolhost";
        private String clientVersion = "0.1.0";
        private final List<AutoCloseable> alsoClose = new ArrayList<>();
        private boolean requiredFatal = true;
        private boolean plainNames;
        private EraCache eras = EraCache.in(ToolhostHome.dir());
        private Duration urlRetryCooldown = ServerConnection.URL_RETRY_COOLDOWN;

        private Builder() {}

        /**
         * How long a {@code url} server given up on stays down before a call tries it again (default
         * {@link ServerConnection#URL_RETRY_COOLDOWN}, 30 s); for tests, which should not wait that long.
         */
        Builder urlRetryCooldown(Duration cooldown) {
            this.urlRetryCooldown = cooldown;
            return this;
        }

        /**
         * A single-server bridge: the hub holds exactly one server, with no local one, and serves its tools and
         * prompts under their own names (no {@code mcp__<server>__} prefix). {@link #build()} refuses any other
         * number of servers, and throws when that server fails to start, as for a {@code required} one.
         */
        public Builder bridge() {
            this.plainNames = true;
            return this;
        }

        /**
         * The local server (the built-in tools), reached through a client transport such as
         * {@link InMemoryTransport#clientTransport()}. Its tools keep their plain names.
         */
        public Builder localServer(String name, Supplier<McpClientTransport> transport) {
            this.localName = Objects.requireNonNull(name);
            this.localTransport = Objects.requireNonNull(transport);
            return this;
        }

        /**
         * In-process tools (the built-in ones), called directly under the request model with no MCP session
         * in between. Their tools keep their plain names; {@code name} appears in {@link #servers()}.
         */
        public Builder localTools(String name, ToolProvider tools) {
            this.localName = Objects.requireNonNull(name);
            this.localTools = Objects.requireNonNull(tools);
            return this;
        }

        /** Tool timeout for the local server (its tools bound their own run time). */
        public Builder localToolTimeout(Duration timeout) {
            this.localToolTimeout = timeout;
            return this;
        }

        /** Adds a configured server; disabled ones are listed with state DISABLED and never started. */
        public Builder server(McpServerConfig config) {
            servers.put(config.name(), config);
            return this;
        }

        public Builder servers(Iterable<McpServerConfig> configs) {
            configs.forEach(this::server);
            return this;
        }

        /** Answers elicitation and sampling requests that arrive while no call of ours is in flight. */
        public Builder defaultRequestHandler(ServerRequestHandler handler) {
            this.defaultHandler = Objects.requireNonNull(handler);
            return this;
        }

        /**
         * The base for relative {@code cwd}s of stdio servers. Not offered as a root: servers get only the
         * {@code roots} configured for them, or under {@code forward_roots} each call's caller's.
         */
        public Builder workingDirectory(Path cwd) {
            this.cwd = cwd;
            return this;
        }

        /** Where each stdio server's stderr log goes (default {@code TOOLHOST_HOME/logs}); null discards it. */
        public Builder logDirectory(Path dir) {
            this.logDir = dir;
            return this;
        }

        /** The environment stdio servers draw {@code env_vars} and HTTP servers their tokens from. */
        public Builder environment(Map<String, String> env) {
            this.parentEnv = Map.copyOf(env);
            return this;
        }

        /** Progress lines while starting ("starting MCP server 'x'", "... ready: 3 tools in 180 ms"). */
        public Builder onEvent(Consumer<String> events) {
            this.events = Objects.requireNonNull(events);
            return this;
        }

        /** Non-fatal problems (a non-required server failed, a duplicate tool); default stderr. */
        public Builder onWarning(Consumer<String> warnings) {
            this.warnings = Objects.requireNonNull(warnings);
            return this;
        }

        /**
         * Whether a {@code required} server that fails makes {@link #build()} throw (default true).
         * Status listings turn it off to show the failure next to the others.
         */
        public Builder requiredFatal(boolean fatal) {
            this.requiredFatal = fatal;
            return this;
        }

        /** Closed after the servers when the hub closes, in the order added (e.g. the built-in tools). */
        public Builder closeAlso(AutoCloseable resource) {
            alsoClose.add(Objects.requireNonNull(resource));
            return this;
        }

        /**
         * Where the era found for each server is kept (default {@code TOOLHOST_HOME/cache/mcp-eras.json}); null
         * probes every server on every start.
         */
        public Builder eraCache(EraCache cache) {
            this.eras = cache;
            return this;
        }

        public Builder clientInfo(String name, String version) {
            this.clientName = name;
            this.clientVersion = version;
            return this;
        }

        /**
         * Starts every enabled server in parallel and returns the hub.
         *
         * @throws ServerStartException when a {@code required} server (or a bridge's server) failed to start
         */
        public McpHub build() {
            if (localTransport != null && localTools != null) {
                throw new IllegalArgumentException("a hub has one local server: give localServer or localTools");
            }
            if ((localTransport != null || localTools != null) && servers.containsKey(localName)) {
                throw new IllegalArgumentException("MCP server name '" + localName
                        + "' is reserved for Toolhost's built-in tools; rename [mcp_servers." + localName + "]");
            }
            if (plainNames && (servers.size() != 1 || localTransport != null || localTools != null)) {
                throw new IllegalArgumentException("a bridge serves exactly one MCP server and no built-in tools; got "
                        + servers.size() + " servers"
                        + (localTransport != null || localTools != null ? " and the built-in tools" : ""));
            }
            AtomicInteger n = new AtomicInteger();
            ExecutorService executor = Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "toolhost-hub-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            McpHub hub = new McpHub(this, executor);
            hub.startAll(events, requiredFatal);
            return hub;
        }
    }
}
