package dev.toolhost.mcp.server;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpAsyncServerExchange;
import io.modelcontextprotocol.server.McpServerFeatures.AsyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The {@code agent} and {@code agent-reply} tools (in the roles of Codex's {@code codex} and
 * {@code codex-reply}): run a turn of the agent through an {@link AgentRunner}, stream its events to
 * the caller as progress and logging notifications, and answer with the final message plus
 * {@code structuredContent {threadId, content}}.
 */
final class AgentTools {
    static final String AGENT = "agent";
    static final String AGENT_REPLY = "agent-reply";

    private static final String AGENT_SCHEMA = """
            {"type":"object","properties":{
              "prompt":{"type":"string","description":"The user prompt that starts the conversation."},
              "cwd":{"type":"string","description":"Working directory for the session (default: the server's)."},
              "model":{"type":"string","description":"Model name, overriding config.toml."},
              "profile":{"type":"string","description":"Config profile to use."},
              "sandbox":{"type":"string","enum":["read-only","workspace-write","danger-full-access"]},
              "approval-policy":{"type":"string","enum":["untrusted","on-failure","on-request","never"]},
              "config":{"type":"object","description":"Config overrides, dotted key to value (as -c would give).",
                "additionalProperties":true}
            },"required":["prompt"]}""";
    private static final String REPLY_SCHEMA = """
            {"type":"object","properties":{
              "threadId":{"type":"string","description":"The threadId returned by a previous agent call."},
              "prompt":{"type":"string","description":"The next user prompt."}
            },"required":["threadId","prompt"]}""";
    private static final String OUTPUT_SCHEMA = """
            {"type":"object","properties":{"threadId":{"type":"string"},"content":{"type":"string"}},
             "required":["threadId","content"]}""";

    private final AgentRunner runner;
    private final McpJsonMapper json;

    AgentTools(AgentRunner runner, McpJsonMapper json) {
        this.runner = runner;
        this.json = json;
    }

    List<AsyncToolSpecification> specifications() {
        McpSchema.Tool agent = McpSchema.Tool.builder().name(AGENT).title("Toolhost agent")
                .description("Run a Toolhost agent session: the agent works on the prompt with Toolhost's tools and"
                        + " answers with its final message and a threadId to continue with agent-reply.")
                .inputSchema(json, AGENT_SCHEMA).outputSchema(json, OUTPUT_SCHEMA).build();
        McpSchema.Tool reply = McpSchema.Tool.builder().name(AGENT_REPLY).title("Continue a Toolhost agent session")
                .description("Continue an agent session started by the agent tool, by threadId.")
                .inputSchema(json, REPLY_SCHEMA).outputSchema(json, OUTPUT_SCHEMA).build();
        return List.of(
                AsyncToolSpecification.builder().tool(agent).callHandler((ex, req) -> run(ex, req, false)).build(),
                AsyncToolSpecification.builder().tool(reply).callHandler((ex, req) -> run(ex, req, true)).build());
    }

    private Mono<McpSchema.CallToolResult> run(McpAsyncServerExchange exchange, McpSchema.CallToolRequest call,
            boolean reply) {
        Map<String, Object> args = call.arguments() == null ? Map.of() : call.arguments();
        AgentRunner.AgentRequest request;
        try {
            request = reply
                    ? new AgentRunner.AgentRequest(string(args, "threadId", true), string(args, "prompt", true),
                            null, null, null, null, null, Map.of())
                    : new AgentRunner.AgentRequest(null, string(args, "prompt", true), string(args, "cwd", false),
                            string(args, "model", false), string(args, "profile", false),
                            string(args, "sandbox", false), string(args, "approval-policy", false), config(args));
        } catch (IllegalArgumentException e) {
            return Mono.just(error(e.getMessage()));
        }
        Consumer<Map<String, Object>> events = eventForwarder(exchange, call);
        return Mono.fromCallable(() -> {
            try {
                AgentRunner.AgentReply done = runner.run(request, events, new CallerRequestHandler(exchange));
                Map<String, Object> structured = new LinkedHashMap<>();
                structured.put("threadId", done.threadId());
                structured.put("content", done.finalMessage());
                return McpSchema.CallToolResult.builder().addTextContent(done.finalMessage())
                        .structuredContent(structured).build();
            } catch (AgentRunner.AgentException e) {
                return error(e.getMessage());
            }
        }).subscribeOn(Schedulers.boundedElastic());
    }

    /** Each event becomes a logging notification (the event JSON) and, when asked for, a progress tick. */
    private Consumer<Map<String, Object>> eventForwarder(McpAsyncServerExchange exchange, McpSchema.CallToolRequest call) {
        Object token = call.meta() == null ? null : call.meta().get("progressToken");
        AtomicLong count = new AtomicLong();
        return event -> {
            String text;
            try {
                text = json.writeValueAsString(event);
            } catch (IOException e) {
                text = String.valueOf(event);
            }
            long n = count.incrementAndGet();
            if (token != null) {
                exchange.progressNotification(new McpSchema.ProgressNotification(token, (double) n, null,
                        String.valueOf(event.get("type")))).subscribe(null, e -> { });
            }
            exchange.loggingNotification(new McpSchema.LoggingMessageNotification(McpSchema.LoggingLevel.INFO,
                    "toolhost.agent", text)).subscribe(null, e -> { });
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
        return McpSchema.CallToolResult.builder().addTextContent(message).isError(true).build();
    }
}
