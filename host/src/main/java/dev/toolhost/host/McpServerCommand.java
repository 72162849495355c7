package dev.toolhost.host;

import dev.toolhost.config.LoadedConfig;
import dev.toolhost.config.TomlText;
import dev.toolhost.host.agent.LoopAgentRunner;
import dev.toolhost.host.agent.ThreadStore;
import dev.toolhost.mcp.client.McpHub;
import dev.toolhost.mcp.client.ServerRequestHandler;
import dev.toolhost.mcp.core.InputRounds;
import dev.toolhost.mcp.core.RequestStates;
import dev.toolhost.mcp.server.AgentRunner;
import dev.toolhost.mcp.server.AgentTools;
import dev.toolhost.mcp.server.ClearErrors;
import dev.toolhost.mcp.server.HubServer;
import dev.toolhost.mcp.server.JsonWarmUp;
import dev.toolhost.mcp.server.LegacySessionEnds;
import dev.toolhost.mcp.server.LosslessStdioServerTransportProvider;
import dev.toolhost.mcp.server.RequestCancellation;
import dev.toolhost.mcp.server.StreamableHttpServer;
import dev.toolhost.mcp.server.modern.ModernDispatcher;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpAsyncServer;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "mcp-server",
        mixinStandardHelpOptions = true,
        description = {
            "Serve Toolhost as an MCP server: every tool it has (built-in and from configured MCP servers,"
                    + " under their qualified names) plus the 'agent' and 'agent-reply' tools. An 'agent' call may"
                    + " only narrow this server's sandbox, approval policy and workspace (-s, -a, -C, config), never"
                    + " widen them; a thread is continued only by the client that started it.",
            "Speaks stdio by default (both MCP eras: legacy sessions after initialize, and stateless 2026-07-28"
                    + " requests); --http serves streamable HTTP."
        })
final class McpServerCommand implements Callable<Integer> {
    /** The name that selects the agent tools in --only. */
    static final String AGENT = "agent";
    /** The shortest --token-env token accepted (as for the --request-state-key-env secret). */
    static final int MIN_TOKEN_CHARS = 16;

    @Mixin
    GlobalOptions global;

    @Option(
            names = "--only",
            split = ",",
            paramLabel = "NAME",
            description = "Serve only these: 'builtin' (the built-in tools), configured MCP server names, 'agent'"
                    + " (the agent tools). Comma-separated. Default: everything.")
    List<String> only;

    @Option(
            names = "--bridge",
            paramLabel = "NAME",
            description = "Serve exactly one configured MCP server under its own names (its tools, prompts, resources"
                    + " and completions; no mcp__ prefix, no built-in or agent tools), in both MCP eras whatever era"
                    + " the server speaks: a transport and era bridge. The server must be enabled; if it fails to"
                    + " start, the command ends (exit 1). Not with --only.")
    String bridge;

    @Option(
            names = "--http",
            paramLabel = "HOST:PORT",
            description = "Serve streamable HTTP on this address (e.g. 127.0.0.1:8765) instead of stdio: one endpoint"
                    + " for 2026-07-28 requests (stateless) and legacy sessions (2025-03-26 to 2025-11-25).")
    String http;

    @Option(
            names = "--path",
            paramLabel = "PATH",
            defaultValue = "/mcp",
            description = "HTTP endpoint path (default: ${DEFAULT-VALUE}).")
    String path;

    @Option(
            names = "--token-env",
            paramLabel = "VAR",
            description = "Environment variable holding the bearer token HTTP clients must send (at least "
                    + McpServerCommand.MIN_TOKEN_CHARS
                    + " characters; surrounding whitespace is ignored). Optional on loopback (no token then); off"
                    + " loopback, without it a token is generated and printed once on stderr.")
    String tokenEnv;

    @Option(
            names = "--max-request-bytes",
            paramLabel = "N",
            defaultValue = "4194304",
            description = "Largest request accepted, in bytes: a larger HTTP body gets 413, a larger stdio line an"
                    + " invalid-request error (default: ${DEFAULT-VALUE}).")
    int maxRequestBytes;

