package dev.toolhost.host.agent;

import static dev.toolhost.host.agent.ScriptedModel.call;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.config.ApprovalPolicy;
import dev.toolhost.config.ConfigLoader;
import dev.toolhost.config.ConfigRequest;
import dev.toolhost.config.LoadedConfig;
import dev.toolhost.config.SandboxMode;
import dev.toolhost.host.HubLauncher;
import dev.toolhost.host.model.ConversationItem;
import dev.toolhost.host.model.FunctionTool;
import dev.toolhost.mcp.client.ServerRequestHandler;
import dev.toolhost.mcp.client.ToolHub;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loop in-process, with the real hub (built-in tools) and a scripted model. */
class AgentLoopTest {
    @TempDir
    Path work;

    @TempDir
    Path home;

    private ToolHub hub;
    private ThreadStore store;
    private final ScriptedModel model = new ScriptedModel();
    private final List<Map<String, Object>> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startHub() throws Exception {
        LoadedConfig loaded = ConfigLoader.load(new ConfigRequest(
                home.resolve("config.toml"),
                null,
                List.of(),
                SandboxMode.WORKSPACE_WRITE,
                ApprovalPolicy.NEVER,
                work,
                false));
        hub = HubLauncher.launch(
                loaded,
                HubLauncher.Options.defaults()
                        .only(List.of(HubLauncher.BUILTIN))
                        .requestHandler(ServerRequestHandler.declining())
                        .progress(false));
        store = new ThreadStore(home.resolve("sessions"));
    }

    @AfterEach
    void closeHub() {
        if (hub != null) {
            hub.close();
        }
    }

    private AgentLoop.TurnResult turn(AgentThread thread, String prompt) {
        AgentLoop loop =
                new AgentLoop(hub, model, "m", AgentLoop.defaultInstructions(work), ServerRequestHandler.declining());
        return loop.runTurn(thread, prompt, e -> {
            EventSchema.assertValid(e.toJsonLine());
            events.add(AgentJson.toMap(e));
        });
    }

    private AgentLoop.TurnResult turn(String prompt) {
        return turn(store.create(work, "m"), prompt);
    }

