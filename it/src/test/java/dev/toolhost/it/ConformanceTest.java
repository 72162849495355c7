package dev.toolhost.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The conformance helper against the TypeScript SDK v2 fixture, whose passes and failures are known. */
class ConformanceTest {
    @Test
    void listShowsWhatARevisionRequires() {
        String list = Conformance.list("2026-07-28");
        assertTrue(list.contains("Required for 2026-07-28"), list);
        assertTrue(list.contains("  - server-stateless\n"), list);
        assertTrue(list.contains("  - request-metadata\n"), list);
    }

    @Test
    void serverRunParsesEachScenarioAndHonoursTheBaseline(@TempDir Path tmp) throws Exception {
        try (V2Server server = new V2Server(false)) {
            Conformance.Run run = Conformance.server(server.url(), "2026-07-28", null);
            System.err.print(run.summary());

            // The fixture has tools but no prompts: tools-list passes, prompts-get-simple fails with a message.
            assertEquals(1, run.exitCode(), run.output());
            assertTrue(run.scenario("tools-list").orElseThrow().passed(), run.failureReport());
            assertTrue(run.scenario("server-stateless").isPresent(), run.summary());
            Conformance.Scenario prompts = run.scenario("prompts-get-simple").orElseThrow();
            assertFalse(prompts.passed());
            assertNotNull(prompts.failures().get(0).errorMessage());
            assertTrue(
                    run.notScored().contains("tasks-lifecycle"), run.notScored().toString());
            assertFalse(
                    run.scoredFailures().stream().anyMatch(s -> run.notScored().contains(s.name())));
            assertTrue(run.failureReport().contains("prompts-get-simple: "), run.failureReport());

            // With every scored failure (and warning) in the baseline, the run passes.
            Path baseline = tmp.resolve("expected-failures.yml");
            Files.writeString(
                    baseline,
                    "server:\n"
                            + run.baselineCandidates().stream()
                                    .map(s -> "  - " + s.name() + "\n")
                                    .collect(Collectors.joining()));
            Conformance.Run again = Conformance.server(server.url(), "2026-07-28", baseline);
            assertEquals(0, again.exitCode(), again.output());
        }
    }

    @Test
    void clientRunAppendsTheScenarioUrlToTheCommand(@TempDir Path tmp) throws Exception {
        Path spec = tmp.resolve("spec.json");
        Files.writeString(spec, "{\"negotiation\":\"auto\",\"operations\":[{\"op\":\"list_tools\"}]}");
        String command = "node " + Peers.peersDir().resolve("scripts/modern-client.mjs") + " @" + spec;

        Conformance.Run run = Conformance.client(command, "request-metadata");

        Conformance.Scenario scenario =
                run.scenario("request-metadata").orElseThrow(() -> new AssertionError(run.output()));
        assertFalse(scenario.checks().isEmpty(), run.output());
        assertTrue(scenario.passed(), run.failureReport());
        assertEquals(0, run.exitCode(), run.output());
    }
}
