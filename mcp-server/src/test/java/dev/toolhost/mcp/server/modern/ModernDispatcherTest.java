package dev.toolhost.mcp.server.modern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.builtin.BuiltinTools;
import dev.toolhost.config.ApprovalPolicy;
import dev.toolhost.config.ConfigLoader;
import dev.toolhost.config.ConfigRequest;
import dev.toolhost.config.SandboxMode;
import dev.toolhost.config.ToolhostConfig;
import dev.toolhost.exec.ExecBackend;
import dev.toolhost.exec.ExecBackends;
import dev.toolhost.mcp.client.McpHub;
import dev.toolhost.mcp.client.ServerRequestHandler;
import dev.toolhost.mcp.core.InputRequest;
import dev.toolhost.mcp.core.McpRequest;
import dev.toolhost.mcp.core.Outcome;
import dev.toolhost.mcp.core.RequestSink;
import dev.toolhost.mcp.core.RequestStates;
import dev.toolhost.mcp.core.ToolProvider;
import dev.toolhost.mcp.server.AgentRunner;
import dev.toolhost.mcp.server.AgentTools;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The 2026-07-28 dispatcher on a real hub with the built-in tools (exec_command under approval_policy untrusted). */
class ModernDispatcherTest {
    static final McpJsonMapper JSON = McpJsonDefaults.getMapper();
    static final Map<String, Object> ELICITING = Map.of("elicitation", Map.of());

    @TempDir
    Path work;

    @TempDir
    Path home;

    private McpHub hub;
    private ModernDispatcher dispatcher;
    private final List<Map<String, Object>> stream = new CopyOnWriteArrayList<>();
    private int nextId = 1;

    @BeforeEach
    void startHub() throws Exception {
        ToolhostConfig config = ConfigLoader.load(new ConfigRequest(
                        home.resolve("config.toml"),
                        null,
                        List.of(),
                        SandboxMode.DANGER_FULL_ACCESS,
                        ApprovalPolicy.UNTRUSTED,
                        work,
                        false))
                .config();
        ExecBackend exec = ExecBackends.create(config);
        BuiltinTools builtin =
                BuiltinTools.create(config, exec, RequestStates.random(Duration.ofMinutes(5), Clock.systemUTC()));
        hub = McpHub.builder()
                .workingDirectory(work)
                .localTools("builtin", builtin)
                .closeAlso(builtin)
                .closeAlso(exec)
                .defaultRequestHandler(ServerRequestHandler.declining())
                .build();
        dispatcher = new ModernDispatcher(
                hub,
                JSON,
                new ModernDispatcher.Options(
                        new McpSchema.Implementation("toolhost", "test"),
                        "use the tools",
                        null,
                        Duration.ofSeconds(30)));
    }

    @AfterEach
    void stop() {
        dispatcher.close();
        hub.close();
    }

    static Map<String, Object> meta(Map<String, Object> capabilities) {
        Map<String, Object> meta = new HashMap<>();
        meta.put("io.modelcontextprotocol/protocolVersion", "2026-07-28");
        meta.put("io.modelcontextprotocol/clientCapabilities", capabilities);
        meta.put("io.modelcontextprotocol/clientInfo", Map.of("name", "test-client", "version", "1"));
        return meta;
    }

    static Map<String, Object> request(Object id, String method, Map<String, Object> params, Map<String, Object> meta) {
        Map<String, Object> p = new HashMap<>(params);
        if (meta != null) {
            p.put("_meta", meta);
        }
        Map<String, Object> m = new HashMap<>();
        m.put("jsonrpc", "2.0");
        m.put("id", id);
        m.put("method", method);
        m.put("params", p);
        return m;
    }

