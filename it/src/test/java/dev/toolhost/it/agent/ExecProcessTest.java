package dev.toolhost.it.agent;

import static dev.toolhost.it.agent.ScriptedModelServer.call;
import static dev.toolhost.it.agent.ScriptedModelServer.calls;
import static dev.toolhost.it.agent.ScriptedModelServer.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.it.Peers;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/** {@code toolhost exec} as a separate process against a scripted provider, with TOOLHOST_HOME in a temp dir. */
class ExecProcessTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path home;

    @TempDir
    Path work;

    private ScriptedModelServer model;

    @BeforeEach
    void start() throws IOException {
        model = ScriptedModelServer.start();
    }

    @AfterEach
    void stop() {
        model.close();
    }

    record Run(int exit, String stdout, String stderr) {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> events() {
            List<Map<String, Object>> out = new ArrayList<>();
            for (String line : stdout.split("\n")) {
                if (!line.isBlank()) {
                    out.add(JSON.readValue(line, Map.class)); // every stdout line must be a JSON object
                    EventSchema.assertValid(line); // ... and one of the published events
                }
            }
            return out;
        }

        List<String> types() {
            return events().stream().map(e -> (String) e.get("type")).toList();
        }

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> items(String eventType, String itemType) {
            return events().stream()
                    .filter(e -> e.get("type").equals(eventType))
                    .map(e -> (Map<String, Object>) e.get("item"))
                    .filter(i -> i.get("type").equals(itemType))
                    .toList();
        }
    }

    private Run toolhost(String stdin, List<String> args) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Peers.toolhost(args.toArray(String[]::new))).directory(work.toFile());
        pb.environment().put("TOOLHOST_HOME", home.toString());
        pb.environment().remove("OPENAI_API_KEY");
        Process p = pb.start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        try (var in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("toolhost " + args + " did not finish; stderr: " + err.getNow(""));
        }
        return new Run(p.exitValue(), out.get(), err.get());
    }

    private static String read(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** exec with the scripted provider configured, tools running without approval prompts. */
    private Run exec(String wire, String stdin, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("exec"));
        for (String o : model.configOverrides(wire)) {
            all.add("-c");
            all.add(o);
        }
        all.addAll(List.of("-a", "never", "-s", "workspace-write", "-C", work.toString()));
        all.addAll(List.of(args));
        return toolhost(stdin, all);
    }

    /** exec with the scripted provider configured and nothing else: sandbox and approvals as the flags say. */
    private Run execBare(String stdin, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("exec"));
        for (String o : model.configOverrides("responses")) {
            all.add("-c");
            all.add(o);
        }
        all.addAll(List.of("-C", work.toString()));
        all.addAll(List.of(args));
        return toolhost(stdin, all);
    }

    private static ScriptedModelServer.Call addFile(String id, Path file) {
        return call(
                id,
                "apply_patch",
                Map.of("input", "*** Begin Patch\n*** Add File: " + file + "\n+written\n" + "*** End Patch\n"));
    }

    @Test
    void codexFullAutoMeansWorkspaceWriteAndSkipGitRepoCheckIsAccepted() throws Exception {
        Path inside = work.resolve("inside.txt");
        model.reply(calls(addFile("p1", inside)), text("done"));
        Run run = execBare(null, "--full-auto", "--skip-git-repo-check", "--json", "write a file");

        assertEquals(0, run.exit(), run.stderr());
        assertEquals("written\n", Files.readString(inside));
        assertTrue(
                run.stderr().contains("--full-auto is deprecated (as in Codex); use --sandbox workspace-write"),
                run.stderr());

        Run conflict = execBare(null, "--full-auto", "-s", "read-only", "hi");
        assertEquals(2, conflict.exit(), conflict.stderr());
        assertTrue(conflict.stderr().contains("--full-auto conflicts with -s/--sandbox read-only"), conflict.stderr());
    }

    @Test
    void codexDangerouslyBypassMeansNoSandboxAndNoApprovals(@TempDir Path elsewhere) throws Exception {
        Path outside = elsewhere.resolve("outside.txt");
        model.reply(calls(addFile("p1", outside)), text("done"));
        Run run = execBare(null, "--dangerously-bypass-approvals-and-sandbox", "--json", "write outside");

        assertEquals(0, run.exit(), run.stderr());
        assertEquals("written\n", Files.readString(outside), "written outside the workspace, without approval");

        Run conflict = execBare(null, "--dangerously-bypass-approvals-and-sandbox", "-a", "on-request", "hi");
        assertEquals(2, conflict.exit(), conflict.stderr());
        assertTrue(conflict.stderr().contains("conflicts with -a/--ask-for-approval on-request"), conflict.stderr());
    }

    @Test
    void resumeLastContinuesTheMostRecentThreadOfThisDirectory() throws Exception {
        model.reply(text("First answer."), text("Second answer."));
        Run first = execBare(null, "--json", "remember the number 7");
        assertEquals(0, first.exit(), first.stderr());
        String threadId = (String) first.events().get(0).get("thread_id");

        Run second = execBare(null, "resume", "--last", "which number?");

        assertEquals(0, second.exit(), second.stderr());
        assertEquals("Second answer.\n", second.stdout());
        assertTrue(second.stderr().contains("thread " + threadId), second.stderr());
        List<Map<String, Object>> input = model.requests().get(1).conversation();
        assertEquals(3, input.size(), input.toString());
        assertEquals("which number?", ((Map<?, ?>) ((List<?>) input.get(2).get("content")).get(0)).get("text"));
    }

    @Test
    void topLevelKeysWrittenBelowAServerTableAreOneErrorNotAWarningAndANoModelError() throws Exception {
        Files.writeString(home.resolve("config.toml"), "[mcp_servers.fs]\ncommand = \"true\"\nmodel = \"gpt-5\"\n");
        Run run = toolhost(null, List.of("exec", "hi"));

        assertEquals(2, run.exit(), run.stderr());
        assertEquals("", run.stdout());
        assertTrue(
                run.stderr()
                        .startsWith("error: " + home.resolve("config.toml") + ":3: 'model' is inside the"
                                + " [mcp_servers.fs] table"),
                run.stderr());
        assertTrue(run.stderr().contains("Move these lines above the first [table] header"), run.stderr());
        assertTrue(!run.stderr().contains("warning") && !run.stderr().contains("no model is configured"), run.stderr());
        assertEquals(1, run.stderr().split("'model' is inside", -1).length - 1, run.stderr());

        Files.writeString(home.resolve("config.toml"), "unused_key = 1\n");
        Run warned = toolhost(null, List.of("exec", "hi"));
        assertEquals(2, warned.exit(), warned.stderr());
        assertEquals(
                1,
                warned.stderr().split("warning: ignoring config keys", -1).length - 1,
                "each warning once: " + warned.stderr());
    }

    @Test
    void jsonModeRunsACommandAfterA429AndPrintsOnlyEvents() throws Exception {
        model.reply(
                new ScriptedModelServer.Status(429, Map.of("Retry-After", "0"), "{\"error\":{\"message\":\"busy\"}}"),
                calls(call("c1", "exec_command", Map.of("cmd", "echo from-the-shell"))),
                text("The shell said hello."));
        Run run = exec("responses", null, "--json", "run echo");

        assertEquals(0, run.exit(), run.stderr());
        assertEquals(
                List.of(
                        "thread.started",
                        "turn.started",
                        "item.started",
                        "item.completed",
                        "item.completed",
                        "turn.completed"),
                run.types());
        Map<String, Object> cmd =
                run.items("item.completed", "command_execution").get(0);
        assertEquals(0, cmd.get("exit_code"));
        assertTrue(((String) cmd.get("aggregated_output")).contains("from-the-shell"), cmd.toString());
        assertEquals(
                "The shell said hello.",
                run.items("item.completed", "agent_message").get(0).get("text"));
        assertEquals(
                Map.of("input_tokens", 200, "cached_input_tokens", 80, "output_tokens", 14),
                run.events().get(5).get("usage"));
        assertEquals(3, model.requests().size(), "one retried 429, then two model requests");
        String threadId = (String) run.events().get(0).get("thread_id");
        assertTrue(Files.exists(home.resolve("sessions").resolve(threadId + ".jsonl")));
    }

    @Test
    void chatWireCallsAToolOfServerEverythingAndAppliesAPatch() throws Exception {
        String patch = "*** Begin Patch\n*** Add File: out.txt\n+patched\n*** End Patch\n";
        model.reply(
                calls(
                        call("e1", "mcp__everything__echo", Map.of("message", "ping")),
                        call("p1", "apply_patch", Map.of("input", patch))),
                text("Echoed and patched."));
        Run run = exec(
                "chat",
                null,
                "--json",
                "-c",
                "mcp_servers.everything.command=\"" + Peers.bin("mcp-server-everything") + "\"",
                "echo and patch");

        assertEquals(0, run.exit(), run.stderr());
        Map<String, Object> mcp = run.items("item.completed", "mcp_tool_call").get(0);
        assertEquals("everything", mcp.get("server"));
        assertEquals("echo", mcp.get("tool"));
        assertEquals("completed", mcp.get("status"));
        Map<String, Object> change = run.items("item.completed", "file_change").get(0);
        assertEquals(List.of(Map.of("path", "out.txt", "kind", "add")), change.get("changes"));
        assertEquals("patched\n", Files.readString(work.resolve("out.txt")));
        // both results went back to the model, as tool messages of the chat wire format
        List<Map<String, Object>> messages = model.requests().get(1).conversation();
        String echoed = messages.stream()
                .filter(m -> "e1".equals(m.get("tool_call_id")))
                .map(m -> (String) m.get("content"))
                .findFirst()
                .orElseThrow();
        assertTrue(echoed.contains("ping"), echoed);
        assertTrue(model.requests().get(0).tools().stream()
                .anyMatch(t -> "mcp__everything__echo".equals(((Map<?, ?>) t.get("function")).get("name"))));
    }

    @Test
    void humanModeResumeReadsStdinAndWritesTheLastMessage() throws Exception {
        model.reply(text("First answer."), text("Second answer."));
        Run first = exec("responses", null, "--json", "remember the number 7");
        assertEquals(0, first.exit(), first.stderr());
        String threadId = (String) first.events().get(0).get("thread_id");

        Path last = work.resolve("last.txt");
        Run second = exec("responses", "which number?", "resume", threadId, "-", "-o", last.toString());

        assertEquals(0, second.exit(), second.stderr());
        assertEquals("Second answer.\n", second.stdout());
        assertTrue(second.stderr().contains("thread " + threadId), second.stderr());
        assertEquals("Second answer.", Files.readString(last));
        List<Map<String, Object>> input = model.requests().get(1).conversation();
        assertEquals(3, input.size(), input.toString());
        assertEquals("First answer.", ((Map<?, ?>) ((List<?>) input.get(1).get("content")).get(0)).get("text"));
        assertEquals("which number?", ((Map<?, ?>) ((List<?>) input.get(2).get("content")).get(0)).get("text"));
    }

    @Test
    void withoutAPromptAPromptPipedIntoStdinIsRead() throws Exception {
        model.reply(text("Piped answer."));
        Run run = exec("responses", "a prompt from a pipe\n", "--json");
        assertEquals(0, run.exit(), run.stderr());
        List<Map<String, Object>> input = model.requests().get(0).conversation();
        assertEquals(
                "a prompt from a pipe\n",
                ((Map<?, ?>) ((List<?>) input.get(input.size() - 1).get("content")).get(0)).get("text"));

        Run empty = exec("responses", "", "--json");
        assertEquals(2, empty.exit(), empty.stderr());
        assertTrue(
                empty.stderr().contains("missing PROMPT") && empty.stderr().contains("stdin was empty"),
                empty.stderr());
        assertEquals(1, model.requests().size(), "no turn without a prompt");
    }

    @Test
    void aMalformedStreamFailsTheTurnWithAClearError() throws Exception {
        model.reply(new ScriptedModelServer.RawStream("data: this is not json\n\n"));
        Run run = exec("chat", null, "--json", "hi");

        assertEquals(1, run.exit(), run.stderr());
        List<Map<String, Object>> events = run.events();
        assertEquals(List.of("thread.started", "turn.started", "error", "turn.failed"), run.types());
        String message = (String) ((Map<?, ?>) events.get(3).get("error")).get("message");
        assertTrue(message.startsWith("malformed stream from model provider 'scripted'"), message);
    }

    @Test
    void withoutAModelItExitsTwoAndSaysHowToConfigureOne() throws Exception {
        Run run = toolhost(null, List.of("exec", "hi"));
        assertEquals(2, run.exit());
        assertEquals("", run.stdout());
        assertTrue(
                run.stderr().contains("no model is configured")
                        && run.stderr().contains("model = \"")
                        && run.stderr().contains(home.resolve("config.toml").toString()),
                run.stderr());
    }

    @Test
    void resumingAnUnknownThreadIsAUsageError() throws Exception {
        Run run = exec("responses", null, "resume", "no-such-thread", "hi");
        assertEquals(2, run.exit());
        assertTrue(
                run.stderr().contains("thread no-such-thread was not found in " + home.resolve("sessions")),
                run.stderr());
    }

    @Test
    void ctrlCCancelsTheTurnAndEndsTheRunningCommand() throws Exception {
        String marker = "62.3131";
        model.reply(calls(call("s1", "exec_command", Map.of("cmd", "exec sleep " + marker, "yield_time_ms", 60000))));
        List<String> all = new ArrayList<>(List.of("exec", "--json"));
        for (String o : model.configOverrides("responses")) {
            all.add("-c");
            all.add(o);
        }
        all.addAll(List.of("-a", "never", "-s", "workspace-write", "-C", work.toString(), "sleep a while"));
        ProcessBuilder pb = new ProcessBuilder(Peers.toolhost(all.toArray(String[]::new)))
                .directory(work.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("TOOLHOST_HOME", home.toString());
        Process p = pb.start();
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread reader =
                new Thread(() -> new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))
                        .lines()
                        .forEach(lines::add));
        reader.start();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> sleepers(marker) > 0);

        new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();

        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "exec ends after SIGINT");
        reader.join(5000);
        assertEquals(130, p.exitValue());
        assertTrue(lines.get(lines.size() - 1).contains("\"turn.failed\""), lines.toString());
        // The running command's item ends (failed: cancelled) before turn.failed: no item is left open.
        Run run = new Run(130, String.join("\n", lines), "");
        List<Map<String, Object>> started = run.items("item.started", "command_execution");
        List<Map<String, Object>> completed = run.items("item.completed", "command_execution");
        assertEquals(1, started.size(), lines.toString());
        assertEquals(1, completed.size(), lines.toString());
        assertEquals(started.get(0).get("id"), completed.get(0).get("id"));
        assertEquals("failed", completed.get(0).get("status"));
        assertEquals("item.completed", run.types().get(run.types().size() - 2));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> sleepers(marker) == 0);
    }

    @Test
    void closingStdoutCancelsTheTurnAndEndsItsCommands() throws Exception {
        String marker = "63.2718";
        Path go = work.resolve("go");
        // One command ends when the test says so (its item.completed is then the first write to a closed pipe);
        // the other would run for a minute.
        model.reply(
                calls(
                        call(
                                "w1",
                                "exec_command",
                                Map.of("cmd", "while [ ! -e go ]; do sleep 0.05; done", "yield_time_ms", 60000)),
                        call("s1", "exec_command", Map.of("cmd", "exec sleep " + marker, "yield_time_ms", 60000))),
                calls(call("t1", "exec_command", Map.of("cmd", "touch after-close.txt"))),
                text("done"));
        Process p = startJsonExec("wait, then sleep");
        BufferedReader stdout = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        assertTrue(stdout.readLine().contains("\"thread.started\""));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> sleepers(marker) > 0);

        stdout.close(); // as `| head -1` does
        Files.writeString(go, "");

        boolean ended = p.waitFor(30, TimeUnit.SECONDS);
        p.destroyForcibly();
        assertTrue(ended, "exec ends once its stdout is gone");
        assertEquals(141, p.exitValue());
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> sleepers(marker) == 0);
        assertEquals(1, model.requests().size(), "no model request after stdout closed");
        assertTrue(!Files.exists(work.resolve("after-close.txt")));
    }

    /** {@code exec --json PROMPT} as a running process (stderr discarded), tools running without approval. */
    private Process startJsonExec(String prompt) throws IOException {
        List<String> all = new ArrayList<>(List.of("exec", "--json"));
        for (String o : model.configOverrides("responses")) {
            all.add("-c");
            all.add(o);
        }
        all.addAll(List.of("-a", "never", "-s", "workspace-write", "-C", work.toString(), prompt));
        ProcessBuilder pb = new ProcessBuilder(Peers.toolhost(all.toArray(String[]::new)))
                .directory(work.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("TOOLHOST_HOME", home.toString());
        return pb.start();
    }

    private static long sleepers(String marker) {
        return ProcessHandle.allProcesses()
                .filter(h -> h.info().commandLine().orElse("").endsWith("sleep " + marker))
                .count();
    }
}