    @Option(
            names = "--max-concurrent-calls",
            paramLabel = "N",
            defaultValue = "64",
            description = "Tool calls one client session may run at once (default: ${DEFAULT-VALUE}).")
    int maxConcurrentCalls;

    @Option(
            names = "--request-state-key-env",
            paramLabel = "VAR",
            description = "Environment variable holding the secret that seals requestState (2026-07-28 multi round-trip"
                    + " requests; at least 16 characters). Give every replica behind one load balancer the same secret so that a retry may land"
                    + " on any of them. Default: a random key per process.")
    String requestStateKeyEnv;

    @Option(
            names = "--replica-id",
            paramLabel = "NAME",
            description = "With --http: start every legacy session id with NAME and a dot (NAME.UUID), so that a load"
                    + " balancer in front of several replicas can send each session to the replica that started it."
                    + " 1 to 32 letters, digits, '-' or '_'; give each replica its own.")
    String replicaId;

    @Override
    public Integer call() {
        if (replicaId != null && http == null) {
            throw UserError.usage("--replica-id needs --http (it names the replica in HTTP session ids)");
        }
        if (replicaId != null && !replicaId.matches("[A-Za-z0-9_-]{1,32}")) {
            throw UserError.usage("--replica-id must be 1 to 32 letters, digits, '-' or '_', got '" + replicaId + "'");
        }
        if (maxConcurrentCalls < 1) {
            throw UserError.usage("--max-concurrent-calls must be at least 1, got " + maxConcurrentCalls);
        }
        if (!path.startsWith("/")) {
            throw UserError.usage("--path must start with '/', got '" + path + "'");
        }
        if (maxRequestBytes < 1024) {
            throw UserError.usage("--max-request-bytes must be at least 1024, got " + maxRequestBytes);
        }
        if (bridge != null && only != null) {
            throw UserError.usage("--bridge serves one server by itself; it cannot be combined with --only");
        }
        if (only != null && only.stream().allMatch(String::isBlank)) {
            throw UserError.usage("--only needs at least one name: 'builtin', 'agent' or a configured MCP server");
        }
        if (http != null) {
            HostPort.parse(http); // a bad address is a usage error before any server is started
        }
        JsonWarmUp.start(); // usually started already, by Main
        McpJsonMapper json = McpJsonDefaults.getMapper();
        LoadedConfig loaded = global.load();
        if (bridge != null && !loaded.config().mcpServers().containsKey(bridge)) {
            throw UserError.usage("--bridge: no MCP server named '" + bridge + "' is configured"
                    + (loaded.config().mcpServers().isEmpty()
                            ? " (there are none: add one with `toolhost mcp add`)"
                            : "; configured: "
                                    + String.join(
                                            ", ",
                                            new TreeSet<>(
                                                    loaded.config().mcpServers().keySet()))));
        }
        if (bridge != null && !loaded.config().mcpServers().get(bridge).enabled()) {
            throw UserError.usage("--bridge: MCP server '" + bridge + "' is disabled in the config (mcp_servers."
                    + TomlText.key(bridge) + ".enabled = false); enable it to bridge it");
        }
        List<AutoCloseable> opened = Collections.synchronizedList(new ArrayList<>());
        // A SIGTERM ends the JVM without reaching the finally below: the hook closes the hub too, so the processes
        // its tools started (unsandboxed ones have nothing else to end them) go with the server.
        Thread onSignal = new Thread(() -> closeAll(opened), "toolhost-close-hub");
        Runtime.getRuntime().addShutdownHook(onSignal);
        try {
            Serving serve = whatToServe(loaded, json, opened);
            return http == null ? serveStdio(serve, json) : serveHttp(serve, json);
        } finally {
            closeAll(opened);
            try {
                Runtime.getRuntime().removeShutdownHook(onSignal);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs (or ran) anyway; closeAll is done by now
            }
        }
    }

