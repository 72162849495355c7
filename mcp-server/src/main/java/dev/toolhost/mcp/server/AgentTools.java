package dev.toolhost.mcp.server;

import dev.toolhost.mcp.client.ServerRequestHandler;
import dev.toolhost.mcp.core.ArgumentValidator;
import dev.toolhost.mcp.core.Caller;
import dev.toolhost.mcp.core.McpRequest;
import dev.toolhost.mcp.core.Outcome;
import dev.toolhost.mcp.core.RequestSink;
import dev.toolhost.mcp.core.ToolProvider;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpAsyncServerExchange;
import io.modelcontextprotocol.server.McpServerFeatures.AsyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The {@code agent} and {@code agent-reply} tools (in the roles of Codex's {@code codex} and
 * {@code codex-reply}): run a turn of the agent through an {@link AgentRunner}, stream its events to
 * the caller as progress and logging notifications, and answer with the final message plus
 * {@code structuredContent {threadId, content}}.
 *
 * <p>Served two ways: as SDK tool specifications on a legacy session ({@link #specifications}), and under the
 * request model for 2026-07-28 (stateless) callers ({@link #provider}).
 *
 * <p>A thread belongs to the caller that started it ({@link Caller#key}: the legacy session, or the bearer token
 * of a stateless caller): {@code agent-reply} from anyone else, or for a thread this instance did not start, gets
 * the same error as an unknown threadId, so that one client never learns of or reaches another's thread.
 */
public final class AgentTools {
    static final String AGENT = "agent";
    static final String AGENT_REPLY = "agent-reply";

    private static final String AGENT_SCHEMA = """
            {"type":"object","properties":{
              "prompt":{"type":"string","description":"The user prompt that starts the conversation."},
              "cwd":{"type":"string","description":"Working directory for the session, inside the server's\
             workspace (default: the server's)."},
              "model":{"type":"string","description":"Model name, overriding config.toml."},
              "profile":{"type":"string","description":"A profile of the server's config; no wider than the\
             server's settings."},
              "sandbox":{"type":"string","enum":["read-only","workspace-write","danger-full-access"],
                "description":"At most the server's sandbox (read-only < workspace-write < danger-full-access)."},
              "approval-policy":{"type":"string","enum":["untrusted","on-failure","on-request","never"],
                "description":"At most as loose as the server's (untrusted < on-failure = on-request < never)."},
              "config":{"type":"object","description":"Config overrides, dotted key to a string, number or\
             boolean; only model, model_reasoning_effort, model_reasoning_summary, model_verbosity.",
                "additionalProperties":{"type":["string","number","boolean"]}}
            },"required":["prompt"],"additionalProperties":false}""";
    private static final String REPLY_SCHEMA = """
            {"type":"object","properties":{
              "threadId":{"type":"string","description":"The threadId returned by a previous agent call."},
              "prompt":{"type":"string","description":"The next user prompt."}
            },"required":["threadId","prompt"],"additionalProperties":false}""";
    private static final String OUTPUT_SCHEMA = """
            {"type":"object","properties":{"threadId":{"type":"string"},"content":{"type":"string"}},
             "required":["threadId","content"]}""";

    private final AgentRunner runner;
    private final McpJsonMapper json;
    /** threadId to the key of the caller that started it. */
    private final Map<String, String> owners = new ConcurrentHashMap<>();
    /** Each tool's published inputSchema, which every call is checked against before anything runs. */
    private final Map<String, Map<String, Object>> inputSchemas = new ConcurrentHashMap<>();

    AgentTools(AgentRunner runner, McpJsonMapper json) {
        this.runner = runner;
        this.json = json;
        tools().forEach(t -> inputSchemas.put(t.name(), t.inputSchema()));
    }

    private List<McpSchema.Tool> tools() {
        McpSchema.Tool agent = McpSchema.Tool.builder()
                .name(AGENT)
                .title("Toolhost agent")
                .description("Run a Toolhost agent session: the agent works on the prompt with Toolhost's tools and"
                        + " answers with its final message and a threadId to continue with agent-reply.")
                .inputSchema(json, AGENT_SCHEMA)
                .outputSchema(json, OUTPUT_SCHEMA)
                .build();
        McpSchema.Tool reply = McpSchema.Tool.builder()
                .name(AGENT_REPLY)
                .title("Continue a Toolhost agent session")
                .description("Continue an agent session started by the agent tool, by threadId.")
                .inputSchema(json, REPLY_SCHEMA)
                .outputSchema(json, OUTPUT_SCHEMA)
                .build();
        return List.of(agent, reply);
    }

    List<AsyncToolSpecification> specifications() {
        List<McpSchema.Tool> tools = tools();
        return List.of(
                AsyncToolSpecification.builder()
                        .tool(tools.get(0))
                        .callHandler((ex, req) -> run(ex, req, false))
                        .build(),
                AsyncToolSpecification.builder()
                        .tool(tools.get(1))
                        .callHandler((ex, req) -> run(ex, req, true))
                        .build());
    }

    /**
     * The agent tools for 2026-07-28 (stateless) callers: the turn's events go to the request's own stream
     * (progress under its token, log messages at info), and approvals the inner agent needs mid-turn are
     * declined with a reason saying how to proceed, because a stateless caller can only be asked at the end
     * of a request, not in the middle of a turn.
     */
    public static ToolProvider provider(AgentRunner runner, McpJsonMapper json) {
        AgentTools tools = new AgentTools(runner, json);
        List<McpSchema.Tool> definitions = tools.tools();
        ExecutorService threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "toolhost-agent-turn");
            t.setDaemon(true);
            return t;
        });
        return new ToolProvider() {
            @Override
            public List<McpSchema.Tool> tools() {
                return definitions;
            }

            @Override
            public CompletableFuture<Outcome<McpSchema.CallToolResult>> call(McpRequest request, RequestSink sink) {
                boolean reply = AGENT_REPLY.equals(request.name());
                if (!reply && !AGENT.equals(request.name())) {
                    return CompletableFuture.failedFuture(
                            new IllegalArgumentException("unknown tool '" + request.name() + "'"));
                }
                CompletableFuture<Outcome<McpSchema.CallToolResult>> result = new CompletableFuture<>();
                Caller caller = request.meta() == null
                        ? Caller.stateless(null)
                        : request.meta().caller();
                Future<?> running = threads.submit(() -> result.complete(Outcome.complete(tools.runTurn(
                        caller.key(), request.arguments(), reply, tools.eventSink(sink), STATELESS_APPROVALS))));
                result.whenComplete((r, e) -> {
                    if (result.isCancelled()) {
                        running.cancel(true);
                    }
                });
                return result;
            }
        };
    }

    /** Why the inner agent's approvals are declined for a stateless caller, and what to do instead. */
    static final String STATELESS_APPROVAL_REASON = "the agent needed an approval in the middle of its turn, and a"
            + " 2026-07-28 (stateless) MCP client cannot be asked mid-turn. To proceed, call 'agent' again with"
            + " approval-policy 'never' (failures go back to the agent instead of asking) and a sandbox that allows"
            + " the work (e.g. 'workspace-write'), as far as this server's own settings allow (a client may only"
            + " narrow them), or connect with a legacy MCP session (initialize) whose client declares elicitation";

    private static final ServerRequestHandler STATELESS_APPROVALS = new ServerRequestHandler() {
        @Override
        public McpSchema.ElicitResult elicit(String server, McpSchema.ElicitRequest request) {
            // A decline carrying _meta.reason tells the asking tool that nobody was asked, and why.
            return new McpSchema.ElicitResult(
                    McpSchema.ElicitResult.Action.DECLINE, null, Map.of("reason", STATELESS_APPROVAL_REASON));
        }

        @Override
        public McpSchema.CreateMessageResult sample(String server, McpSchema.CreateMessageRequest request) {
            throw new UnsupportedOperationException(
                    "sampling requested by '" + server + "' was declined: " + STATELESS_APPROVAL_REASON);
        }
    };

    /**
     * Runs one turn for the caller {@code callerKey}; arguments that do not fit the tool's inputSchema (checked as
     * the built-in tools' are, {@link ArgumentValidator}), a thread of another caller or a failing turn is an
     * {@code isError} result.
     */
    private McpSchema.CallToolResult runTurn(
            String callerKey,
            Map<String, Object> args,
            boolean reply,
            Consumer<Map<String, Object>> events,
            ServerRequestHandler approvals) {
        String tool = reply ? AGENT_REPLY : AGENT;
        List<String> problems = ArgumentValidator.validateArguments(inputSchemas.get(tool), args);
        if (!problems.isEmpty()) {
            return error(ArgumentValidator.describe(tool, problems));
        }
        AgentRunner.AgentRequest request;
        try {
            request = request(args, reply);
        } catch (IllegalArgumentException e) {
            return error(e.getMessage());
        }
        if (reply && !callerKey.equals(owners.get(request.threadId()))) {
            // The same answer whether the thread does not exist or is another caller's: nothing about it leaks.
            return error("unknown threadId '" + request.threadId() + "': start a thread with the agent tool (a thread"
                    + " can be continued only by the MCP client that started it, while this server runs)");
        }
        try {
            AgentRunner.AgentReply done = runner.run(request, events, approvals);
            owners.putIfAbsent(done.threadId(), callerKey);
            Map<String, Object> structured = new LinkedHashMap<>();
            structured.put("threadId", done.threadId());
            structured.put("content", done.finalMessage());
            return McpSchema.CallToolResult.builder()
                    .addTextContent(done.finalMessage())
                    .structuredContent(structured)
                    .build();
        } catch (AgentRunner.AgentException e) {
            if (e.threadId() != null) {
                owners.putIfAbsent(e.threadId(), callerKey);
            }
            return error(e.getMessage());
        }
    }

    private static AgentRunner.AgentRequest request(Map<String, Object> args, boolean reply) {
        return reply
                ? new AgentRunner.AgentRequest(
                        string(args, "threadId", true),
                        string(args, "prompt", true),
                        null,
                        null,
                        null,
                        null,
                        null,
                        Map.of())
                : new AgentRunner.AgentRequest(
                        null,
                        string(args, "prompt", true),
                        string(args, "cwd", false),
                        string(args, "model", false),
                        string(args, "profile", false),
                        string(args, "sandbox", false),
                        string(args, "approval-policy", false),
                        config(args));
    }

    /** Each event becomes a log message (the event JSON) and a progress tick, filtered by the request's sink. */
    private Consumer<Map<String, Object>> eventSink(RequestSink sink) {
        AtomicLong count = new AtomicLong();
        return event -> {
            long n = count.incrementAndGet();
            // The sink puts the request's own token on it (and drops it when the request asked for no progress).
            sink.progress(new McpSchema.ProgressNotification("", (double) n, null, String.valueOf(event.get("type"))));
            sink.log(new McpSchema.LoggingMessageNotification(
                    McpSchema.LoggingLevel.INFO, "toolhost.agent", eventJson(event)));
        };
    }

    private String eventJson(Map<String, Object> event) {
        try {
            return json.writeValueAsString(event);
        } catch (IOException e) {
            return String.valueOf(event);
        }
    }

    private Mono<McpSchema.CallToolResult> run(
            McpAsyncServerExchange exchange, McpSchema.CallToolRequest call, boolean reply) {
        Map<String, Object> args = call.arguments() == null ? Map.of() : call.arguments();
        Consumer<Map<String, Object>> events = eventForwarder(exchange, call);
        String callerKey = Caller.legacySession(exchange.sessionId()).key();
        return Mono.fromCallable(() -> runTurn(callerKey, args, reply, events, new CallerRequestHandler(exchange)))
                .subscribeOn(Schedulers.boundedElastic());
    }

    /** Each event becomes a logging notification (the event JSON) and, when asked for, a progress tick. */
    private Consumer<Map<String, Object>> eventForwarder(
            McpAsyncServerExchange exchange, McpSchema.CallToolRequest call) {
        Object token = call.meta() == null ? null : call.meta().get("progressToken");
        AtomicLong count = new AtomicLong();
        return event -> {
            String text = eventJson(event);
            long n = count.incrementAndGet();
            if (token != null) {
                exchange.progressNotification(new McpSchema.ProgressNotification(
                                token, (double) n, null, String.valueOf(event.get("type"))))
                        .subscribe(null, e -> {});
            }
            exchange.loggingNotification(new McpSchema.LoggingMessageNotification(
                            McpSchema.LoggingLevel.INFO, "toolhost.agent", text))
                    .subscribe(null, e -> {});
        };
    }

    private static String string(Map<String, Object> args, String key, boolean required) {
        Object v = args.get(key);
        if (v == null) {
            if (required) {
                throw new IllegalArgumentException("missing required argument '" + key + "'");
            }
            return null;
        }
        if (!(v instanceof String s)) {
            throw new IllegalArgumentException("argument '" + key + "' must be a string, got " + v);
        }
        return s;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> config(Map<String, Object> args) {
        Object v = args.get("config");
        if (v == null) {
            return Map.of();
        }
        if (!(v instanceof Map<?, ?>)) {
            throw new IllegalArgumentException("argument 'config' must be an object of dotted keys to values");
        }
        return (Map<String, Object>) v;
    }

    private static McpSchema.CallToolResult error(String message) {
        return McpSchema.CallToolResult.builder()
                .addTextContent(message)
                .isError(true)
                .build();
    }
}
