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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code forward_roots = true}: a downstream server's roots are, for each call, those of the MCP client that made that
 * call, and nobody else's. Through the gateway ({@code toolhost mcp-server --http}), to the conformance fixture in its
 * legacy-only variant (it sends a real {@code roots/list} during the call) and its dual-era one (spoken to in
 * 2026-07-28: an {@code input_required} roots round); its tool {@code test_input_required_result_list_roots} answers
 * with the root uris it got.
 */
class ForwardRootsTest {
    private static final String TOOL = "test_input_required_result_list_roots";
    private static final Map<String, Object> WITH_ROOTS = Map.of("roots", Map.of());

    @TempDir
    static Path tmp;

    static ServerFixtures.HttpServerProcess gateway;

    @BeforeAll
    static void start() throws Exception {
        Path fixture = Peers.peersDir().resolve("scripts/conformance-fixture.mjs");
        Path home = home(tmp.resolve("home"), """
                [mcp_servers.legacy]
                command = "node"
                args = ["%s", "--legacy-only"]
                cwd = "%s"
                forward_roots = true

                [mcp_servers.modern]
                command = "node"
                args = ["%s"]
                cwd = "%s"
                forward_roots = true
                """.formatted(fixture, Peers.peersDir(), fixture, Peers.peersDir()));
        gateway = new ServerFixtures.HttpServerProcess(home, Map.of(), "--only", "legacy,modern");
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
    }

    private static String tool(String server) {
        return "mcp__" + server + "__" + TOOL;
    }

    /** A legacy session that declared roots (listChanged false) and offers exactly {@code uri}. */
    private static McpSyncClient legacyCaller(String uri) {
        return ServerFixtures.httpClient(
                gateway.url(),
                null,
                spec -> spec.capabilities(McpSchema.ClientCapabilities.builder()
                                .roots(false)
                                .build())
                        .roots(new McpSchema.Root(uri, "root of " + uri)));
    }

    private static String call(McpSyncClient client, String server) {
        McpSchema.CallToolResult r = client.callTool(new McpSchema.CallToolRequest(tool(server), Map.of()));
        assertTrue(r.isError() == null || !r.isError(), ServerFixtures.text(r));
        return ServerFixtures.text(r);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> result(Map<String, Object> response) {
        assertTrue(response.get("result") instanceof Map<?, ?>, response.toString());
        return (Map<String, Object>) response.get("result");
    }

    /** A 2026-07-28 caller's first round: input_required with one roots/list request; its key. */
    @SuppressWarnings("unchecked")
    private static Map.Entry<String, Object> rootsRound(Map<String, Object> first) {
        assertEquals("input_required", first.get("resultType"), first.toString());
        Map<String, Object> requests = (Map<String, Object>) first.get("inputRequests");
        assertEquals(1, requests.size(), first.toString());
        Map.Entry<String, Object> only = requests.entrySet().iterator().next();
        assertEquals("roots/list", ((Map<String, Object>) only.getValue()).get("method"), first.toString());
        return only;
    }

    /** A 2026-07-28 caller answers the roots round with {@code uri} and gets the tool's text. */
    @SuppressWarnings("unchecked")
    private static String answerRoots(String server, Map<String, Object> first, String uri) throws Exception {
        Map<String, Object> retry = new HashMap<>(Map.of(
                "name",
                tool(server),
                "arguments",
                Map.of(),
                "inputResponses",
                Map.of(rootsRound(first).getKey(), Map.of("roots", List.of(Map.of("uri", uri, "name", "mine"))))));
        if (first.get("requestState") != null) {
            retry.put("requestState", first.get("requestState"));
        }
        Map<String, Object> done = result(modernRequest(gateway.url(), "tools/call", retry, WITH_ROOTS));
        assertEquals("complete", done.get("resultType"), done.toString());
        return text(done);
    }

    /** The text of a 2026-07-28 tool result's first content block. */
    @SuppressWarnings("unchecked")
    private static String text(Map<String, Object> result) {
        return String.valueOf(
                ((List<Map<String, Object>>) result.get("content")).get(0).get("text"));
    }

    private static Map<String, Object> firstRound(String server, Map<String, Object> capabilities) throws Exception {
        return modernRequest(
                gateway.url(), "tools/call", Map.of("name", tool(server), "arguments", Map.of()), capabilities);
    }

    @ParameterizedTest(name = "{0} downstream server")
    @ValueSource(strings = {"legacy", "modern"})
    void eachCallGetsTheRootsOfTheCallerThatMadeIt(String server) throws Exception {
        try (McpSyncClient a = legacyCaller("file:///caller/a");
                McpSyncClient b = legacyCaller("file:///caller/b")) {
            assertEquals("Roots: file:///caller/a", call(a, server));
            assertEquals("Roots: file:///caller/b", call(b, server));
            assertEquals("Roots: file:///caller/a", call(a, server));
        }
        // A 2026-07-28 caller answers an input_required round with its own roots.
        assertEquals(
                "Roots: file:///caller/c",
                answerRoots(server, result(firstRound(server, WITH_ROOTS)), "file:///caller/c"));
    }

    @Test
    void aLegacyServerAskingForTheRootsOfACallerWithoutThemGetsNone() throws Exception {
        try (McpSyncClient none = ServerFixtures.httpClient(gateway.url(), null)) {
            // The server was told roots at initialize and asks: an empty list, never another caller's.
            assertEquals("Roots: ", call(none, "legacy"));
        }
        Map<String, Object> modern = result(firstRound("legacy", Map.of()));
        assertEquals("complete", modern.get("resultType"), modern.toString());
        assertEquals("Roots: ", text(modern));
    }

    @Test
    void aModernServerIsNotToldRootsForACallerWithoutThem() throws Exception {
        try (McpSyncClient none = ServerFixtures.httpClient(gateway.url(), null)) {
            // Its roots/list input request needs a capability this session did not declare: a legacy session is
            // told so as a tool error (-32021 belongs to 2026-07-28 requests).
            McpSchema.CallToolResult r = none.callTool(new McpSchema.CallToolRequest(tool("modern"), Map.of()));
            assertEquals(Boolean.TRUE, r.isError(), ServerFixtures.text(r));
            assertTrue(ServerFixtures.text(r).contains("did not declare the roots capability"), ServerFixtures.text(r));
        }
        Map<String, Object> modern = firstRound("modern", Map.of());
        assertTrue(
                modern.get("error") instanceof Map<?, ?> error
                        && Integer.valueOf(-32021).equals(error.get("code")),
                modern.toString());
    }

    @Test
    void aRootsRequestThatNoOneCallOwnsGetsNone() throws Exception {
        // A 2026-07-28 caller's call waits for its roots answer: it stays in flight on the legacy server.
        Map<String, Object> parked = result(firstRound("legacy", WITH_ROOTS));
        rootsRound(parked);
        try (McpSyncClient a = legacyCaller("file:///caller/a")) {
            // Two callers' calls in flight, and roots/list names neither: an empty list, not the parked caller's
            // (nobody has answered it yet) nor a's.
            assertEquals("Roots: ", call(a, "legacy"));
        }
        assertEquals("Roots: file:///caller/c", answerRoots("legacy", parked, "file:///caller/c"));
    }
}
