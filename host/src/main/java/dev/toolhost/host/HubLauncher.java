package dev.toolhost.host;

import dev.toolhost.builtin.BuiltinTools;
import dev.toolhost.config.LoadedConfig;
import dev.toolhost.config.McpServerConfig;
import dev.toolhost.config.ToolhostConfig;
import dev.toolhost.exec.ExecBackend;
import dev.toolhost.mcp.client.McpHub;
import dev.toolhost.mcp.client.ServerRequestHandler;
import dev.toolhost.mcp.client.ServerStartException;
import dev.toolhost.mcp.core.InputRounds;
import dev.toolhost.mcp.core.RequestStates;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The one place that builds the running tool hub for a command: config, exec backend, built-in tools
 * mounted in memory, external MCP servers started in parallel.
 *
 * <pre>{@code
 * try (McpHub hub = HubLauncher.launch(global.load(), HubLauncher.Options.defaults().only(List.of("builtin")))) {
 *     hub.tools(); hub.call("exec_command", Map.of("cmd", "ls"), CallContext.none()).join();
 * }
 * }</pre>
 *
 * Closing the hub stops the servers, the built-in tools and the exec backend.
 */
public final class HubLauncher {
    /** The name under which the built-in tools appear in {@code servers()} and {@code --only}. */
    public static final String BUILTIN = "builtin";

    private HubLauncher() {}

    /**
     * @param only           server names to start ({@value #BUILTIN} for the built-in tools), or null for all
     * @param requestHandler answers elicitation/sampling from servers when no call's context does;
     *                       null means {@link TerminalRequestHandler} (prompts on a terminal, declines otherwise)
     * @param progress       print startup progress on stderr; null means "when a person is watching"
     *                       ({@link Terminal#personPresent()})
     * @param warnings       where non-fatal problems go (a server that failed to start); default stderr
     * @param requiredFatal  a {@code required} server that fails to start fails the launch (default true)
     * @param bridge         the one server named in {@code only} is served under its own names, with no built-in
     *                       tools (see {@link McpHub.Builder#bridge()})
     */
    public record Options(
            List<String> only,
            ServerRequestHandler requestHandler,
            Boolean progress,
            Consumer<String> warnings,
            boolean requiredFatal,
            RequestStates requestStates,
            boolean bridge) {
        public static Options defaults() {
            return new Options(null, null, null, System.err::println, true, null, false);
        }

        public Options(
                List<String> only,
                ServerRequestHandler requestHandler,
                Boolean progress,
                Consumer<String> warnings,
                boolean requiredFatal,
                RequestStates requestStates) {
            this(only, requestHandler, progress, warnings, requiredFatal, requestStates, false);
        }

        /** A single-server bridge for {@code server}: only it, under its own names, no built-in tools. */
        public Options bridge(String server) {
            return new Options(List.of(server), requestHandler, progress, warnings, requiredFatal, requestStates, true);
        }

        /** Seals the state of calls waiting for input (give replicas one shared key); default a random key. */
        public Options requestStates(RequestStates states) {
            return new Options(only, requestHandler, progress, warnings, requiredFatal, states, bridge);
        }

        public Options only(List<String> servers) {
            return new Options(
                    servers == null ? null : List.copyOf(servers),
                    requestHandler,
                    progress,
                    warnings,
                    requiredFatal,
                    requestStates,
                    bridge);
        }

        public Options requestHandler(ServerRequestHandler handler) {
            return new Options(only, handler, progress, warnings, requiredFatal, requestStates, bridge);
        }

        public Options progress(boolean show) {
            return new Options(only, requestHandler, show, warnings, requiredFatal, requestStates, bridge);
        }

        /** Print warnings on stderr (the default), or drop them. */
        public Options warnings(boolean show) {
            return warningsTo(show ? System.err::println : line -> {});
        }

        /** Send warnings here instead, e.g. to decide after the start which ones still matter. */
        public Options warningsTo(Consumer<String> sink) {
            return new Options(only, requestHandler, progress, sink, requiredFatal, requestStates, bridge);
        }

        public Options requiredFatal(boolean fatal) {
            return new Options(only, requestHandler, progress, warnings, fatal, requestStates, bridge);
        }
    }

    /**
     * Starts the hub. Failures of non-required servers are printed as warnings on stderr.
     *
     * @throws UserError (exit 1) naming the server when a required server fails to start, or (exit 2)
     *                   when {@code only} names a server that is not configured
     */
    public static McpHub launch(LoadedConfig loaded, Options options) {
        ToolhostConfig config = loaded.config();
        Set<String> selected = select(config, options.only());
        boolean progress = options.progress() != null ? options.progress() : Terminal.personPresent();
        ServerRequestHandler handler =
                options.requestHandler() != null ? options.requestHandler() : new TerminalRequestHandler();

        McpHub.Builder builder = McpHub.builder()
                .workingDirectory(config.cwd())
                .clientInfo("toolhost", Version.current())
                .defaultRequestHandler(handler)
                .onEvent(progress ? line -> System.err.println(line) : line -> {})
                .onWarning(options.warnings())
                .requiredFatal(options.requiredFatal());
        if (options.bridge()) {
            if (selected == null || selected.size() != 1 || selected.contains(BUILTIN)) {
                throw UserError.usage("--bridge: name exactly one configured MCP server");
            }
            builder.bridge();
        }
        for (McpServerConfig server : config.mcpServers().values()) {
            if (selected == null || selected.contains(server.name())) {
                builder.server(server);
            }
        }
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            if (selected == null || selected.contains(BUILTIN)) {
                ExecBackend exec = ExecBackendChoice.create(config);
                BuiltinTools builtin = BuiltinTools.create(
                        config,
                        exec,
                        options.requestStates() != null
                                ? options.requestStates()
                                : RequestStates.random(InputRounds.ANSWER_TIMEOUT, Clock.systemUTC()));
                // Closed after the hub's client: the tools' sessions, then the backend.
                opened.add(builtin);
                opened.add(exec);
                builder.localTools(BUILTIN, builtin);
            }
            opened.forEach(builder::closeAlso);
            return builder.build();
        } catch (ServerStartException e) {
            throw UserError.failed(e.getMessage());
        } catch (IllegalArgumentException e) {
            closeAll(opened);
            throw UserError.usage(e.getMessage());
        }
    }

    /** Null for "everything"; otherwise the validated set of names. */
    private static Set<String> select(ToolhostConfig config, List<String> only) {
        if (only == null) {
            return null;
        }
        requireKnown(config, only);
        Set<String> selected = new LinkedHashSet<>();
        for (String name : only) {
            if (!name.trim().isEmpty()) {
                selected.add(name.trim());
            }
        }
        return selected;
    }

    /**
     * Fails with a usage error naming the first of {@code only} that is neither a configured MCP server, nor
     * {@value #BUILTIN}, nor one of {@code alsoKnown} (names the caller serves itself), and listing the known ones.
     */
    static void requireKnown(ToolhostConfig config, List<String> only, String... alsoKnown) {
        Set<String> known = new TreeSet<>(config.mcpServers().keySet());
        known.add(BUILTIN);
        known.addAll(List.of(alsoKnown));
        for (String name : only) {
            String n = name.trim();
            if (!n.isEmpty() && !known.contains(n)) {
                throw UserError.usage("--only: no MCP server named '" + n + "'; known: " + String.join(", ", known));
            }
        }
    }

    private static void closeAll(List<AutoCloseable> resources) {
        for (AutoCloseable c : resources) {
            try {
                c.close();
            } catch (Exception ignored) {
                // best effort while reporting the real error
            }
        }
    }
}
