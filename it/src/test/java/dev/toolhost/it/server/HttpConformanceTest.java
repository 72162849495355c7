package dev.toolhost.it.server;

import static dev.toolhost.it.server.ServerFixtures.home;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.it.Conformance;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The official conformance suite's transport-level server scenarios, on both wires, against one
 * {@code toolhost mcp-server --http} endpoint. Checks that need the suite's fixture tools (named
 * {@code test_*}, which Toolhost does not have) report "Not testable" and are left out; every other check passes.
 */
class HttpConformanceTest {
    @TempDir
    static Path tmp;

    static ServerFixtures.HttpServerProcess server;

    @BeforeAll
    static void start() throws Exception {
        server = new ServerFixtures.HttpServerProcess(home(tmp.resolve("home"), ""), Map.of(), "--only", "builtin");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @ParameterizedTest(name = "{0} at {1}")
    @CsvSource({
        "server-stateless, 2026-07-28",
        "http-header-validation, 2026-07-28",
        "dns-rebinding-protection, 2026-07-28",
        "caching, 2026-07-28",
        "tools-list, 2026-07-28",
        "server-sse-multiple-streams, 2026-07-28",
        "server-initialize, 2025-11-25",
        "ping, 2025-11-25",
        "logging-set-level, 2025-11-25",
        "tools-list, 2025-11-25",
        "server-sse-multiple-streams, 2025-11-25",
        "dns-rebinding-protection, 2025-11-25"
    })
    void transportScenariosPass(String scenario, String wire) {
        Conformance.Run run = Conformance.serverScenario(server.url(), scenario, wire);
        Conformance.Scenario result = run.scenario(scenario).orElseThrow(() -> new AssertionError(run.output()));
        assertFalse(result.checks().isEmpty(), run.output());
        List<Conformance.Check> failed = result.failures().stream()
                .filter(c -> c.errorMessage() == null || !c.errorMessage().startsWith("Not testable"))
                .toList();
        assertTrue(failed.isEmpty(), run.failureReport());
    }
}
