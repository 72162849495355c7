package dev.toolhost.it.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.it.Conformance;
import dev.toolhost.it.Peers;
import java.io.IOException;
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
 * The official conformance suite's client authorization scenarios ({@code @modelcontextprotocol/conformance},
 * pinned in it/peers) with Toolhost as the client under test, through {@code it/conformance/toolhost-client.mjs}:
 * every scored {@code auth/*} scenario of {@code --requirements 2025-11-25} and {@code 2026-07-28}, each at that
 * revision's wire (the lists come from {@code conformance list}, so a new scenario is run as soon as the pinned
 * suite has it), plus the client-credentials extension scenarios. One scenario at a time: JVM starts on two cores
 * are slow. Known failures are in {@code it/conformance/expected-failures-VERSION.yaml}, each with its reason; a
 * run fails on an unexpected failure and on a listed scenario that now passes.
 */
class ClientAuthConformanceTest {
    private static final List<String> VERSIONS = List.of("2025-11-25", "2026-07-28");
    private static final String EXTENSION = "extension";
    private static final Pattern SCENARIO = Pattern.compile("^  - (\\S+)$");
    private static final Pattern ENTRY = Pattern.compile("^\\s+- (\\S+)");

    static Stream<Arguments> scenarios() {
        List<Arguments> out = new ArrayList<>();
        for (String version : VERSIONS) {
            for (String scenario : scoredClientScenarios(version)) {
                if (scenario.startsWith("auth/")) {
                    out.add(Arguments.of(version, scenario));
                }
            }
        }
        out.add(Arguments.of(EXTENSION, "auth/client-credentials-basic"));
        out.add(Arguments.of(EXTENSION, "auth/client-credentials-jwt"));
        return out.stream();
    }

    /**
     * Runs one scenario. A scenario listed in the version's expected-failures file must still fail (else the
     * entry is stale); any other must pass. The suite's own {@code --expected-failures} compares checks only,
     * not the client's exit status, so the baseline is judged here.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("scenarios")
    void scenario(String version, String scenario) throws Exception {
        Peers.toolhostJar();
        String command = "node " + conformanceDir().resolve("toolhost-client.mjs");
        Conformance.Run run = Conformance.client(command, scenario, version.equals(EXTENSION) ? null : version);
        String report = run.failureReport() + "\n" + tail(run.output(), 60);
        if (expectedFailures(version).contains(scenario)) {
            assertNotEquals(
                    0,
                    run.exitCode(),
                    "stale entry: " + scenario + " passes now; remove it from " + expectedFailuresFile(version) + "\n"
                            + report);
        } else {
            assertFalse(run.scenarios().isEmpty(), "the scenario wrote no results:\n" + run.output());
            assertEquals(0, run.exitCode(), report);
        }
    }

    @Test
    void everyExpectedFailureHasAReason() throws Exception {
        for (String version : VERSIONS) {
            for (String line : Files.readAllLines(expectedFailuresFile(version))) {
                if (ENTRY.matcher(line).find()) {
                    int hash = line.indexOf(" # ");
                    assertTrue(
                            hash > 0 && line.substring(hash + 3).strip().length() > 20,
                            expectedFailuresFile(version) + ": entry without a reason: " + line);
                }
            }
        }
        assertFalse(scoredClientScenarios("2025-11-25").isEmpty());
    }

    // ---------------------------------------------------------------- helpers

    private static Path conformanceDir() {
        return Peers.repoRoot().resolve("it/conformance");
    }

    private static Path expectedFailuresFile(String version) {
        return conformanceDir()
                .resolve("expected-failures-" + (VERSIONS.contains(version) ? version : "2025-11-25") + ".yaml");
    }

    /** The scenario names of an expected-failures file (the suite's format: a {@code client:} list). */
    private static List<String> expectedFailures(String version) throws IOException {
        List<String> names = new ArrayList<>();
        for (String line : Files.readAllLines(expectedFailuresFile(version))) {
            Matcher m = ENTRY.matcher(line);
            if (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    /** The client scenarios {@code conformance list --requirements VERSION} scores. */
    static List<String> scoredClientScenarios(String version) {
        List<String> scenarios = new ArrayList<>();
        boolean inClients = false;
        for (String line : Conformance.list(version).split("\n")) {
            String plain = line.replaceAll("\u001b\\[[0-9;]*m", "");
            if (plain.startsWith("Client scenarios")) {
                inClients = true;
                continue;
            }
            Matcher m = SCENARIO.matcher(plain);
            if (inClients && m.matches()) {
                scenarios.add(m.group(1));
            } else if (inClients) {
                break;
            }
        }
        return scenarios;
    }

    private static String tail(String s, int lines) {
        String[] all = s.split("\n");
        return String.join("\n", List.of(all).subList(Math.max(0, all.length - lines), all.length));
    }
}
