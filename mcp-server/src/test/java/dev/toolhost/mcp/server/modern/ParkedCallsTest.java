package dev.toolhost.mcp.server.modern;

import static dev.toolhost.mcp.server.modern.ModernDispatcherTest.JSON;
import static dev.toolhost.mcp.server.modern.ModernDispatcherTest.error;
import static dev.toolhost.mcp.server.modern.ModernDispatcherTest.meta;
import static dev.toolhost.mcp.server.modern.ModernDispatcherTest.request;
import static dev.toolhost.mcp.server.modern.ModernDispatcherTest.result;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.mcp.client.InMemoryTransport;
import dev.toolhost.mcp.client.McpHub;
import dev.toolhost.mcp.core.RequestStates;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A legacy server's elicitation and sampling, asked in the middle of a call, reach a 2026-07-28 caller as
 * {@code input_required}: a real SDK server (in memory) behind a real hub, the dispatcher in front.
 */
class ParkedCallsTest {
    private static final Map<String, Object> BOTH = Map.of("elicitation", Map.of(), "sampling", Map.of());
    private static final RequestStates STATES =
            RequestStates.fromSecret("parked-calls-test-secret", Duration.ofMinutes(5), Clock.systemUTC());

    private McpSyncServer server;
    private McpHub hub;
    private ModernDispatcher dispatcher;
    private final List<String> toolSaw = new CopyOnWriteArrayList<>();
    private int nextId = 1;

    /** The test server's threads for sending two requests at once. */
    private final ThreadPoolExecutor senders =
            new ThreadPoolExecutor(2, 2, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());

    @BeforeEach
    void start() {
        senders.prestartAllCoreThreads();
        InMemoryTransport pair = InMemoryTransport.create("legacy");
        server = McpServer.sync(pair.serverProvider())
                .serverInfo("legacy-server", "1")
                .capabilities(McpSchema.ServerCapabilities.builder()
                        .tools(true)
                        .resources(false, false)
                        .build())
                .resourceTemplates(new McpServerFeatures.SyncResourceTemplateSpecification(
                        McpSchema.ResourceTemplate.builder("test://ask/{topic}", "ask")
                                .build(),
                        (ex, req) -> {
                            McpSchema.ElicitResult answer =
                                    ex.createElicitation(askName("what about " + req.uri() + "?"));
                            return new McpSchema.ReadResourceResult(List.of(new McpSchema.TextResourceContents(
                                    req.uri(),
                                    "text/plain",
                                    "read for " + answer.content().get("name"))));
                        }))
                .tools(tool("ask", (ex, req) -> {
                    try {
                        McpSchema.ElicitResult first = ex.createElicitation(askName("name?"));
                        McpSchema.CreateMessageResult second = ex.createMessage(McpSchema.CreateMessageRequest.builder()
                                .messages(List.of(new McpSchema.SamplingMessage(
                                        McpSchema.Role.USER,
                                        new McpSchema.TextContent(
                                                "greet " + first.content().get("name")))))
                                .maxTokens(20)
                                .build());
                        return text(((McpSchema.TextContent) second.content()).text());
                    } catch (RuntimeException e) {
                        toolSaw.add(e.getMessage());
                        return text("failed: " + e.getMessage());
                    }
                }))
                .tools(tool("ask-both", (ex, req) -> {
                    // Both at once, as the TypeScript SDK sends a round's requests (threads already running).
                    CompletableFuture<McpSchema.ElicitResult> name =
                            CompletableFuture.supplyAsync(() -> ex.createElicitation(askName("name?")), senders);
                    CompletableFuture<McpSchema.CreateMessageResult> greeting = CompletableFuture.supplyAsync(
                            () -> ex.createMessage(McpSchema.CreateMessageRequest.builder()
                                    .messages(List.of(new McpSchema.SamplingMessage(
                                            McpSchema.Role.USER, new McpSchema.TextContent("a greeting"))))
                                    .maxTokens(20)
                                    .build()),
                            senders);
                    return text(((McpSchema.TextContent) greeting.join().content()).text() + ", "
                            + name.join().content().get("name"));
                }))
                .build();
        hub = McpHub.builder()
                .localServer("legacy", pair::clientTransport)
                .logDirectory(null)
                .build();
        dispatcher = dispatcher(Duration.ofMinutes(1));
    }