    private ModernEndpoint.Reply send(String method, Map<String, Object> params, Map<String, Object> meta)
            throws Exception {
        return dispatcher
                .handle(request(nextId++, method, params, meta), "token-a", stream::add)
                .get(30, TimeUnit.SECONDS);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> result(ModernEndpoint.Reply reply) {
        assertNull(reply.message().get("error"), () -> "unexpected error: " + reply.message());
        return (Map<String, Object>) reply.message().get("result");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> error(ModernEndpoint.Reply reply) {
        assertTrue(reply.message().containsKey("error"), () -> "expected an error: " + reply.message());
        return (Map<String, Object>) reply.message().get("error");
    }

    @Test
    void aRequestWithoutProtocolVersionOrCapabilitiesIsInvalidParamsWithItsId() throws Exception {
        ModernEndpoint.Reply none = dispatcher
                .handle(request("r1", "tools/list", Map.of(), null), null, stream::add)
                .join();
        assertEquals(400, none.httpStatus());
        assertEquals(-32602, error(none).get("code"));
        assertEquals("r1", none.message().get("id"));

        Map<String, Object> noCaps = meta(Map.of());
        noCaps.remove("io.modelcontextprotocol/clientCapabilities");
        ModernEndpoint.Reply missing = send("tools/list", Map.of(), noCaps);
        assertEquals(400, missing.httpStatus());
        assertEquals(-32602, error(missing).get("code"));
        assertTrue(((String) error(missing).get("message")).contains("clientCapabilities"), missing.toString());

        Map<String, Object> badLevel = meta(Map.of());
        badLevel.put("io.modelcontextprotocol/logLevel", "loud");
        ModernEndpoint.Reply level = send("tools/list", Map.of(), badLevel);
        assertEquals(400, level.httpStatus());
        assertEquals(-32602, error(level).get("code"));
        assertTrue(((String) error(level).get("message")).contains("'loud'"), level.toString());
    }

    @Test
    void capabilitiesThisServerDoesNotKnowAreAccepted() throws Exception {
        Map<String, Object> meta = meta(Map.of(
                "elicitation",
                Map.of("form", Map.of()),
                "roots",
                Map.of("listChanged", true),
                "extensions",
                Map.of("io.modelcontextprotocol/tasks", Map.of()),
                "somethingNew",
                Map.of("x", 1)));
        assertEquals("complete", result(send("tools/list", Map.of(), meta)).get("resultType"));
    }

    @Test
    void anUnsupportedVersionGetsUnsupportedProtocolVersionWithTheSupportedList() throws Exception {
        Map<String, Object> meta = meta(Map.of());
        meta.put("io.modelcontextprotocol/protocolVersion", "v999.0.0");
        ModernEndpoint.Reply reply = send("server/discover", Map.of(), meta);
        assertEquals(400, reply.httpStatus());
        Map<String, Object> error = error(reply);
        assertEquals(-32022, error.get("code"));
        assertEquals(Map.of("supported", List.of("2026-07-28"), "requested", "v999.0.0"), error.get("data"));
        assertEquals(1, reply.message().get("id"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void discoverNamesTheVersionsCapabilitiesAndServer() throws Exception {
        Map<String, Object> result = result(send("server/discover", Map.of(), meta(Map.of())));
        assertEquals(List.of("2026-07-28"), result.get("supportedVersions"));
        assertEquals("complete", result.get("resultType"));
        assertEquals(Map.of("listChanged", true), ((Map<String, Object>) result.get("capabilities")).get("tools"));
        Map<String, Object> info = Map.of("name", "toolhost", "version", "test");
        assertEquals(info, ((Map<String, Object>) result.get("_meta")).get("io.modelcontextprotocol/serverInfo"));
        assertEquals(info, result.get("serverInfo"));
        assertEquals("use the tools", result.get("instructions"));
        assertEquals(30_000L, ((Number) result.get("ttlMs")).longValue());
        assertEquals("private", result.get("cacheScope"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void toolsAreListedInNameOrderWithCachingFieldsAndABadCursorIsInvalidParams() throws Exception {
        Map<String, Object> result = result(send("tools/list", Map.of(), meta(Map.of())));
        List<String> names = ((List<Map<String, Object>>) result.get("tools"))
                .stream().map(t -> (String) t.get("name")).toList();
        assertTrue(names.contains("exec_command") && names.contains("apply_patch"), names.toString());
        assertEquals(names.stream().sorted().toList(), names);
        assertEquals("complete", result.get("resultType"));
        assertEquals(30_000L, ((Number) result.get("ttlMs")).longValue());
        assertEquals("private", result.get("cacheScope"));
        assertTrue(((Map<String, Object>) result.get("_meta")).containsKey("io.modelcontextprotocol/serverInfo"));

        ModernEndpoint.Reply bad = send("tools/list", Map.of("cursor", "page-7"), meta(Map.of()));
        assertEquals(-32602, error(bad).get("code"));
        assertTrue(((String) error(bad).get("message")).contains("page-7"));
    }

    @Test
    void legacyOnlyAndUnknownMethodsAreNotFound() throws Exception {
        for (String method : List.of(
                "initialize", "ping", "logging/setLevel", "resources/subscribe", "resources/unsubscribe", "no/such")) {
            ModernEndpoint.Reply reply = send(method, Map.of(), meta(Map.of()));
            assertEquals(404, reply.httpStatus(), method);
            assertEquals(-32601, error(reply).get("code"), method);
            assertTrue(reply.message().get("id") instanceof Integer, method);
        }
        // completion/complete exists (passed through to the server that offers the prompt): a bad one is invalid.
        ModernEndpoint.Reply complete = send("completion/complete", Map.of(), meta(Map.of()));
        assertEquals(-32602, error(complete).get("code"), complete.toString());
    }

    @Test
    @SuppressWarnings("unchecked")
    void anApprovalIsAnInputRequiredResultAndTheRetryRunsTheCommand() throws Exception {
        Map<String, Object> call =
                Map.of("name", "exec_command", "arguments", Map.of("cmd", "touch made", "login", false));
        Map<String, Object> first = result(send("tools/call", call, meta(ELICITING)));
        assertEquals("input_required", first.get("resultType"), first.toString());
        Map<String, Object> ask =
                (Map<String, Object>) ((Map<String, Object>) first.get("inputRequests")).get("approval");
        assertEquals("elicitation/create", ask.get("method"));
        assertTrue(((Map<String, Object>) ask.get("params")).containsKey("requestedSchema"), ask.toString());
        assertFalse(first.containsKey("ttlMs"), "never on input_required");
        String state = (String) first.get("requestState");
        assertFalse(Files.exists(work.resolve("made")), "nothing runs before the approval");

        Map<String, Object> retry = new HashMap<>(call);
        retry.put(
                "inputResponses",
                Map.of("approval", Map.of("action", "accept", "content", Map.of("decision", "approved"))));
        retry.put("requestState", state);
        Map<String, Object> done = result(send("tools/call", retry, meta(ELICITING)));
        assertEquals("complete", done.get("resultType"), done.toString());
        assertFalse(Boolean.TRUE.equals(done.get("isError")), done.toString());
        assertTrue(Files.exists(work.resolve("made")), "the approved command ran");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aTamperedRequestStateIsAClearErrorAndRunsNothing() throws Exception {
        Map<String, Object> call =
                Map.of("name", "exec_command", "arguments", Map.of("cmd", "touch made", "login", false));
        String state =
                (String) result(send("tools/call", call, meta(ELICITING))).get("requestState");
        char[] chars = state.toCharArray();
        chars[chars.length / 2] = chars[chars.length / 2] == 'A' ? 'B' : 'A';
        Map<String, Object> retry = new HashMap<>(call);
        retry.put(
                "inputResponses",
                Map.of("approval", Map.of("action", "accept", "content", Map.of("decision", "approved"))));
        retry.put("requestState", new String(chars));
        Map<String, Object> refused = result(send("tools/call", retry, meta(ELICITING)));
        assertEquals(Boolean.TRUE, refused.get("isError"), refused.toString());
        String text = String.valueOf(
                ((List<Map<String, Object>>) refused.get("content")).get(0).get("text"));
        assertTrue(text.contains("requestState was altered"), text);
        assertFalse(Files.exists(work.resolve("made")));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aStateIssuedToOneBearerTokenIsRefusedForAnother() throws Exception {
        Map<String, Object> call =
                Map.of("name", "exec_command", "arguments", Map.of("cmd", "touch made", "login", false));
        String state =
                (String) result(send("tools/call", call, meta(ELICITING))).get("requestState");
        Map<String, Object> retry = new HashMap<>(call);
        retry.put(
                "inputResponses",
                Map.of("approval", Map.of("action", "accept", "content", Map.of("decision", "approved"))));
        retry.put("requestState", state);
        Map<String, Object> refused = result(dispatcher
                .handle(request(99, "tools/call", retry, meta(ELICITING)), "token-b", stream::add)
                .get(30, TimeUnit.SECONDS));
        assertEquals(Boolean.TRUE, refused.get("isError"), refused.toString());
        assertTrue(String.valueOf(refused.get("content")).contains("different request or caller"), refused.toString());
        assertFalse(Files.exists(work.resolve("made")));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aProcessHandleIssuedToOneBearerTokenIsRefusedForAnotherExactlyLikeAnUnknownOne() throws Exception {
        Map<String, Object> started = result(send(
                "tools/call",
                Map.of(
                        "name",
                        "exec_command",
                        "arguments",
                        Map.of("cmd", "cat", "tty", true, "yield_time_ms", 200, "login", false)),
                meta(ELICITING)));
        long id = ((Number) ((Map<String, Object>) started.get("structuredContent")).get("session_id")).longValue();
        try {
            String foreign = stdin("token-b", id, "typed-by-b\n");
            String unknown = stdin("token-b", id + 1, "typed-by-b\n");
            assertTrue(foreign.contains("no running session with ID " + id), foreign);
            assertEquals(unknown.replace(Long.toString(id + 1), "N"), foreign.replace(Long.toString(id), "N"));
            String own = stdin("token-a", id, "typed-by-a\n");
            assertTrue(own.contains("typed-by-a") && !own.contains("typed-by-b"), own);
        } finally {
            stdin("token-a", id, "\u0003");
        }
    }

    /** write_stdin as the caller of {@code bearerToken}; the result's text. */
    @SuppressWarnings("unchecked")
    private String stdin(String bearerToken, long id, String chars) throws Exception {
        Map<String, Object> r = result(dispatcher
                .handle(
                        request(
                                nextId++,
                                "tools/call",
                                Map.of(
                                        "name",
                                        "write_stdin",
                                        "arguments",
                                        Map.of("session_id", id, "chars", chars, "yield_time_ms", 500)),
                                meta(ELICITING)),
                        bearerToken,
                        stream::add)
                .get(30, TimeUnit.SECONDS));
        return String.valueOf(
                ((List<Map<String, Object>>) r.get("content")).get(0).get("text"));
    }

    @Test
    void anUnknownToolAndAnUnknownResourceAreInvalidParams() throws Exception {
        ModernEndpoint.Reply tool = send("tools/call", Map.of("name", "nope", "arguments", Map.of()), meta(Map.of()));
        assertEquals(-32602, error(tool).get("code"));
        assertTrue(((String) error(tool).get("message")).contains("unknown tool 'nope'"), tool.toString());
        // A remote client has no `toolhost` command to run: it is told about tools/list.
        assertTrue(((String) error(tool).get("message")).contains("tools/list"), tool.toString());
        assertFalse(((String) error(tool).get("message")).contains("toolhost tools"), tool.toString());

        ModernEndpoint.Reply resource = send("resources/read", Map.of("uri", "file:///nowhere"), meta(Map.of()));
        assertEquals(-32602, error(resource).get("code"));
        assertEquals(Map.of("uri", "file:///nowhere"), error(resource).get("data"));

        ModernEndpoint.Reply prompt = send("prompts/get", Map.of("name", "nope"), meta(Map.of()));
        assertEquals(-32602, error(prompt).get("code"));
    }

    // ---- with stand-in tools: what the built-in tools never do ----

    private ModernDispatcher withAgentTools(ToolProvider tools) {
        return new ModernDispatcher(
                hub, JSON, new ModernDispatcher.Options(new McpSchema.Implementation("toolhost", "test"), tools));
    }

    @Test
    @SuppressWarnings("unchecked")
    void anInputRequestTheClientCannotAnswerIsMissingRequiredClientCapability() throws Exception {
        ToolProvider sampler = new ToolProvider() {
            @Override
            public List<McpSchema.Tool> tools() {
                return List.of(McpSchema.Tool.builder()
                        .name("summarize")
                        .inputSchema(Map.of("type", "object"))
                        .build());
            }

            @Override
            public CompletableFuture<Outcome<McpSchema.CallToolResult>> call(McpRequest request, RequestSink sink) {
                return CompletableFuture.completedFuture(new Outcome.InputRequired<>(
                        Map.of(
                                "s",
                                new InputRequest(
                                        InputRequest.SAMPLING, Map.of("messages", List.of(), "maxTokens", 10))),
                        null));
            }
        };
        ModernDispatcher d = withAgentTools(sampler);
        ModernEndpoint.Reply reply = d.handle(
                        request(7, "tools/call", Map.of("name", "summarize"), meta(ELICITING)), null, stream::add)
                .get(10, TimeUnit.SECONDS);
        assertEquals(400, reply.httpStatus());
        assertEquals(-32021, error(reply).get("code"));
        assertEquals(
                Map.of("requiredCapabilities", Map.of("sampling", Map.of())),
                error(reply).get("data"));
        assertEquals(7, reply.message().get("id"));

        Map<String, Object> withSampling = result(d.handle(
                        request(8, "tools/call", Map.of("name", "summarize"), meta(Map.of("sampling", Map.of()))),
                        null,
                        stream::add)
                .get(10, TimeUnit.SECONDS));
        assertEquals("input_required", withSampling.get("resultType"));
        assertFalse(withSampling.containsKey("requestState"), "no state was given, none is sent");
    }

    /** An agent runner that emits two events and reports what the approval handler answered. */
    private static final AgentRunner ASKING_RUNNER = (request, events, approvals) -> {
        events.accept(Map.of("type", "thread.started"));
        events.accept(Map.of("type", "turn.completed"));
        McpSchema.ElicitResult answer = approvals.elicit(
                "exec_command",
                McpSchema.ElicitFormRequest.builder("run it?", Map.of("type", "object"))
                        .build());
        return new AgentRunner.AgentReply(
                "t1", answer.action() + ": " + answer.meta().get("reason"));
    };

    @Test
    @SuppressWarnings("unchecked")
    void agentEventsGoToTheRequestsStreamOnlyAsAskedAndMidTurnApprovalsAreDeclinedWithAReason() throws Exception {
        ModernDispatcher d = withAgentTools(AgentTools.provider(ASKING_RUNNER, JSON));
        List<Map<String, Object>> quiet = new CopyOnWriteArrayList<>();
        Map<String, Object> plain = result(d.handle(
                        request(
                                1,
                                "tools/call",
                                Map.of("name", "agent", "arguments", Map.of("prompt", "hi")),
                                meta(Map.of())),
                        null,
                        quiet::add)
                .get(10, TimeUnit.SECONDS));
        assertEquals(List.of(), quiet, "no logLevel and no progressToken: nothing on the stream");
        String text = String.valueOf(
                ((List<Map<String, Object>>) plain.get("content")).get(0).get("text"));
        assertTrue(text.startsWith("DECLINE: ") && text.contains("approval-policy 'never'"), text);
        assertEquals(Map.of("threadId", "t1", "content", text), plain.get("structuredContent"));

        List<Map<String, Object>> loud = new CopyOnWriteArrayList<>();
        Map<String, Object> meta = meta(Map.of());
        meta.put("io.modelcontextprotocol/logLevel", "info");
        meta.put("progressToken", "p-1");
        result(d.handle(
                        request(2, "tools/call", Map.of("name", "agent", "arguments", Map.of("prompt", "hi")), meta),
                        null,
                        loud::add)
                .get(10, TimeUnit.SECONDS));
        List<Object> methods = loud.stream().map(n -> n.get("method")).toList();
        assertEquals(
                List.of(
                        "notifications/progress",
                        "notifications/message",
                        "notifications/progress",
                        "notifications/message"),
                methods);
        assertEquals("p-1", ((Map<String, Object>) loud.get(0).get("params")).get("progressToken"));

        List<Map<String, Object>> errorsOnly = new CopyOnWriteArrayList<>();
        meta.put("io.modelcontextprotocol/logLevel", "error");
        meta.remove("progressToken");
        result(d.handle(
                        request(3, "tools/call", Map.of("name", "agent", "arguments", Map.of("prompt", "hi")), meta),
                        null,
                        errorsOnly::add)
                .get(10, TimeUnit.SECONDS));
        assertEquals(List.of(), errorsOnly, "info messages are below the asked level");
    }

    @Test
    @SuppressWarnings("unchecked")
    void agentArgumentsThatDoNotFitTheInputSchemaAreAnErrorNamingTheFieldAndRunNothing() throws Exception {
        List<AgentRunner.AgentRequest> ran = new CopyOnWriteArrayList<>();
        AgentRunner runner = (request, events, approvals) -> {
            ran.add(request);
            return new AgentRunner.AgentReply("t1", "done");
        };
        ModernDispatcher d = withAgentTools(AgentTools.provider(runner, JSON));
        Map<Map<String, Object>, String> expected = new LinkedHashMap<>();
        expected.put(
                Map.of("name", "agent", "arguments", Map.of("prompt", "hi", "sandbox_mode", "danger-full-access")),
                "invalid arguments for agent:\n  sandbox_mode: unknown field (allowed: [prompt, cwd, model, profile,"
                        + " sandbox, approval-policy, config])");
        expected.put(
                Map.of("name", "agent", "arguments", Map.of("prompt", "hi", "sandbox", "bogus")),
                "invalid arguments for agent:\n  sandbox: must be one of [read-only, workspace-write,"
                        + " danger-full-access], got \"bogus\"");
        expected.put(
                Map.of("name", "agent", "arguments", Map.of("prompt", "hi", "approval-policy", "sometimes")),
                "invalid arguments for agent:\n  approval-policy: must be one of [untrusted, on-failure, on-request,"
                        + " never], got \"sometimes\"");
        expected.put(
                Map.of("name", "agent", "arguments", Map.of("config", Map.of("model", Map.of("a", 1)))),
                "invalid arguments for agent:\n  prompt: required field is missing\n  config.model: expected one of"
                        + " [string, number, boolean], got an object");
        expected.put(
                Map.of("name", "agent-reply", "arguments", Map.of("threadId", "t1", "prompt", "hi", "cwd", "/")),
                "invalid arguments for agent-reply:\n  cwd: unknown field (allowed: [threadId, prompt])");
        for (Map.Entry<Map<String, Object>, String> c : expected.entrySet()) {
            Map<String, Object> result =
                    result(d.handle(request(nextId++, "tools/call", c.getKey(), meta(Map.of())), null, stream::add)
                            .get(10, TimeUnit.SECONDS));
            assertEquals(true, result.get("isError"), result.toString());
            assertEquals(
                    c.getValue(),
                    ((List<Map<String, Object>>) result.get("content")).get(0).get("text"));
        }
        assertEquals(List.of(), ran, "no call with bad arguments reached the runner");

        Map<String, Object> fine = result(d.handle(
                        request(
                                nextId++,
                                "tools/call",
                                Map.of(
                                        "name",
                                        "agent",
                                        "arguments",
                                        Map.of(
                                                "prompt",
                                                "hi",
                                                "sandbox",
                                                "read-only",
                                                "config",
                                                Map.of("model", "m", "model_verbosity", "low"))),
                                meta(Map.of())),
                        null,
                        stream::add)
                .get(10, TimeUnit.SECONDS));
        assertEquals(false, fine.get("isError"), fine.toString());
        assertEquals("read-only", ran.get(0).sandbox());
    }

    @Test
    @SuppressWarnings("unchecked")
    void aThreadIsContinuedOnlyByTheCallerThatStartedItAndAnotherCallerCannotTellItExists() throws Exception {
        List<String> ran = new CopyOnWriteArrayList<>();
        AgentRunner runner = (request, events, approvals) -> {
            ran.add(request.threadId() == null ? "new" : request.threadId());
            return new AgentRunner.AgentReply(
                    request.threadId() == null ? "t1" : request.threadId(), "said: " + request.prompt());
        };
        ModernDispatcher d = withAgentTools(AgentTools.provider(runner, JSON));
        java.util.function.BiFunction<String, Map<String, Object>, Map<String, Object>> call = (token, params) -> {
            try {
                return result(d.handle(request(nextId++, "tools/call", params, meta(Map.of())), token, stream::add)
                        .get(10, TimeUnit.SECONDS));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        Map<String, Object> started =
                call.apply("token-a", Map.of("name", "agent", "arguments", Map.of("prompt", "hi")));
        assertEquals("t1", ((Map<String, Object>) started.get("structuredContent")).get("threadId"));

        Map<String, Object> stolen = call.apply(
                "token-b", Map.of("name", "agent-reply", "arguments", Map.of("threadId", "t1", "prompt", "leak")));
        Map<String, Object> unknown = call.apply(
                "token-b", Map.of("name", "agent-reply", "arguments", Map.of("threadId", "t2", "prompt", "leak")));
        assertEquals(true, stolen.get("isError"));
        String text = String.valueOf(
                ((List<Map<String, Object>>) stolen.get("content")).get(0).get("text"));
        assertTrue(text.startsWith("unknown threadId 't1'"), text);
        assertEquals(
                text.replace("'t1'", "'t2'"),
                ((List<Map<String, Object>>) unknown.get("content")).get(0).get("text"),
                "another caller's thread and a missing one get the same answer");
        Map<String, Object> anonymous = call.apply(
                null, Map.of("name", "agent-reply", "arguments", Map.of("threadId", "t1", "prompt", "leak")));
        assertEquals(true, anonymous.get("isError"));

        Map<String, Object> continued = call.apply(
                "token-a", Map.of("name", "agent-reply", "arguments", Map.of("threadId", "t1", "prompt", "more")));
        assertEquals(false, continued.get("isError"), continued.toString());
        assertEquals(List.of("new", "t1"), ran, "only the owner's calls reached the runner");
    }

    @Test
    @SuppressWarnings("unchecked")
    void listenAcknowledgesThenForwardsListChangesUntilCancelled() throws Exception {
        ListChangingHub changing = new ListChangingHub();
        ModernDispatcher d = new ModernDispatcher(
                changing, JSON, new ModernDispatcher.Options(new McpSchema.Implementation("toolhost", "test"), null));
        List<Map<String, Object>> events = new CopyOnWriteArrayList<>();
        CompletableFuture<ModernEndpoint.Reply> listen = d.handle(
                request(
                        "sub-1",
                        "subscriptions/listen",
                        Map.of(
                                "notifications",
                                Map.of("toolsListChanged", true, "resourceSubscriptions", List.of("x://y"))),
                        meta(Map.of())),
                null,
                events::add);
        assertEquals(1, events.size());
        assertEquals("notifications/subscriptions/acknowledged", events.get(0).get("method"));
        Map<String, Object> ack = (Map<String, Object>) events.get(0).get("params");
        assertEquals(Map.of("toolsListChanged", true), ack.get("notifications"));
        assertEquals(Map.of("io.modelcontextprotocol/subscriptionId", "sub-1"), ack.get("_meta"));

        changing.changePrompts();
        changing.changeTools();
        await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 2);
        assertEquals("notifications/tools/list_changed", events.get(1).get("method"));
        assertEquals(
                Map.of("_meta", Map.of("io.modelcontextprotocol/subscriptionId", "sub-1")),
                events.get(1).get("params"));
        assertFalse(listen.isDone());

        listen.cancel(true);
        changing.changeTools();
        assertEquals(2, events.size(), "a cancelled subscription gets nothing more");

        CompletableFuture<ModernEndpoint.Reply> ended = d.handle(
                request(
                        "sub-2",
                        "subscriptions/listen",
                        Map.of("notifications", Map.of("toolsListChanged", true)),
                        meta(Map.of())),
                null,
                events::add);
        d.close();
        Map<String, Object> last = result(ended.get(5, TimeUnit.SECONDS));
        assertEquals("complete", last.get("resultType"));
        assertEquals("sub-2", ((Map<String, Object>) last.get("_meta")).get("io.modelcontextprotocol/subscriptionId"));
    }

    /** A hub whose lists change when the test says so. */
    private static final class ListChangingHub implements dev.toolhost.mcp.client.ToolHub {
        private final List<Runnable> tools = new ArrayList<>();
        private final List<Runnable> prompts = new ArrayList<>();

        void changeTools() {
            tools.forEach(Runnable::run);
        }

        void changePrompts() {
            prompts.forEach(Runnable::run);
        }

        @Override
        public List<HubTool> tools() {
            return List.of();
        }

        @Override
        public CompletableFuture<Outcome<McpSchema.CallToolResult>> callTool(
                McpRequest request, dev.toolhost.mcp.client.CallContext context) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("unknown tool"));
        }

        @Override
        public List<ServerStatus> servers() {
            return List.of();
        }

        @Override
        public List<HubResource> resources() {
            return List.of();
        }

        @Override
        public List<HubResourceTemplate> resourceTemplates() {
            return List.of();
        }

        @Override
        public CompletableFuture<McpSchema.ReadResourceResult> readResource(String uri) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("no resource"));
        }

        @Override
        public List<HubPrompt> prompts() {
            return List.of();
        }

        @Override
        public CompletableFuture<McpSchema.GetPromptResult> getPrompt(String name, Map<String, Object> arguments) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("no prompt"));
        }

        @Override
        public void addToolsChangedListener(Runnable listener) {
            tools.add(listener);
        }

        @Override
        public void addResourcesChangedListener(Runnable listener) {}

        @Override
        public void addPromptsChangedListener(Runnable listener) {
            prompts.add(listener);
        }

        @Override
        public void close() {}
    }
}