    /** Closes what was opened, last first, once: a second caller waits for the first to finish. */
    static void closeAll(List<AutoCloseable> opened) {
        synchronized (opened) {
            for (int i = opened.size() - 1; i >= 0; i--) {
                try {
                    opened.get(i).close();
                } catch (Exception e) {
                    System.err.println("warning: while shutting down: " + e.getMessage());
                }
            }
            opened.clear();
        }
    }

    /**
     * Builds the MCP server on a transport's spec. {@code cancellation} and {@code sessionEnds} are null for
     * stdio (it cancels requests itself; its one session is the process) and the HTTP server's otherwise.
     */
    @FunctionalInterface
    private interface ServerStarter {
        McpAsyncServer start(
                McpServer.AsyncSpecification<?> spec, RequestCancellation cancellation, LegacySessionEnds sessionEnds);
    }

    /** Both eras' servers over one hub: the SDK server for legacy sessions, the dispatcher for 2026-07-28. */
    private record Serving(ServerStarter legacy, ModernDispatcher modern) {}

    /**
     * Everything is served through one hub: the built-in tools are called in-process under the request
     * model, external servers through their MCP sessions.
     */
    private Serving whatToServe(LoadedConfig loaded, McpJsonMapper json, List<AutoCloseable> opened) {
        if (only != null) {
            HubLauncher.requireKnown(loaded.config(), only, AGENT);
        }
        List<String> servers = only == null
                ? null
                : only.stream()
                        .map(String::trim)
                        .filter(s -> !s.isEmpty() && !s.equals(AGENT))
                        .toList();
        boolean agent = bridge == null
                && (only == null || only.stream().map(String::trim).anyMatch(AGENT::equals));
        AgentRunner runner = agent ? agentRunner() : null;
        McpSchema.Implementation info = new McpSchema.Implementation("toolhost", Version.current());
        // Requests a server makes outside any call have nobody to ask: stdin is the protocol, not a person.
        RequestStates states = requestStates();
        HubLauncher.Options options = HubLauncher.Options.defaults()
                .requestHandler(ServerRequestHandler.declining())
                .requestStates(states);
        McpHub hub = HubLauncher.launch(loaded, bridge == null ? options.only(servers) : options.bridge(bridge));
        opened.add(hub);
        ModernDispatcher modern = new ModernDispatcher(
                hub,
                json,
                new ModernDispatcher.Options(info, runner == null ? null : AgentTools.provider(runner, json)),
                states,
                InputRounds.ANSWER_TIMEOUT);
        opened.add(modern);
        return new Serving(
                (spec, cancellation, sessionEnds) -> HubServer.start(
                                spec,
                                hub,
                                new HubServer.Options(info, maxConcurrentCalls, runner, cancellation, sessionEnds),
                                json)
                        .server(),
                modern);
    }

    /** Replicas that share retries are given one secret; otherwise each process has its own random key. */
    private RequestStates requestStates() {
        if (requestStateKeyEnv == null) {
            return RequestStates.random(InputRounds.ANSWER_TIMEOUT, Clock.systemUTC());
        }
        String secret = System.getenv(requestStateKeyEnv);
        if (secret == null || secret.length() < 16) {
            throw UserError.usage("--request-state-key-env " + requestStateKeyEnv + ": that environment variable must"
                    + " hold a secret of at least 16 characters (the same on every replica)");
        }
        return RequestStates.fromSecret(secret, InputRounds.ANSWER_TIMEOUT, Clock.systemUTC());
    }

    private AgentRunner agentRunner() {
        return new LoopAgentRunner(
                global.request(),
                cfg -> HubLauncher.launch(
                        cfg,
                        HubLauncher.Options.defaults()
                                .progress(false)
                                .requestHandler(ServerRequestHandler.declining())),
                ThreadStore.inToolhostHome(),
                System.getenv());
    }