    private ModernDispatcher dispatcher(Duration parkWait) {
        return new ModernDispatcher(
                hub,
                JSON,
                new ModernDispatcher.Options(new McpSchema.Implementation("toolhost", "test"), null),
                STATES,
                parkWait);
    }

    @AfterEach
    void stop() {
        dispatcher.close();
        hub.close();
        server.close();
        senders.shutdownNow();
    }

    private static McpServerFeatures.SyncToolSpecification tool(
            String name,
            BiFunction<
                            io.modelcontextprotocol.server.McpSyncServerExchange,
                            McpSchema.CallToolRequest,
                            McpSchema.CallToolResult>
                    handler) {
        return McpServerFeatures.SyncToolSpecification.builder()
                .tool(McpSchema.Tool.builder()
                        .name(name)
                        .inputSchema(JSON, "{\"type\":\"object\"}")
                        .build())
                .callHandler(handler)
                .build();
    }

    /** A form asking for one string, {@code name}. */
    private static McpSchema.ElicitRequest askName(String message) {
        return McpSchema.ElicitRequest.builder(
                        message, Map.of("type", "object", "properties", Map.of("name", Map.of("type", "string"))))
                .build();
    }

    private static McpSchema.CallToolResult text(String text) {
        return McpSchema.CallToolResult.builder().addTextContent(text).build();
    }

    private ModernEndpoint.Reply call(
            ModernDispatcher d, String token, Map<String, Object> caps, Map<String, Object> answers, String state)
            throws Exception {
        return call("ask", d, token, caps, answers, state);
    }

    private ModernEndpoint.Reply call(
            String tool,
            ModernDispatcher d,
            String token,
            Map<String, Object> caps,
            Map<String, Object> answers,
            String state)
            throws Exception {
        Map<String, Object> params = new HashMap<>(Map.of("name", tool, "arguments", Map.of()));
        if (answers != null) {
            params.put("inputResponses", answers);
        }
        if (state != null) {
            params.put("requestState", state);
        }
        return d.handle(request(nextId++, "tools/call", params, meta(caps)), token, m -> {})
                .get(30, TimeUnit.SECONDS);
    }

    @SuppressWarnings("unchecked")
    private static Map.Entry<String, Map<String, Object>> onlyInputRequest(Map<String, Object> result) {
        assertEquals("input_required", result.get("resultType"), result.toString());
        Map<String, Object> requests = (Map<String, Object>) result.get("inputRequests");
        assertEquals(1, requests.size(), requests.toString());
        var e = requests.entrySet().iterator().next();
        return Map.entry(e.getKey(), (Map<String, Object>) e.getValue());
    }

    @Test
    @SuppressWarnings("unchecked")
    void eachServerRequestIsARoundAndTheRetriesCompleteTheCall() throws Exception {
        Map<String, Object> first = result(call(dispatcher, "token-a", BOTH, null, null));
        var elicit = onlyInputRequest(first);
        assertEquals("elicitation/create", elicit.getValue().get("method"));
        assertEquals("name?", ((Map<String, Object>) elicit.getValue().get("params")).get("message"));
        String state = (String) first.get("requestState");
        assertTrue(state.startsWith(ParkedCalls.STATE_PREFIX), state);
        assertEquals(1, dispatcher.parkedCalls());

        Map<String, Object> second = result(call(
                dispatcher,
                "token-a",
                BOTH,
                Map.of(elicit.getKey(), Map.of("action", "accept", "content", Map.of("name", "Ada"))),
                state));
        var sample = onlyInputRequest(second);
        assertEquals("sampling/createMessage", sample.getValue().get("method"));
        assertTrue(sample.getValue().toString().contains("greet Ada"), sample.toString());

        Map<String, Object> done = result(call(
                dispatcher,
                "token-a",
                BOTH,
                Map.of(
                        sample.getKey(),
                        Map.of(
                                "role",
                                "assistant",
                                "content",
                                Map.of("type", "text", "text", "Hello, Ada!"),
                                "model",
                                "m")),
                (String) second.get("requestState")));
        assertEquals("complete", done.get("resultType"));
        assertTrue(done.toString().contains("Hello, Ada!"), done.toString());
        assertEquals(0, dispatcher.parkedCalls());
    }

