package dev.toolhost.it.server;

import static dev.toolhost.it.server.ServerFixtures.home;
import static dev.toolhost.it.server.ServerFixtures.modernRequest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.it.Peers;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A legacy server that asks something while it works on {@code prompts/get} (the conformance fixture's
 * {@code test_input_required_result_prompt}, legacy-only: a real {@code elicitation/create} on its session), through
 * the gateway: a 2026-07-28 caller answers it as an {@code input_required} round and its retry resumes the waiting
 * request; a legacy caller is asked on its own session. {@code tools/call} and {@code resources/read} take the same
 * path.
 */
class PromptInputRoundsTest {
    private static final String PROMPT = "mcp__legacy__test_input_required_result_prompt";

    @TempDir
    static Path tmp;

    static ServerFixtures.HttpServerProcess gateway;

    @BeforeAll
    static void start() throws Exception {
        Path home = home(tmp.resolve("home"), """
                [mcp_servers.legacy]
                command = "node"
                args = ["%s", "--legacy-only"]
                cwd = "%s"
                """.formatted(
                        Peers.peersDir().resolve("scripts/conformance-fixture.mjs"), Peers.peersDir()));
        gateway = new ServerFixtures.HttpServerProcess(home, Map.of(), "--only", "legacy");
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
    }

    @Test
    @SuppressWarnings("unchecked")
    void aModernCallerAnswersTheServersElicitationAsAnInputRequiredRound() throws Exception {
        Map<String, Object> caps = Map.of("elicitation", Map.of());
        Map<String, Object> first =
                (Map<String, Object>) modernRequest(gateway.url(), "prompts/get", Map.of("name", PROMPT), caps)
                        .get("result");
        assertEquals("input_required", first.get("resultType"), first.toString());
        Map<String, Object> requests = (Map<String, Object>) first.get("inputRequests");
        assertEquals(1, requests.size(), first.toString());
        Map.Entry<String, Object> asked = requests.entrySet().iterator().next();
        Map<String, Object> request = (Map<String, Object>) asked.getValue();
        assertEquals("elicitation/create", request.get("method"), first.toString());
        assertEquals(
                "What context should the prompt use?",
                ((Map<String, Object>) request.get("params")).get("message"),
                first.toString());

        Map<String, Object> retry = new HashMap<>(Map.of(
                "name",
                PROMPT,
                "inputResponses",
                Map.of(asked.getKey(), Map.of("action", "accept", "content", Map.of("context", "from the caller"))),
                "requestState",
                first.get("requestState")));
        Map<String, Object> done = (Map<String, Object>)
                modernRequest(gateway.url(), "prompts/get", retry, caps).get("result");
        assertEquals("complete", done.get("resultType"), done.toString());
        assertTrue(done.get("messages").toString().contains("Context: from the caller"), done.toString());
    }

    @Test
    void aLegacyCallerIsAskedOnItsOwnSession() {
        List<McpSchema.ElicitFormRequest> asked = new CopyOnWriteArrayList<>();
        try (McpSyncClient client = ServerFixtures.httpClient(
                gateway.url(),
                null,
                spec -> spec.capabilities(McpSchema.ClientCapabilities.builder()
                                .elicitation()
                                .build())
                        .elicitation(r -> {
                            asked.add(r);
                            return new McpSchema.ElicitResult(
                                    McpSchema.ElicitResult.Action.ACCEPT, Map.of("context", "from the session"));
                        }))) {
            McpSchema.GetPromptResult prompt = client.getPrompt(new McpSchema.GetPromptRequest(PROMPT, Map.of()));
            assertEquals(1, asked.size(), asked.toString());
            assertEquals("What context should the prompt use?", asked.get(0).message());
            McpSchema.Content content = prompt.messages().get(0).content();
            assertEquals("Context: from the session", ((McpSchema.TextContent) content).text(), prompt.toString());
        }
    }
}
