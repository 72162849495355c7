package dev.toolhost.host.agent;

import dev.toolhost.config.ApprovalPolicy;
import dev.toolhost.config.ConfigException;
import dev.toolhost.config.ConfigLoader;
import dev.toolhost.config.ConfigRequest;
import dev.toolhost.config.LoadedConfig;
import dev.toolhost.config.SandboxMode;
import dev.toolhost.config.ToolhostConfig;
import dev.toolhost.mcp.client.ServerRequestHandler;
import dev.toolhost.mcp.client.ToolHub;
import dev.toolhost.mcp.server.AgentRunner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The {@code agent} / {@code agent-reply} MCP tools' runner: the same loop as {@code toolhost exec}, with
 * the request's settings layered over the server's own config (only ever narrowing it: {@link AgentLimits}),
 * approvals asked of the calling client, and the thread saved so that agent-reply can continue it.
 */
public final class LoopAgentRunner implements AgentRunner {
    private final ConfigRequest base;
    private final HubOpener hubs;
    private final ThreadStore threads;
    private final Map<String, String> env;

    /**
     * @param base the config request of the serving process ({@code toolhost mcp-server}'s flags)
     * @param hubs starts a hub for each turn, with that turn's effective config
     */
    public LoopAgentRunner(ConfigRequest base, HubOpener hubs, ThreadStore threads, Map<String, String> env) {
        this.base = base;
        this.hubs = hubs;
        this.threads = threads;
        this.env = Map.copyOf(env);
    }

    @Override
    public AgentReply run(AgentRequest request, Consumer<Map<String, Object>> events, ServerRequestHandler approvals)
            throws AgentException {
        AgentThread thread = null;
        if (request.threadId() != null) {
            try {
                thread = threads.load(request.threadId());
            } catch (ThreadStore.ThreadNotFoundException e) {
                throw new AgentException(e.getMessage());
            }
        }
        LoadedConfig loaded = load(request, thread);
        AgentSetup setup;
        try {
            String model = request.model() != null ? request.model() : thread != null ? thread.model() : null;
            // null: the caller is an MCP client, who cannot edit the server's config file (nor should learn its path).
            setup = AgentSetup.resolve(loaded.config(), model, env, null);
        } catch (AgentSetup.SetupException e) {
            throw new AgentException(e.getMessage());
        }
        if (thread == null) {
            thread = threads.create(loaded.config().cwd(), setup.model());
        }
        ToolHub hub;
        try {
            hub = hubs.open(loaded);
        } catch (Exception e) {
            throw new AgentException("cannot start the tools: " + e.getMessage());
        }
        AgentLoop.TurnResult result;
        try (hub) {
            AgentLoop loop = new AgentLoop(
                    hub,
                    setup.client(env),
                    setup.model(),
                    AgentLoop.defaultInstructions(loaded.config().cwd()),
                    approvals);
            // The MCP tool streams the same JSON objects as exec --json.
            result = loop.runTurn(thread, request.prompt(), e -> events.accept(AgentJson.toMap(e)));
            // A cancelled turn leaves the interrupt flag set; clear it while the hub closes (it waits for children).
            Thread.interrupted();
        }
        if (result.cancelled()) {
            Thread.currentThread().interrupt();
        }
        if (!result.ok()) {
            throw new AgentException(result.error() + " (threadId " + result.threadId() + ")", result.threadId());
        }
        return new AgentReply(result.threadId(), result.finalMessage());
    }

    /**
     * The turn's config: the server's, narrowed by the request. Anything that would widen the server's (see
     * {@link AgentLimits}) is refused before a model is called or a tool started.
     */
    private LoadedConfig load(AgentRequest request, AgentThread thread) throws AgentException {
        ToolhostConfig server;
        try {
            server = ConfigLoader.load(base).config();
        } catch (ConfigException e) {
            throw new AgentException(e.getMessage());
        }
        AgentLimits.checkConfig(request.config());
        List<String> overrides = new ArrayList<>(base.overrides());
        overrides.addAll(TomlValues.overrides(request.config()));
        Path cd = base.cd();
        if (request.cwd() != null) {
            cd = AgentLimits.checkCwd(request.cwd(), server);
        } else if (thread != null && thread.cwd() != null) {
            cd = thread.cwd();
        }
        LoadedConfig asked;
        try {
            SandboxMode sandbox =
                    request.sandbox() == null ? base.sandbox() : SandboxMode.fromWireName(request.sandbox());
            ApprovalPolicy approval = request.approvalPolicy() == null
                    ? base.approval()
                    : ApprovalPolicy.fromWireName(request.approvalPolicy());
            String profile = request.profile() != null ? request.profile() : base.profile();
            asked = ConfigLoader.load(
                    new ConfigRequest(base.configFile(), profile, overrides, sandbox, approval, cd, base.strict()));
        } catch (IllegalArgumentException e) {
            throw new AgentException("invalid sandbox or approval-policy: " + e.getMessage());
        } catch (ConfigException e) {
            throw new AgentException(e.getMessage());
        }
        AgentLimits.checkNarrower(server, asked.config(), request);
        AgentLimits.checkSameReach(server, asked.config(), request);
        return asked;
    }
}