    private ModernEndpoint.Reply read(String uri, Map<String, Object> answers, String state) throws Exception {
        Map<String, Object> params = new HashMap<>(Map.of("uri", uri));
        if (answers != null) {
            params.put("inputResponses", answers);
        }
        if (state != null) {
            params.put("requestState", state);
        }
        return dispatcher
                .handle(request(nextId++, "resources/read", params, meta(BOTH)), "token-a", m -> {})
                .get(30, TimeUnit.SECONDS);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aResourceReadParksAsACallDoesAndItsRetryMustNameTheSameResource() throws Exception {
        Map<String, Object> first = result(read("test://ask/cats", null, null));
        var elicit = onlyInputRequest(first);
        assertEquals(
                "what about test://ask/cats?",
                ((Map<String, Object>) elicit.getValue().get("params")).get("message"));
        String state = (String) first.get("requestState");
        Map<String, Object> answer =
                Map.of(elicit.getKey(), Map.of("action", "accept", "content", Map.of("name", "Ada")));
        // The seal names no uri (a read has no name or arguments): the parked read does.
        Map<String, Object> other = error(read("test://ask/dogs", answer, state));
        assertEquals(-32602, other.get("code"));
        assertTrue(String.valueOf(other.get("message")).contains("different request"), other.toString());

        Map<String, Object> done = result(read("test://ask/cats", answer, state));
        assertEquals("complete", done.get("resultType"), done.toString());
        assertTrue(done.toString().contains("read for Ada"), done.toString());
        assertEquals(0, dispatcher.parkedCalls());
    }

    private static final Map<String, Object> ADA = Map.of("action", "accept", "content", Map.of("name", "Ada"));
    private static final Map<String, Object> HELLO =
            Map.of("role", "assistant", "content", Map.of("type", "text", "text", "Hello"), "model", "m");

    @Test
    @SuppressWarnings("unchecked")
    void requestsTheServerSendsTogetherAreOneRoundAndTheRetryAnswersThemAll() throws Exception {
        Map<String, Object> first = result(call("ask-both", dispatcher, "token-a", BOTH, null, null));
        assertEquals("input_required", first.get("resultType"), first.toString());
        Map<String, Map<String, Object>> asked = (Map<String, Map<String, Object>>) first.get("inputRequests");
        Map<String, String> keys = new HashMap<>();
        asked.forEach((key, r) -> keys.put((String) r.get("method"), key));
        assertEquals(Set.of("elicitation/create", "sampling/createMessage"), keys.keySet(), asked.toString());

        Map<String, Object> done = result(call(
                "ask-both",
                dispatcher,
                "token-a",
                BOTH,
                Map.of(keys.get("elicitation/create"), ADA, keys.get("sampling/createMessage"), HELLO),
                (String) first.get("requestState")));
        assertEquals("complete", done.get("resultType"), done.toString());
        assertTrue(done.toString().contains("Hello, Ada"), done.toString());
        assertEquals(0, dispatcher.parkedCalls());
    }

    @Test
    @SuppressWarnings("unchecked")
    void whileACallIsParkedTheSameCallersNextCallGetsItsWholeRound() throws Exception {
        Map<String, Object> parked = result(call(dispatcher, "token-a", BOTH, null, null));
        assertEquals("input_required", parked.get("resultType"), parked.toString());
        Map<String, Object> both = result(call("ask-both", dispatcher, "token-a", BOTH, null, null));
        Map<String, Map<String, Object>> asked = (Map<String, Map<String, Object>>) both.get("inputRequests");
        assertEquals(2, asked.size(), "the round being gathered takes the server's second request: " + both);
        assertEquals(2, dispatcher.parkedCalls());
    }

    @Test
    @SuppressWarnings("unchecked")
    void aRetryThatAnswersPartOfARoundIsAskedTheRestAgain() throws Exception {
        Map<String, Object> first = result(call("ask-both", dispatcher, "token-a", BOTH, null, null));
        Map<String, Map<String, Object>> asked = (Map<String, Map<String, Object>>) first.get("inputRequests");
        String elicitation = asked.entrySet().stream()
                .filter(e -> e.getValue().get("method").equals("elicitation/create"))
                .findFirst()
                .orElseThrow()
                .getKey();
        Map<String, Object> rest = result(call(
                "ask-both", dispatcher, "token-a", BOTH, Map.of(elicitation, ADA), (String) first.get("requestState")));
        var sampling = onlyInputRequest(rest);
        assertEquals("sampling/createMessage", sampling.getValue().get("method"));
        Map<String, Object> done =
                result(call("ask-both", dispatcher, "token-a", BOTH, Map.of(sampling.getKey(), HELLO), (String)
                        rest.get("requestState")));
        assertTrue(done.toString().contains("Hello, Ada"), done.toString());
    }

    @Test
    void aStateOfAnEarlierRoundIsRefusedAndTheLatestStillWorks() throws Exception {
        Map<String, Object> first = result(call(dispatcher, "token-a", BOTH, null, null));
        String elicit = onlyInputRequest(first).getKey();
        String firstState = (String) first.get("requestState");
        Map<String, Object> second = result(call(dispatcher, "token-a", BOTH, Map.of(elicit, ADA), firstState));
        var sample = onlyInputRequest(second);

        Map<String, Object> stale =
                error(call(dispatcher, "token-a", BOTH, Map.of(elicit, ADA, sample.getKey(), HELLO), firstState));
        assertEquals(-32602, stale.get("code"));
        assertTrue(String.valueOf(stale.get("message")).contains("earlier round"), stale.toString());

        Map<String, Object> done = result(
                call(dispatcher, "token-a", BOTH, Map.of(sample.getKey(), HELLO), (String) second.get("requestState")));
        assertEquals("complete", done.get("resultType"), done.toString());
    }

    @Test
    void aRetryWithoutTheAnswerIsAskedAgain() throws Exception {
        Map<String, Object> first = result(call(dispatcher, "token-a", BOTH, null, null));
        var elicit = onlyInputRequest(first);
        Map<String, Object> again = result(
                call(dispatcher, "token-a", BOTH, Map.of("unrelated", Map.of()), (String) first.get("requestState")));
        assertEquals(elicit.getKey(), onlyInputRequest(again).getKey());
    }

    @Test
    void anotherCallerCannotResumeAParkedCall() throws Exception {
        Map<String, Object> first = result(call(dispatcher, "token-a", BOTH, null, null));
        String key = onlyInputRequest(first).getKey();
        Map<String, Object> foreign = error(call(
                dispatcher,
                "token-b",
                BOTH,
                Map.of(key, Map.of("action", "accept", "content", Map.of("name", "Mallory"))),
                (String) first.get("requestState")));
        assertEquals(-32602, foreign.get("code"));
        assertTrue(String.valueOf(foreign.get("message")).contains("different request or caller"), foreign.toString());
        assertEquals(1, dispatcher.parkedCalls(), "the owner can still resume it");
    }

    @Test
    void aRetryOnAReplicaThatDoesNotHoldTheCallIsToldSo() throws Exception {
        Map<String, Object> first = result(call(dispatcher, "token-a", BOTH, null, null));
        String key = onlyInputRequest(first).getKey();
        try (ModernDispatcher other = dispatcher(Duration.ofMinutes(1))) {
            Map<String, Object> e =
                    error(call(other, "token-a", BOTH, Map.of(key, Map.of("action", "decline")), (String)
                            first.get("requestState")));
            assertEquals(-32602, e.get("code"));
            assertTrue(String.valueOf(e.get("message")).contains("parked on another replica"), e.toString());
        }
    }

    @Test
    void whileACallIsParkedTheSameCallersNextCallIsAskedToo() throws Exception {
        Map<String, Object> first = result(call(dispatcher, "token-a", BOTH, null, null));
        Map<String, Object> second = result(call(dispatcher, "token-a", BOTH, null, null));
        String secondKey = onlyInputRequest(second).getKey();
        assertEquals(2, dispatcher.parkedCalls());
        Map<String, Object> next = result(call(
                dispatcher,
                "token-a",
                BOTH,
                Map.of(secondKey, Map.of("action", "accept", "content", Map.of("name", "Grace"))),
                (String) second.get("requestState")));
        assertTrue(next.toString().contains("greet Grace"), next.toString());
        assertEquals(2, dispatcher.parkedCalls(), "the first call is still waiting for its own answer");
        assertEquals("input_required", first.get("resultType"));
    }

    @Test
    void whileACallIsParkedAnotherCallersServerRequestIsDeclined() throws Exception {
        Map<String, Object> parkedForA = result(call(dispatcher, "token-a", BOTH, null, null));
        Map<String, Object> forB = result(call(dispatcher, "token-b", BOTH, null, null));
        assertEquals("complete", forB.get("resultType"), "B is never shown A's question, nor A B's: " + forB);
        assertTrue(forB.toString().contains("failed"), forB.toString());
        String key = onlyInputRequest(parkedForA).getKey();
        Map<String, Object> resumed = result(call(
                dispatcher,
                "token-a",
                BOTH,
                Map.of(key, Map.of("action", "accept", "content", Map.of("name", "Ada"))),
                (String) parkedForA.get("requestState")));
        assertTrue(resumed.toString().contains("greet Ada"), resumed.toString());
    }

    @Test
    void aTamperedStateIsRefused() throws Exception {
        Map<String, Object> first = result(call(dispatcher, "token-a", BOTH, null, null));
        String state = (String) first.get("requestState");
        String tampered = state.substring(0, state.length() - 2) + (state.endsWith("AA") ? "BB" : "AA");
        Map<String, Object> e = error(call(dispatcher, "token-a", BOTH, Map.of(), tampered));
        assertEquals(-32602, e.get("code"));
        assertTrue(String.valueOf(e.get("message")).contains("requestState"), e.toString());
    }

    @Test
    @SuppressWarnings("unchecked")
    void aCallerWithoutTheCapabilityGetsMissingCapabilityAndNothingStaysParked() throws Exception {
        Map<String, Object> e = error(call(dispatcher, "token-a", Map.of("sampling", Map.of()), null, null));
        assertEquals(-32021, e.get("code"));
        assertTrue(
                ((Map<String, Object>) e.get("data"))
                        .get("requiredCapabilities")
                        .toString()
                        .contains("elicitation"),
                e.toString());
        assertEquals(0, dispatcher.parkedCalls());
    }

    @Test
    void aRequestStateToolhostDidNotSealIsRefusedAndRunsNothing() throws Exception {
        Map<String, Object> answers = Map.of("x", Map.of("action", "accept"));
        // A legacy server issues no state: a retry bringing one that is not a parked call's is forged or stale.
        Map<String, Object> call = error(call(dispatcher, "token-a", BOTH, answers, "forged-or-stale"));
        assertEquals(-32602, call.get("code"));
        assertTrue(
                String.valueOf(call.get("message"))
                        .contains("requestState of this retry was not issued for MCP server" + " 'legacy'"),
                call.toString());
        Map<String, Object> read = error(read("test://ask/cats", answers, "forged-or-stale"));
        assertEquals(-32602, read.get("code"));
        assertTrue(String.valueOf(read.get("message")).contains("was not issued for MCP server"), read.toString());
        assertEquals(0, dispatcher.parkedCalls(), "neither the tool nor the read ran");

        // inputResponses without a requestState on a first request are extra keys: ignored.
        assertEquals(
                "input_required",
                result(call(dispatcher, "token-a", BOTH, answers, null)).get("resultType"));
    }

    @Test
    void aMalformedAnswerIsRefusedNamingItsKeyAndTheCallStaysParkedForACorrectedRetry() throws Exception {
        Map<String, Object> first = result(call(dispatcher, "token-a", BOTH, null, null));
        String key = onlyInputRequest(first).getKey();
        String state = (String) first.get("requestState");
        for (Object bad : List.of(Map.of("action", "maybe"), Map.of("action", "accept", "content", "Ada"), "accept")) {
            Map<String, Object> e = error(call(dispatcher, "token-a", BOTH, Map.of(key, bad), state));
            assertEquals(-32602, e.get("code"), e.toString());
            String message = String.valueOf(e.get("message"));
            assertTrue(message.contains("inputResponses['" + key + "']"), message);
            assertFalse(message.contains("Exception") || message.contains("McpSchema"), message);
            assertEquals(1, dispatcher.parkedCalls());
        }
        Map<String, Object> answers = new HashMap<>();
        answers.put(key, null);
        Map<String, Object> none = error(call(dispatcher, "token-a", BOTH, answers, state));
        assertTrue(String.valueOf(none.get("message")).contains("it is null"), none.toString());

        Map<String, Object> next = result(call(dispatcher, "token-a", BOTH, Map.of(key, ADA), state));
        assertTrue(next.toString().contains("greet Ada"), next.toString());
        assertTrue(toolSaw.isEmpty(), "the server never saw a malformed answer: " + toolSaw);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aUrlOnlyCallerIsNotGivenAFormElicitation() throws Exception {
        Map<String, Object> e = error(call(
                dispatcher,
                "token-a",
                Map.of("elicitation", Map.of("url", Map.of()), "sampling", Map.of()),
                null,
                null));
        assertEquals(-32021, e.get("code"), e.toString());
        assertEquals(
                Map.of("elicitation", Map.of("form", Map.of())),
                ((Map<String, Object>) e.get("data")).get("requiredCapabilities"));
        assertEquals(0, dispatcher.parkedCalls());

        // A form key declares form, with or without url.
        Map<String, Object> both =
                Map.of("elicitation", Map.of("form", Map.of(), "url", Map.of()), "sampling", Map.of());
        assertEquals(
                "input_required",
                result(call(dispatcher, "token-a", both, null, null)).get("resultType"));
    }

    @Test
    void closingTheDispatcherEndsItsParkedCallsAtOnce() throws Exception {
        ModernDispatcher closing = dispatcher(Duration.ofMinutes(10));
        assertEquals(
                "input_required",
                result(call(closing, "token-a", BOTH, null, null)).get("resultType"));
        closing.close();
        // The server's request fails (why it hears first, the refusal or the call's cancellation, is a race), long
        // before the 10 minutes it would otherwise wait.
        await().atMost(Duration.ofSeconds(10)).until(() -> !toolSaw.isEmpty());
        assertEquals(0, closing.parkedCalls());
    }

    @Test
    void anUnansweredRequestExpiresAndFailsDownstream() throws Exception {
        try (ModernDispatcher impatient = dispatcher(Duration.ofMillis(300))) {
            Map<String, Object> first = result(call(impatient, "token-a", BOTH, null, null));
            String key = onlyInputRequest(first).getKey();
            await().atMost(Duration.ofSeconds(10)).until(() -> impatient.parkedCalls() == 0);
            await().atMost(Duration.ofSeconds(10)).until(() -> !toolSaw.isEmpty());
            assertTrue(toolSaw.get(0).contains("did not answer"), toolSaw.toString());
            Map<String, Object> late =
                    error(call(impatient, "token-a", BOTH, Map.of(key, Map.of("action", "decline")), (String)
                            first.get("requestState")));
            assertTrue(String.valueOf(late.get("message")).contains("not waiting on this Toolhost"), late.toString());
            assertNull(late.get("data"));
        }
    }
}
