package dev.toolhost.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The official conformance suite's client scenarios (not {@code auth/*}) with Toolhost as the client under test,
 * driven through {@code toolhost call} by {@code it/conformance/toolhost-client.mjs}, one scenario
 * at a time, at each wire the scenario belongs to. Known failures are listed in
 * {@code it/conformance/client-expected-failures.yaml}, each with its reason.
 */
class ClientConformanceTest {
    private static final Path BASELINE = Peers.repoRoot().resolve("it/conformance/client-expected-failures.yaml");
    private static final Pattern ENTRY = Pattern.compile("^\\s+- (\\S+)(.*)$");

    static Stream<Arguments> scenarios() {
        List<Arguments> out = new ArrayList<>();
        for (String s : List.of(
                "tools_call",
                "request-metadata",
                "http-standard-headers",
                "http-custom-headers",
                "http-invalid-tool-headers",
                "sep-2322-client-request-state",
                "json-schema-ref-no-deref")) {
            out.add(Arguments.of("2026-07-28", s));
        }
        for (String s : List.of("tools_call", "initialize", "sse-retry", "elicitation-sep1034-client-defaults")) {
            out.add(Arguments.of("2025-11-25", s));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("scenarios")
    void scenario(String version, String scenario) throws Exception {
        Peers.toolhostJar();
        String command = "node " + Peers.repoRoot().resolve("it/conformance/toolhost-client.mjs");
        Conformance.Run run = Conformance.client(command, scenario, version, BASELINE);
        boolean expectedToFail = expectedFailures().contains(scenario);
        assertFalse(run.scenarios().isEmpty(), "the scenario wrote no results:\n" + run.output());
        if (expectedToFail) {
            assertFalse(
                    run.scoredFailures().isEmpty() && run.baselineCandidates().isEmpty(),
                    scenario + " passes now: remove it from " + BASELINE);
        } else {
            assertTrue(run.baselineCandidates().isEmpty(), run.failureReport());
            assertEquals(0, run.exitCode(), run.failureReport() + "\n" + run.output());
        }
    }

    /** Every entry of the baseline carries its reason. */
    @Test
    void everyExpectedFailureHasAReason() throws Exception {
        for (String line : Files.readAllLines(BASELINE)) {
            Matcher m = ENTRY.matcher(line);
            if (m.matches()) {
                assertTrue(
                        m.group(2).matches("\\s+#\\s*\\S.*"), "no reason given for " + m.group(1) + " in " + BASELINE);
            }
        }
    }

    private static List<String> expectedFailures() throws Exception {
        List<String> names = new ArrayList<>();
        for (String line : Files.readAllLines(BASELINE)) {
            Matcher m = ENTRY.matcher(line);
            if (m.matches()) {
                names.add(m.group(1));
            }
        }
        return names;
    }
}