    private List<String> types() {
        return events.stream().map(e -> (String) e.get("type")).toList();
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> items(String eventType, String itemType) {
        return events.stream()
                .filter(e -> e.get("type").equals(eventType))
                .map(e -> (Map<String, Object>) e.get("item"))
                .filter(i -> i.get("type").equals(itemType))
                .toList();
    }

    @Test
    void runsACommandAndGivesItsOutputToTheModel() {
        model.thenCalls(call("c1", "exec_command", Map.of("cmd", "echo hello-from-tool")))
                .thenText("all done");
        AgentLoop.TurnResult r = turn("say hello");

        assertTrue(r.ok(), r.error());
        assertEquals("all done", r.finalMessage());
        assertEquals(
                List.of(
                        "thread.started",
                        "turn.started",
                        "item.started",
                        "item.completed",
                        "item.completed",
                        "turn.completed"),
                types());
        Map<String, Object> started = items("item.started", "command_execution").get(0);
        assertEquals("echo hello-from-tool", started.get("command"));
        assertEquals("in_progress", started.get("status"));
        Map<String, Object> done = items("item.completed", "command_execution").get(0);
        assertEquals(0, done.get("exit_code"));
        assertEquals("completed", done.get("status"));
        assertTrue(((String) done.get("aggregated_output")).contains("hello-from-tool"), done.toString());
        assertEquals("all done", items("item.completed", "agent_message").get(0).get("text"));
        assertEquals(
                Map.of("input_tokens", 20L, "cached_input_tokens", 4L, "output_tokens", 6L),
                events.get(events.size() - 1).get("usage"));

        assertTrue(model.outputFor("c1").contains("hello-from-tool"));
        FunctionTool exec = model.requests.get(0).tools().stream()
                .filter(t -> t.name().equals("exec_command"))
                .findFirst()
                .orElseThrow();
        assertTrue(
                ((Map<?, ?>) exec.parameters().get("properties")).containsKey("cmd"),
                exec.parameters().toString());
    }

    @Test
    void appliesAPatchAndReportsTheFileChange() throws Exception {
        String patch = "*** Begin Patch\n*** Add File: notes/hello.txt\n+hello\n+world\n*** End Patch\n";
        model.thenCalls(call("p1", "apply_patch", Map.of("input", patch))).thenText("patched");
        AgentLoop.TurnResult r = turn("write a file");

        assertTrue(r.ok(), r.error());
        assertEquals("hello\nworld\n", Files.readString(work.resolve("notes/hello.txt")));
        Map<String, Object> change = items("item.completed", "file_change").get(0);
        assertEquals(List.of(Map.of("path", "notes/hello.txt", "kind", "add")), change.get("changes"));
        assertEquals("completed", change.get("status"));
    }

    @Test
    void toolErrorsGoBackToTheModelAndTheTurnContinues() {
        String badPatch = "*** Begin Patch\n*** Update File: missing.txt\n@@\n-old\n+new\n*** End Patch\n";
        model.thenCalls(
                        call("p1", "apply_patch", Map.of("input", badPatch)),
                        call("u1", "no_such_tool", Map.of()),
                        new ConversationItem.FunctionCall("j1", "exec_command", "{not json"))
                .thenText("I could not do it");
        AgentLoop.TurnResult r = turn("patch a missing file");

        assertTrue(r.ok(), r.error());
        assertEquals("failed", items("item.completed", "file_change").get(0).get("status"));
        assertTrue(model.outputFor("p1").startsWith("error: "), model.outputFor("p1"));
        assertTrue(model.outputFor("p1").contains("missing.txt"), model.outputFor("p1"));
        assertTrue(model.outputFor("u1").contains("unknown tool 'no_such_tool'"), model.outputFor("u1"));
        assertEquals("failed", items("item.completed", "mcp_tool_call").get(0).get("status"));
        assertTrue(model.outputFor("j1").contains("not valid"), model.outputFor("j1"));
        assertEquals(1, items("item.completed", "error").size());
        assertEquals("turn.completed", types().get(types().size() - 1));
    }

    @Test
    void runsTheCallsOfOneResponseInParallel() {
        // "waiter" only succeeds if "toucher" runs while it is still waiting.
        String waiter = "for i in $(seq 1 200); do [ -f flag ] && echo saw-flag && exit 0; sleep 0.05; done; exit 7";
        model.thenCalls(
                        call("a", "exec_command", Map.of("cmd", waiter, "yield_time_ms", 30000)),
                        call("b", "exec_command", Map.of("cmd", "touch flag")))
                .thenText("both ran");
        AgentLoop.TurnResult r = turn("race");

        assertTrue(r.ok(), r.error());
        List<Map<String, Object>> done = items("item.completed", "command_execution");
        Map<String, Object> waited = done.stream()
                .filter(i -> ((String) i.get("command")).startsWith("for"))
                .findFirst()
                .orElseThrow();
        assertEquals(0, waited.get("exit_code"), waited.toString());
        List<ConversationItem> input = model.requests.get(1).input();
        // outputs are given back in call order
        assertEquals(
                List.of("a", "b"),
                input.stream()
                        .filter(i -> i instanceof ConversationItem.FunctionCallOutput)
                        .map(i -> ((ConversationItem.FunctionCallOutput) i).callId())
                        .toList());
    }

    @Test
    void updatePlanIsOneTodoListItemForTheTurn() {
        model.thenCalls(call(
                        "p1",
                        "update_plan",
                        Map.of(
                                "plan",
                                List.of(
                                        Map.of("step", "look", "status", "in_progress"),
                                        Map.of("step", "fix", "status", "pending")))))
                .thenCalls(call(
                        "p2",
                        "update_plan",
                        Map.of(
                                "plan",
                                List.of(
                                        Map.of("step", "look", "status", "completed"),
                                        Map.of("step", "fix", "status", "completed")))))
                .thenText("planned");
        assertTrue(turn("plan it").ok());

        List<Map<String, Object>> started = items("item.started", "todo_list");
        List<Map<String, Object>> updated = items("item.updated", "todo_list");
        List<Map<String, Object>> completed = items("item.completed", "todo_list");
        assertEquals(1, started.size());
        assertEquals(1, updated.size());
        assertEquals(1, completed.size());
        assertEquals(started.get(0).get("id"), completed.get(0).get("id"));
        assertEquals(
                List.of(Map.of("text", "look", "completed", true), Map.of("text", "fix", "completed", true)),
                completed.get(0).get("items"));
    }

    @Test
    void aSavedThreadCanBeContinued() throws Exception {
        model.thenCalls(call("c1", "exec_command", Map.of("cmd", "echo remembered")))
                .thenText("first answer")
                .thenText("second answer");
        AgentLoop.TurnResult first = turn("first question");
        assertTrue(first.ok(), first.error());

        AgentThread resumed = store.load(first.threadId());
        assertEquals(work, resumed.cwd());
        AgentLoop.TurnResult second = turn(resumed, "second question");

        assertTrue(second.ok(), second.error());
        assertEquals(first.threadId(), second.threadId());
        List<ConversationItem> input = model.requests.get(2).input();
        assertEquals(new ConversationItem.UserMessage("first question"), input.get(0));
        assertTrue(input.contains(new ConversationItem.AssistantMessage("first answer")));
        assertEquals(new ConversationItem.UserMessage("second question"), input.get(input.size() - 1));
        assertTrue(model.outputFor("c1").contains("remembered"));
    }

    @Test
    void aModelFailureEndsTheTurnWithTurnFailed() {
        model.thenFail("model provider 'x' refused the request (HTTP 400): bad");
        AgentLoop.TurnResult r = turn("hi");
        assertFalse(r.ok());
        assertEquals(List.of("thread.started", "turn.started", "error", "turn.failed"), types());
        assertEquals(
                Map.of("message", "model provider 'x' refused the request (HTTP 400): bad"),
                events.get(3).get("error"));
    }

    @Test
    void interruptingTheTurnCancelsItsRunningCommand() throws Exception {
        // Found by its command line: inside the sandbox's PID namespace $$ is not the host's pid.
        String marker = "61.4242";
        model.thenCalls(call("s1", "exec_command", Map.of("cmd", "exec sleep " + marker, "yield_time_ms", 60000)));
        AtomicReference<AgentLoop.TurnResult> result = new AtomicReference<>();
        Thread runner = new Thread(() -> result.set(turn("sleep")));
        runner.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> sleepers(marker) > 0);
        runner.interrupt();
        runner.join(20_000);

        assertTrue(result.get().cancelled());
        assertEquals("turn.failed", types().get(types().size() - 1));
        hub.close();
        hub = null;
        await().atMost(Duration.ofSeconds(10)).until(() -> sleepers(marker) == 0);
        // the cut-off call is saved with a result, so the thread can be resumed
        AgentThread saved = store.load(result.get().threadId());
        assertTrue(
                saved.items()
                        .contains(new ConversationItem.FunctionCallOutput("s1", "the call was cancelled by the user")),
                saved.items().toString());
    }

    private static long sleepers(String marker) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().orElse("").endsWith("sleep " + marker))
                .count();
    }
}