    private int serveStdio(Serving serve, McpJsonMapper json) {
        // stdout carries the protocol: anything else printed by accident goes to stderr instead.
        FileOutputStream protocolOut = new FileOutputStream(FileDescriptor.out);
        System.setOut(System.err);
        // Dual-era: 2026-07-28 lines go to the dispatcher, an initialize (and what follows) to the SDK session.
        var transport = new LosslessStdioServerTransportProvider(
                        ClearErrors.mapper(json), new FileInputStream(FileDescriptor.in), protocolOut)
                .modernEndpoint(serve.modern())
                .maxMessageBytes(maxRequestBytes);
        McpAsyncServer server = serve.legacy().start(McpServer.async(transport), null, null); // stdio cancels by itself
        transport.terminated().join();
        server.close();
        return Cli.OK;
    }

    private int serveHttp(Serving serve, McpJsonMapper json) {
        HostPort address = HostPort.parse(http);
        boolean loopback = StreamableHttpServer.isLoopback(address.host());
        String token = null;
        if (tokenEnv != null) {
            token = System.getenv(tokenEnv);
            if (token == null || token.isBlank()) {
                throw UserError.usage("--token-env " + tokenEnv + ": that environment variable is not set or empty");
            }
            // A token read from a file keeps its line end; HTTP clients cannot send it, so it is not part of it.
            token = token.strip();
            if (token.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
                throw UserError.usage("--token-env " + tokenEnv + ": that environment variable holds a token with"
                        + " whitespace or a control character inside, which no HTTP client can send");
            }
            if (token.length() < MIN_TOKEN_CHARS) {
                throw UserError.usage("--token-env " + tokenEnv + ": that environment variable must hold a token of at"
                        + " least " + MIN_TOKEN_CHARS + " characters (it guards every tool, the shell included)");
            }
        } else if (!loopback) {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            System.err.println("toolhost mcp-server: " + address.host() + " is not loopback, so clients must send"
                    + " 'Authorization: Bearer " + token + "' (shown once; use --token-env VAR to choose it)");
        }
        StreamableHttpServer httpServer = StreamableHttpServer.create(
                new StreamableHttpServer.Options(address.host(), address.port(), path, token, maxRequestBytes)
                        .withReplicaId(replicaId),
                json,
                serve.modern());
        McpAsyncServer server = serve.legacy()
                .start(McpServer.async(httpServer.transport()), httpServer.cancellation(), httpServer.sessionEnds());
        try {
            httpServer.start();
        } catch (IOException e) {
            server.close();
            throw UserError.failed(e.getMessage());
        }
        // The address ends the line: scripts (and the it tests) take it from there.
        System.err.println("toolhost mcp-server: "
                + (bridge == null ? "" : "bridging MCP server '" + bridge + "', ")
                + "serving MCP (streamable HTTP) on " + httpServer.url());
        Thread stop = new Thread(
                () -> {
                    httpServer.close();
                    server.closeGracefully().onErrorComplete().block(Duration.ofSeconds(5));
                },
                "toolhost-http-shutdown");
        Runtime.getRuntime().addShutdownHook(stop);
        try {
            httpServer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Cli.OK;
    }

    /** {@code HOST:PORT}, {@code [IPv6]:PORT} or {@code :PORT} (loopback). */
    record HostPort(String host, int port) {
        static HostPort parse(String text) {
            int colon = text.lastIndexOf(':');
            if (colon < 0) {
                throw UserError.usage("--http: expected HOST:PORT (e.g. 127.0.0.1:8765), got '" + text + "'");
            }
            String host = text.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            if (host.isEmpty()) {
                host = "127.0.0.1";
            }
            int port;
            try {
                port = Integer.parseInt(text.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw UserError.usage("--http: the port in '" + text + "' is not a number");
            }
            if (port < 0 || port > 65535) {
                throw UserError.usage("--http: port " + port + " is out of range 0-65535");
            }
            return new HostPort(host, port);
        }
    }
}
