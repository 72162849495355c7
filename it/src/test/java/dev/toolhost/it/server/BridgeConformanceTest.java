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
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
                """.formatted(Peers.peersDir().resolve("scripts/conformance-fixture.mjs"), args, Peers.peersDir()));
        try (ServerFixtures.HttpServerProcess bridge = new ServerFixtures.HttpServerProcess(home, Map.of(),
                "--bridge", "fixture")) {
            assertEquals(true, servesModernHttp(bridge.url()), "the HTTP front serves 2026-07-28 requests");
            Path baseline = Peers.repoRoot().resolve("it/src/test/resources/conformance/bridge-expected-failures-"
                    + requirements + "-" + variant + ".yml");
            Conformance.Run run = Conformance.server(bridge.url(), requirements, baseline);
            System.err.print(run.summary());
            assertEquals(0, run.exitCode(), run.failureReport() + "\n" + run.output());
        }
    }

    /** Whether the endpoint answers a 2026-07-28 {@code server/discover} (else it speaks legacy sessions only). */
    private static boolean servesModernHttp(String url) throws Exception {
        String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"server/discover\",\"params\":{\"_meta\":{"
                + "\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\","
                + "\"io.modelcontextprotocol/clientCapabilities\":{}}}}";
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .header("MCP-Protocol-Version", "2026-07-28").header("Mcp-Method", "server/discover")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200 && r.body().contains("supportedVersions");
    }
}
