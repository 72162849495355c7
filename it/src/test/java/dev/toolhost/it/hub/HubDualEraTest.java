package dev.toolhost.it.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.config.McpServerConfig;
import dev.toolhost.it.Peers;
import dev.toolhost.it.V2Server;
import dev.toolhost.mcp.client.CallContext;
import dev.toolhost.mcp.client.McpHub;
import dev.toolhost.mcp.client.ServerRequestHandler;
import dev.toolhost.mcp.client.ToolHub;
import dev.toolhost.mcp.client.modern.EraCache;
import dev.toolhost.mcp.core.Caller;
import dev.toolhost.mcp.core.InputRequest;
import dev.toolhost.mcp.core.McpRequest;
import dev.toolhost.mcp.core.Outcome;
import dev.toolhost.mcp.core.RequestMeta;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hub against servers of both eras: the TypeScript SDK v2 fixture modern-only and dual-era over HTTP and
 * stdio, {@code toolhost mcp-server} (dual-era stdio), and server-everything (legacy) to prove the fallback;
 * the era cache, the {@code protocol} pin, and an input-required round trip through the hub.
 */
class HubDualEraTest {
    @TempDir
    Path dir;

    private EraCache cache() {
        return new EraCache(dir.resolve("eras.json"), Clock.systemUTC());
    }

    private McpHub hub(EraCache cache, McpServerConfig... servers) {
        return McpHub.builder()
                .logDirectory(dir.resolve("logs"))
                .eraCache(cache)
                .servers(List.of(servers))
                .requiredFatal(false)
                .onWarning(w -> {})
                .build();
    }

