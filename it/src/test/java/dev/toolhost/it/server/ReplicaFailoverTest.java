package dev.toolhost.it.server;

import static dev.toolhost.it.server.ServerFixtures.home;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.it.Nginx;
import dev.toolhost.it.Peers;
import io.modelcontextprotocol.json.McpJsonDefaults;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One of two {@code toolhost mcp-server --http} replicas behind a real nginx round-robin is killed while a
 * 2026-07-28 client (TS SDK v2, {@code retrying-calls.mjs}) has calls in flight: those fail at the client, the
 * client re-issues them, and in the end every payload was answered exactly once, by its own answer
 * (issue 12 section 4).
 */
class ReplicaFailoverTest {
    private static final int CALLS = 200;
    private static final int KILL_AFTER = 60;

    @TempDir
    Path tmp;

    @Test
    void callsInFlightOnAKilledReplicaAreReissuedAndEveryPayloadIsAnsweredOnce() throws Exception {
        Path work = Files.createDirectories(tmp.resolve("work"));
        try (var a = replica("a", work);
                var b = replica("b", work);
                Nginx lb = Nginx.start(List.of(a.hostPort(), b.hostPort()), Nginx.Balancing.ROUND_ROBIN)) {
            // Each call takes a moment (the sleep), so that some are running on b when it dies.
            Map<String, Object> spec = Map.of(
                    "url",
                    lb.url("/mcp"),
                    "tool",
                    "exec_command",
                    "arguments",
                    Map.of("cmd", "sleep 0.1; echo answer-{payload}", "login", false),
                    "count",
                    CALLS,
                    "concurrency",
                    4,
                    "maxAttempts",
                    5);
            Path specFile = tmp.resolve("spec.json");
            Files.writeString(specFile, McpJsonDefaults.getMapper().writeValueAsString(spec));
            Process client = new ProcessBuilder("node", "scripts/retrying-calls.mjs", "@" + specFile)
                    .directory(Peers.peersDir().toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            client.getOutputStream().close();
            List<Map<String, Object>> events = new CopyOnWriteArrayList<>();
            AtomicInteger answered = new AtomicInteger();
            Thread reader = new Thread(() -> read(client, events, answered), "retrying-calls-stdout");
            reader.start();
            try {
                await().atMost(Duration.ofSeconds(120)).until(() -> answered.get() >= KILL_AFTER || !client.isAlive());
                assertTrue(client.isAlive(), "the client finished before the kill: " + events);
                b.kill();
                int answeredBeforeKill = answered.get();
                assertTrue(
                        client.waitFor(180, TimeUnit.SECONDS),
                        "the client did not finish: " + events.size() + " events");
                reader.join(10_000);

                Map<String, Object> done = events.get(events.size() - 1);
                assertEquals("done", done.get("event"), events.toString());
                assertEquals(0, client.exitValue(), "payloads given up: " + done);
                Map<String, Integer> answers = new HashMap<>();
                int failures = 0;
                for (Map<String, Object> e : events) {
                    if ("answered".equals(e.get("event"))) {
                        String payload = (String) e.get("payload");
                        answers.merge(payload, 1, Integer::sum);
                        assertTrue(
                                Pattern.compile("answer-" + payload + "(?!\\d)")
                                        .matcher(String.valueOf(e.get("text")))
                                        .find(),
                                "the answer of " + payload + " is its own: " + e);
                    } else if ("failed".equals(e.get("event"))) {
                        failures++;
                        assertFalse(
                                String.valueOf(e.get("error")).contains("toolError"),
                                "only the transport failed, never a tool: " + e);
                    }
                }
                System.err.println("ReplicaFailoverTest: " + failures + " calls failed and were re-issued ("
                        + answeredBeforeKill + " of " + CALLS + " answered before the kill)");
                assertEquals(CALLS, answers.size(), "every payload was answered");
                assertTrue(answers.values().stream().allMatch(n -> n == 1), "none twice: " + answers);
                assertTrue(
                        failures >= 1,
                        "calls in flight on the killed replica failed at the client (" + answeredBeforeKill
                                + " answered before the kill)");
                assertEquals(failures, ((Number) done.get("failed")).intValue());
                assertTrue(
                        lb.accessLog().stream().anyMatch(l -> l.startsWith(b.hostPort()) && l.contains(" 502 ")),
                        "nginx saw b's requests fail: " + lb.errorLog());
            } finally {
                client.destroyForcibly();
            }
        }
    }

    private static ServerFixtures.HttpServerProcess replica(String name, Path work) throws Exception {
        return new ServerFixtures.HttpServerProcess(
                home(work.resolveSibling("home-" + name), ""),
                Map.of(),
                "--only",
                "builtin",
                "-C",
                work.toString(),
                "-s",
                "workspace-write",
                "-a",
                "never");
    }

    @SuppressWarnings("unchecked")
    private static void read(Process client, List<Map<String, Object>> events, AtomicInteger answered) {
        try (BufferedReader r =
                new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                Map<String, Object> event = McpJsonDefaults.getMapper().readValue(line, Map.class);
                events.add(event);
                if ("answered".equals(event.get("event"))) {
                    answered.incrementAndGet();
                }
            }
        } catch (IOException e) {
            // the client ended
        }
    }
}
