package dev.toolhost.it.agent;

import static dev.toolhost.it.agent.ScriptedModelServer.call;
import static dev.toolhost.it.agent.ScriptedModelServer.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.config.ModelProviderConfig;
import dev.toolhost.config.WireApi;
import dev.toolhost.host.model.ConversationItem;
import dev.toolhost.host.model.FunctionTool;
import dev.toolhost.host.model.ModelClient;
import dev.toolhost.host.model.ModelClients;
import dev.toolhost.host.model.ModelException;
import dev.toolhost.host.model.ModelRequest;
import dev.toolhost.host.model.ModelResponse;
import dev.toolhost.host.model.ModelStreamListener;
import dev.toolhost.host.model.Usage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Both wire formats against a scripted provider over real HTTP and SSE. */
class ModelClientsTest {
    private static final FunctionTool ECHO = new FunctionTool(
            "mcp__everything__echo",
            "Echoes",
            Map.of("type", "object", "properties", Map.of("message", Map.of("type", "string"))));

    private ScriptedModelServer server;

    @BeforeEach
    void start() throws Exception {
        server = ScriptedModelServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private ModelClient client(WireApi wire, String envKey, Map<String, String> env, int retries, long idleMs) {
        return ModelClients.create(
                new ModelProviderConfig(
                        "scripted",
                        "Scripted",
                        server.baseUrl(),
                        envKey,
                        wire,
                        Map.of("X-Extra", "yes"),
                        Map.of(),
                        retries,
                        idleMs,
                        Map.of("api-version", "2025-04-01-preview")),
                env);
    }

    private ModelClient client(WireApi wire) {
        return client(wire, null, Map.of(), 2, 5000);
    }

    private static ModelRequest ask(String prompt) {
        return new ModelRequest("m1", "be brief", List.of(new ConversationItem.UserMessage(prompt)), List.of(ECHO));
    }

    @ParameterizedTest
    @EnumSource(WireApi.class)
    void streamsTextToolCallsAndUsage(WireApi wire) throws Exception {
        server.reply(new ScriptedModelServer.Answer(
                "Let me check.",
                List.of(
                        call("c1", "mcp__everything__echo", Map.of("message", "one")),
                        call("c2", "exec_command", Map.of("cmd", "ls -la"))),
                "thinking hard"));
        StringBuilder streamed = new StringBuilder();
        ModelResponse r = client(wire).stream(ask("hi"), new ModelStreamListener() {
            @Override
            public void textDelta(String delta) {
                streamed.append(delta);
            }
        });
        assertEquals("Let me check.", r.text());
        assertEquals("Let me check.", streamed.toString());
        assertEquals("thinking hard", r.reasoning());
        assertEquals(
                List.of(
                        new ConversationItem.FunctionCall("c1", "mcp__everything__echo", "{\"message\":\"one\"}"),
                        new ConversationItem.FunctionCall("c2", "exec_command", "{\"cmd\":\"ls -la\"}")),
                r.toolCalls());
        assertEquals(new Usage(100, 40, 7), r.usage());

        ScriptedModelServer.Recorded req = server.requests().get(0);
        assertEquals(wire == WireApi.CHAT ? "/v1/chat/completions" : "/v1/responses", req.path());
        assertEquals("api-version=2025-04-01-preview", req.query(), "the provider's query_params (Azure)");
        assertEquals(true, req.body().get("stream"));
        assertEquals("m1", req.body().get("model"));
        Map<String, Object> tool = req.tools().get(0);
        Object name = wire == WireApi.CHAT ? ((Map<?, ?>) tool.get("function")).get("name") : tool.get("name");
        assertEquals("mcp__everything__echo", name);
    }

    @ParameterizedTest
    @EnumSource(WireApi.class)
    void sendsTheWholeConversationInTheWireShape(WireApi wire) throws Exception {
        server.reply(text("done"));
        List<ConversationItem> history = List.of(
                new ConversationItem.UserMessage("do two things"),
                new ConversationItem.FunctionCall("c1", "a", "{}"),
                new ConversationItem.FunctionCall("c2", "b", "{}"),
                new ConversationItem.FunctionCallOutput("c1", "out1"),
                new ConversationItem.FunctionCallOutput("c2", "out2"),
                new ConversationItem.AssistantMessage("both done"),
                new ConversationItem.UserMessage("thanks"));
        client(wire).stream(new ModelRequest("m1", "sys", history, List.of()), ModelStreamListener.NONE);
        List<Map<String, Object>> sent = server.requests().get(0).conversation();
        if (wire == WireApi.CHAT) {
            // system, user, one assistant message holding both calls, two tool messages, assistant, user
            assertEquals(
                    List.of("system", "user", "assistant", "tool", "tool", "assistant", "user"),
                    sent.stream().map(m -> m.get("role")).toList());
            assertEquals(2, ((List<?>) sent.get(2).get("tool_calls")).size());
            assertEquals("c2", sent.get(4).get("tool_call_id"));
        } else {
            assertEquals(
                    List.of(
                            "message",
                            "function_call",
                            "function_call",
                            "function_call_output",
                            "function_call_output",
                            "message",
                            "message"),
                    sent.stream().map(m -> m.get("type")).toList());
            assertEquals("out2", sent.get(4).get("output"));
            assertEquals("sys", server.requests().get(0).body().get("instructions"));
        }
    }

    @ParameterizedTest
    @EnumSource(WireApi.class)
    void retriesA429HonouringRetryAfterThenSucceeds(WireApi wire) throws Exception {
        server.reply(
                new ScriptedModelServer.Status(
                        429, Map.of("Retry-After", "0"), "{\"error\":{\"message\":\"slow down\"}}"),
                text("ok"));
        ModelResponse r = client(wire).stream(ask("hi"), ModelStreamListener.NONE);
        assertEquals("ok", r.text());
        assertEquals(2, server.requests().size());
    }

    @Test
    void givesUpAfterTheConfiguredRetriesOn5xx() {
        server.reply(
                new ScriptedModelServer.Status(
                        503, Map.of("Retry-After", "0"), "{\"error\":{\"message\":\"overloaded\"}}"),
                new ScriptedModelServer.Status(
                        503, Map.of("Retry-After", "0"), "{\"error\":{\"message\":\"overloaded\"}}"));
        ModelException e = assertThrows(
                ModelException.class,
                () -> client(WireApi.RESPONSES, null, Map.of(), 1, 5000).stream(ask("hi"), ModelStreamListener.NONE));
        assertTrue(e.getMessage().contains("HTTP 503") && e.getMessage().contains("overloaded"), e.getMessage());
        assertEquals(2, server.requests().size());
    }

    @Test
    void badCredentialsNameTheEnvironmentVariable() {
        server.reply(new ScriptedModelServer.Status(401, Map.of(), "{\"error\":{\"message\":\"Incorrect API key\"}}"));
        ModelException e = assertThrows(
                ModelException.class,
                () ->
                        client(WireApi.RESPONSES, "SCRIPTED_API_KEY", Map.of("SCRIPTED_API_KEY", "sk-wrong"), 2, 5000)
                                .stream(ask("hi"), ModelStreamListener.NONE));
        assertTrue(e.getMessage().contains("SCRIPTED_API_KEY") && e.getMessage().contains("401"), e.getMessage());
        assertEquals("Bearer sk-wrong", server.requests().get(0).authorization());
        assertEquals(1, server.requests().size(), "401 is not retried");
    }

    @Test
    void aMissingKeyIsReportedBeforeAnyRequest() {
        ModelException e = assertThrows(
                ModelException.class,
                () -> client(WireApi.CHAT, "SCRIPTED_API_KEY", Map.of(), 2, 5000).stream(
                        ask("hi"), ModelStreamListener.NONE));
        assertTrue(e.getMessage().contains("set the environment variable SCRIPTED_API_KEY"), e.getMessage());
        assertTrue(server.requests().isEmpty());
    }

    @ParameterizedTest
    @EnumSource(WireApi.class)
    void anUnknownModelSaysSo(WireApi wire) {
        server.reply(new ScriptedModelServer.Status(
                404, Map.of(), "{\"error\":{\"message\":\"model \\\"m1\\\" not found, try pulling it first\"}}"));
        ModelException e =
                assertThrows(ModelException.class, () -> client(wire).stream(ask("hi"), ModelStreamListener.NONE));
        assertTrue(e.getMessage().startsWith("model 'm1' was not found at model provider 'scripted'"), e.getMessage());
        assertTrue(e.getMessage().contains("try pulling it first"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(WireApi.class)
    void aMalformedStreamGivesAClearError(WireApi wire) {
        server.reply(new ScriptedModelServer.RawStream("data: {\"choices\": [oops\n\n"));
        ModelException e =
                assertThrows(ModelException.class, () -> client(wire).stream(ask("hi"), ModelStreamListener.NONE));
        assertTrue(e.getMessage().startsWith("malformed stream from model provider 'scripted'"), e.getMessage());
        assertTrue(e.getMessage().contains("[oops"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(WireApi.class)
    void aStreamThatStopsEarlyIsAnError(WireApi wire) {
        String partial = wire == WireApi.CHAT
                ? "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}\n\n"
                : "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"delta\":\"Hel\"}\n\n";
        server.reply(new ScriptedModelServer.RawStream(partial), new ScriptedModelServer.RawStream(partial));
        ModelException e = assertThrows(
                ModelException.class,
                () -> client(wire, null, Map.of(), 1, 5000).stream(ask("hi"), ModelStreamListener.NONE));
        assertTrue(
                e.getMessage().contains("ended before the response completed")
                        && e.getMessage().endsWith("(after 1 retries)"),
                e.getMessage());
        assertEquals(2, server.requests().size());
    }

    @Test
    void textAlreadyShownIsNotRepeatedByARetry() {
        server.reply(
                new ScriptedModelServer.RawStream("event: response.output_text.delta\ndata: "
                        + "{\"type\":\"response.output_text.delta\",\"delta\":\"Hel\"}\n\n"),
                text("Hello"));
        StringBuilder shown = new StringBuilder();
        ModelException e = assertThrows(
                ModelException.class,
                () -> client(WireApi.RESPONSES).stream(ask("hi"), new ModelStreamListener() {
                    @Override
                    public void textDelta(String delta) {
                        shown.append(delta);
                    }
                }));
        assertTrue(e.getMessage().contains("ended before the response completed"), e.getMessage());
        assertEquals("Hel", shown.toString());
        assertEquals(1, server.requests().size());
    }

    @ParameterizedTest
    @EnumSource(WireApi.class)
    void aStreamCutShortIsRetriedWhenNothingWasShownYet(WireApi wire) throws Exception {
        String headOnly = wire == WireApi.CHAT
                ? "data: {\"choices\":[]}\n\n"
                : "event: response.created\ndata: {\"type\":\"response.created\",\"response\":{}}\n\n";
        server.reply(new ScriptedModelServer.RawStream(headOnly), text("second try"));
        ModelResponse r = client(wire).stream(ask("hi"), ModelStreamListener.NONE);
        assertEquals("second try", r.text());
        assertEquals(2, server.requests().size());
    }

    @Test
    void aStalledStreamHitsTheIdleTimeout() {
        server.reply(new ScriptedModelServer.Stall());
        ModelException e = assertThrows(
                ModelException.class,
                () -> client(WireApi.RESPONSES, null, Map.of(), 0, 300).stream(ask("hi"), ModelStreamListener.NONE));
        assertTrue(
                e.getMessage().contains("sent nothing for 300 ms")
                        && e.getMessage().contains("stream_idle_timeout_ms"),
                e.getMessage());
    }

    @Test
    void aResponseFailedEventCarriesTheProviderMessage() {
        server.reply(new ScriptedModelServer.RawStream("event: response.failed\ndata: {\"type\":\"response.failed\","
                + "\"response\":{\"error\":{\"code\":\"server_error\",\"message\":\"boom\"}}}\n\n"));
        ModelException e = assertThrows(
                ModelException.class, () -> client(WireApi.RESPONSES).stream(ask("hi"), ModelStreamListener.NONE));
        assertEquals("model provider 'scripted' failed the response: boom (server_error)", e.getMessage());
    }

    @Test
    void anUnreachableProviderIsNamed() {
        server.close();
        ModelException e = assertThrows(
                ModelException.class,
                () -> client(WireApi.CHAT, null, Map.of(), 0, 5000).stream(ask("hi"), ModelStreamListener.NONE));
        assertTrue(
                e.getMessage().startsWith("cannot reach model provider 'scripted' at http://127.0.0.1:"),
                e.getMessage());
    }
}
