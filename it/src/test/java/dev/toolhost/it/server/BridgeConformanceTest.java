package dev.toolhost.it.server;

import static dev.toolhost.it.server.ServerFixtures.home;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.toolhost.it.Conformance;
import dev.toolhost.it.Peers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The official conformance suite, server side, against the single-server bridge
 * ({@code toolhost mcp-server --bridge fixture --http ...}) in front of {@code scripts/conformance-fixture.mjs}
 * (TypeScript SDK v2), in its dual-era and legacy-only variants, at both wires. Every scored scenario passes or is
 * in {@code src/test/resources/conformance/bridge-expected-failures-REVISION-VARIANT.yml} with its reason (the suite
 * also fails the run for an entry that passes: the baselines stay true).
 */
class BridgeConformanceTest {
    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0} fixture, --requirements {1}")
    @CsvSource({"dual-era, 2025-11-25", "legacy-only, 2025-11-25", "dual-era, 2026-07-28", "legacy-only, 2026-07-28"})
    void everyScoredScenarioPassesThroughTheBridge(String variant, String requirements) throws Exception {
        String args = variant.equals("legacy-only") ? ", \"--legacy-only\"" : "";
        Path home = home(tmp.resolve("home"), """
                [mcp_servers.fixture]
                command = "node"
                args = ["%s"%s]
                cwd = "%s"
                forward_roots = true
                """.formatted(
                        Peers.peersDir().resolve("scripts/conformance-fixture.mjs"), args, Peers.peersDir()));
        try (ServerFixtures.HttpServerProcess bridge =
                new ServerFixtures.HttpServerProcess(home, Map.of(), "--bridge", "fixture")) {
            assertEquals(true, servesModernHttp(bridge.url()), "the HTTP front serves 2026-07-28 requests");
            // Some scenarios give a first answer 600 ms; a JVM that has not yet run a call through the hub and a
            // parked elicitation can take longer than that once. The suite measures the protocol, not warm-up, so
            // one elicitation round trip runs first (to its end: a call left parked would stay in flight).
            warmUp(bridge.url());
            Path baseline = Peers.repoRoot()
                    .resolve("it/src/test/resources/conformance/bridge-expected-failures-" + requirements + "-"
                            + variant + ".yml");
            Conformance.Run run = Conformance.server(bridge.url(), requirements, baseline);
            System.err.print(run.summary());
            assertEquals(0, run.exitCode(), run.failureReport() + "\n" + run.output());
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String META = "{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\","
            + "\"io.modelcontextprotocol/clientCapabilities\":{}}";

    private static void warmUp(String url) throws Exception {
        String call = "{\"name\":\"test_streaming_elicitation\",\"arguments\":{},\"_meta\":"
                + META.replace("{}}", "{\"elicitation\":{}}}") + "}";
        JsonNode first = JSON.readTree(post(url, "tools/call", call).body());
        assertEquals("input_required", first.path("result").path("resultType").asString(""), first.toString());
        String key = first.path("result")
                .path("inputRequests")
                .propertyNames()
                .iterator()
                .next();
        JsonNode state = first.path("result").path("requestState");
        String retry = call.substring(0, call.length() - 1) + ",\"inputResponses\":{\"" + key + "\":{\"action\":"
                + "\"accept\",\"content\":{\"name\":\"warm-up\"}}}"
                + (state.isString() ? ",\"requestState\":" + JSON.writeValueAsString(state.asString()) : "") + "}";
        JsonNode done = JSON.readTree(post(url, "tools/call", retry).body());
        assertEquals("complete", done.path("result").path("resultType").asString(""), done.toString());
    }

    /** Whether the endpoint answers a 2026-07-28 {@code server/discover} (else it speaks legacy sessions only). */
    private static boolean servesModernHttp(String url) throws Exception {
        HttpResponse<String> r = post(url, "server/discover", "{\"_meta\":" + META + "}");
        return r.statusCode() == 200 && r.body().contains("supportedVersions");
    }

    /** One 2026-07-28 request (its {@code params} as JSON text) with the headers the wire requires. */
    private static HttpResponse<String> post(String url, String method, String params) throws Exception {
        String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method + "\",\"params\":" + params + "}";
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .header("MCP-Protocol-Version", "2026-07-28")
                .header("Mcp-Method", method)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        Matcher name = Pattern.compile("\"name\":\"([^\"]+)\"").matcher(params);
        if (method.equals("tools/call") && name.find()) {
            b.header("Mcp-Name", name.group(1));
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