    private static ToolHub.ServerStatus status(McpHub hub, String name) {
        return hub.servers().stream()
                .filter(s -> s.name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void modernOnlyAndDualEraHttpServersAreSpokenToIn2026() throws Exception {
        try (V2Server modernOnly = new V2Server(true);
                V2Server dual = new V2Server(false);
                McpHub hub = hub(
                        cache(), McpServerConfig.http("m", modernOnly.url()), McpServerConfig.http("d", dual.url()))) {
            for (String s : List.of("m", "d")) {
                assertEquals(
                        ToolHub.ServerStatus.State.READY,
                        status(hub, s).state(),
                        hub.servers().toString());
                assertEquals(new McpHub.ServerProtocol("2026-07-28", "2026-07-28"), hub.protocol(s));
                assertEquals(
                        "Echo: hi " + s,
                        Servers.text(hub.call("mcp__" + s + "__echo", Map.of("message", "hi " + s), CallContext.none())
                                .join()));
            }
        }
    }

    @Test
    void mcpListSaysAnHttpServerThatAnsweredWithoutCredentialsNeedsNoSignIn() throws Exception {
        try (V2Server dual = new V2Server(false)) {
            Path home = dir.resolve("home");
            Files.createDirectories(home);
            Files.writeString(home.resolve("config.toml"), "[mcp_servers.d]\nurl = \"" + dual.url() + "\"\n");
            Peers.Run live = Peers.run(home, "mcp", "list");
            assertEquals(0, live.code(), live.err());
            assertTrue(
                    live.out()
                            .lines()
                            .anyMatch(l -> l.matches("d\\s+http\\s+\\S+\\s+not needed\\s+2026-07-28\\s+ready.*")),
                    live.out());
            // Without connecting, nothing says whether it would ask for a sign-in.
            Peers.Run offline = Peers.run(home, "mcp", "list", "--no-connect");
            assertTrue(offline.out().contains("not logged in"), offline.out());
        }
    }

    @Test
    void dualEraStdioServersAreModernAndLegacyOnesFallBack() {
        McpServerConfig v2 = Servers.stdio(
                "v2", V2Server.stdioCommand().get(0), V2Server.stdioCommand().subList(1, 3));
        // A JVM: on a loaded machine it may need more than the default half of 10 s to answer the probe.
        McpServerConfig self = Servers.stdio(
                        "self",
                        Peers.toolhost().get(0),
                        Peers.toolhost("mcp-server")
                                .subList(1, Peers.toolhost("mcp-server").size()))
                .withEnv(Map.of("TOOLHOST_HOME", dir.resolve("child-home").toString(), "PATH", System.getenv("PATH")))
                .withTimeouts(Duration.ofSeconds(40), McpServerConfig.DEFAULT_TOOL_TIMEOUT);
        EraCache cache = cache();
        try (McpHub hub = hub(cache, v2, self, Servers.everything("legacy"))) {
            assertEquals(new McpHub.ServerProtocol("2026-07-28", "2026-07-28"), hub.protocol("v2"));
            assertEquals(
                    new McpHub.ServerProtocol("2026-07-28", "2026-07-28"),
                    hub.protocol("self"),
                    hub.servers().toString());
            McpHub.ServerProtocol legacy = hub.protocol("legacy");
            assertNotNull(legacy, hub.servers().toString());
            assertEquals("legacy", legacy.era());
            assertEquals(
                    "Echo: a",
                    Servers.text(hub.call("mcp__v2__echo", Map.of("message", "a"), CallContext.none())
                            .join()));
            assertEquals(
                    "Echo: b",
                    Servers.text(hub.call("mcp__legacy__echo", Map.of("message", "b"), CallContext.none())
                            .join()));
            McpSchema.CallToolResult listed = hub.call(
                            "mcp__self__list_dir", Map.of("path", dir.toString()), CallContext.none())
                    .join();
            assertNotEquals(Boolean.TRUE, listed.isError(), Servers.text(listed));
            assertTrue(Servers.text(listed).contains("eras.json"), Servers.text(listed));
        }
        assertEquals("2026-07-28", cache.get(v2).era());
        assertEquals("2026-07-28", cache.get(self).era());
        assertEquals(EraCache.LEGACY, cache.get(Servers.everything("legacy")).era());
    }

    @Test
    void aCachedVerdictThatNoLongerHoldsIsProbedAgain() {
        EraCache cache = cache();
        McpServerConfig everything = Servers.everything("e");
        cache.put(everything, "2026-07-28"); // wrong: server-everything is legacy
        try (McpHub hub = hub(cache, everything)) {
            assertEquals(
                    ToolHub.ServerStatus.State.READY,
                    status(hub, "e").state(),
                    hub.servers().toString());
            assertEquals("legacy", hub.protocol("e").era());
        }
        assertEquals(EraCache.LEGACY, cache.get(everything).era());
    }

    @Test
    void aStaleLegacyVerdictForAModernOnlyHttpServerIsProbedAgainInTheSameStart() throws Exception {
        EraCache cache = cache();
        try (V2Server modernOnly = new V2Server(true)) {
            McpServerConfig m = McpServerConfig.http("m", modernOnly.url());
            cache.put(m, EraCache.LEGACY); // stale: it speaks 2026-07-28 only
            try (McpHub hub = hub(cache, m)) {
                assertEquals(
                        ToolHub.ServerStatus.State.READY,
                        status(hub, "m").state(),
                        hub.servers().toString());
                assertEquals("2026-07-28", hub.protocol("m").era());
            }
            assertEquals("2026-07-28", cache.get(m).era());
        }
    }

    @Test
    void aPinnedEraTheServerDoesNotSpeakIsAClearError() throws Exception {
        try (V2Server modernOnly = new V2Server(true);
                McpHub hub = hub(
                        cache(),
                        Servers.everything("e").withProtocol("2026-07-28"),
                        McpServerConfig.http("m", modernOnly.url()).withProtocol("legacy"))) {
            ToolHub.ServerStatus e = status(hub, "e");
            assertEquals(ToolHub.ServerStatus.State.FAILED, e.state());
            assertTrue(e.detail().contains("does not speak 2026-07-28"), e.detail());
            // Its -32022 answer to initialize is the proof: no legacy HTTP+SSE fallback, no wait for
            // startup_timeout_sec.
            ToolHub.ServerStatus m = status(hub, "m");
            assertEquals(ToolHub.ServerStatus.State.FAILED, m.state());
            assertTrue(m.detail().contains("does not speak legacy MCP"), m.detail());
            assertTrue(m.detail().contains("it supports 2026-07-28"), m.detail());
            assertTrue(m.detail().contains("remove protocol = \"legacy\""), m.detail());
        }
        assertTrue(Files.notExists(dir.resolve("eras.json")), "a pinned era is not cached");
    }

    @Test
    void inputRequiredResultsReachTheCallerAndItsRetryReachesTheSameServer() throws Exception {
        try (V2Server modernOnly = new V2Server(true);
                McpHub hub = hub(cache(), McpServerConfig.http("m", modernOnly.url()))) {
            RequestMeta upstream = new RequestMeta(
                    "2026-07-28",
                    new McpSchema.Implementation("upstream", "1"),
                    McpSchema.ClientCapabilities.builder().elicitation().build(),
                    null,
                    Map.of(),
                    null,
                    Caller.stateless(null));
            McpRequest first = McpRequest.toolCall("mcp__m__ask_name", Map.of(), upstream);
            Outcome<McpSchema.CallToolResult> asked =
                    hub.callTool(first, CallContext.none()).join();
            Outcome.InputRequired<McpSchema.CallToolResult> needed =
                    assertInstanceOf(Outcome.InputRequired.class, asked);
            InputRequest request = needed.inputRequests().get("name");
            assertEquals(InputRequest.ELICITATION, request.method());
            Outcome<McpSchema.CallToolResult> done = hub.callTool(
                            first.retry(
                                    Map.of("name", Map.of("action", "accept", "content", Map.of("name", "Ada"))),
                                    needed.requestState()),
                            CallContext.none())
                    .join();
            McpSchema.CallToolResult result =
                    assertInstanceOf(Outcome.Complete.class, done).result() instanceof McpSchema.CallToolResult r
                            ? r
                            : null;
            assertEquals("Hello, Ada!", Servers.text(result));

            // Toolhost itself as the caller: the hub's handler answers, and the call is retried with the answer.
            AtomicReference<String> askedFor = new AtomicReference<>();
            ServerRequestHandler handler = new ServerRequestHandler() {
                @Override
                public McpSchema.ElicitResult elicit(String server, McpSchema.ElicitRequest r) {
                    askedFor.set(r.message());
                    return new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.ACCEPT, Map.of("name", "Grace"));
                }

                @Override
                public McpSchema.CreateMessageResult sample(String server, McpSchema.CreateMessageRequest r) {
                    throw new UnsupportedOperationException();
                }
            };
            assertEquals(
                    "Hello, Grace!",
                    Servers.text(hub.call(
                                    "mcp__m__ask_name",
                                    Map.of("prompt", "Who?"),
                                    new CallContext(p -> {}, l -> {}, handler))
                            .join()));
            assertEquals("Who?", askedFor.get());
        }
    }

    @Test
    void aRetryCarryingAnotherServersStateIsRefused() throws Exception {
        try (V2Server modernOnly = new V2Server(true);
                McpHub hub = hub(cache(), McpServerConfig.http("m", modernOnly.url()))) {
            McpRequest forged = McpRequest.toolCall("mcp__m__ask_name", Map.of(), RequestMeta.local())
                    .retry(Map.of(), "th1.b3RoZXI.state-of-another-server");
            Throwable e =
                    hub.callTool(forged, CallContext.none()).handle((o, x) -> x).join();
            assertNotNull(e, "the forged state was accepted");
            assertTrue(e.getMessage().contains("was not issued for MCP server 'm'"), e.getMessage());
        }
    }
}
