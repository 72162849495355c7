package dev.toolhost.builtin;

import dev.toolhost.builtin.exec.CommandSessions;
import dev.toolhost.builtin.exec.ExecCommandTool;
import dev.toolhost.builtin.exec.ExecRunner;
import dev.toolhost.builtin.exec.WriteStdinTool;
import dev.toolhost.builtin.files.GrepFilesTool;
import dev.toolhost.builtin.files.ListDirTool;
import dev.toolhost.builtin.files.ReadFileTool;
import dev.toolhost.builtin.files.UpdatePlanTool;
import dev.toolhost.builtin.files.ViewImageTool;
import dev.toolhost.builtin.patch.ApplyPatchTool;
import dev.toolhost.builtin.policy.ApprovalPending;
import dev.toolhost.builtin.policy.RoundApprover;
import dev.toolhost.builtin.policy.WritableRoots;
import dev.toolhost.config.ToolhostConfig;
import dev.toolhost.exec.ChildEnvironment;
import dev.toolhost.exec.ExecBackend;
import dev.toolhost.mcp.core.ArgumentValidator;
import dev.toolhost.mcp.core.Caller;
import dev.toolhost.mcp.core.McpRequest;
import dev.toolhost.mcp.core.Outcome;
import dev.toolhost.mcp.core.RequestMeta;
import dev.toolhost.mcp.core.RequestSink;
import dev.toolhost.mcp.core.RequestStates;
import dev.toolhost.mcp.core.ToolProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The built-in tools (exec_command, write_stdin, apply_patch, read_file, list_dir, grep_files,
 * update_plan, view_image) under the request model: served in-process by the hub in every mode, with
 * per-caller state keyed on the real caller. An approval is never waited for: the call ends as
 * input-required (an {@code elicitation/create} form) and continues when the retry carries the answer,
 * with the decisions so far sealed in {@code requestState}.
 */
public final class BuiltinTools implements ToolProvider, AutoCloseable {
    private static final String DECIDED = "decided";
    private static final String PENDING = "pending";
    private static final String KEPT = "kept";

    private final Map<String, BuiltinTool> byName = new LinkedHashMap<>();
    private final List<McpSchema.Tool> definitions;
    /** Each tool's published inputSchema, which every call's arguments must fit. */
    private final Map<String, Map<String, Object>> inputSchemas = new HashMap<>();

    private final CommandSessions commandSessions = new CommandSessions();
    private final CallerStates states = new CallerStates(commandSessions);
    private final RequestStates requestStates;
    /** Tool calls block (a command runs, a file is read): each runs on its own thread, interrupted on cancel. */
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "toolhost-tool");
        t.setDaemon(true);
        return t;
    });

    private BuiltinTools(ToolhostConfig config, ExecBackend exec, RequestStates requestStates) {
        this.requestStates = requestStates;
        WritableRoots roots = WritableRoots.from(config);
        ExecRunner runner =
                new ExecRunner(exec, commandSessions, ChildEnvironment.build(config.shellEnvironmentPolicy()));
        for (BuiltinTool t : List.of(
                new ExecCommandTool(config, roots, runner),
                new WriteStdinTool(runner),
                new ApplyPatchTool(config, roots),
                new ReadFileTool(config.cwd()),
                new ListDirTool(config.cwd()),
                new GrepFilesTool(config.cwd()),
                new UpdatePlanTool(),
                new ViewImageTool(config.cwd()))) {
            byName.put(t.tool().name(), t);
        }
        // Built once: a tool's definition (with its JSON schemas) is costly to build on every call.
        this.definitions = byName.values().stream().map(BuiltinTool::tool).toList();
        definitions.forEach(t -> inputSchemas.put(t.name(), t.inputSchema()));
    }

    /**
     * The tools for this config, running processes through {@code exec}.
     *
     * @param requestStates seals the state of calls waiting for an approval
     */
    public static BuiltinTools create(ToolhostConfig config, ExecBackend exec, RequestStates requestStates) {
        return new BuiltinTools(config, exec, requestStates);
    }

    public McpSchema.Implementation serverInfo() {
        return new McpSchema.Implementation("toolhost-builtin", "0.1.0");
    }

    @Override
    public List<McpSchema.Tool> tools() {
        return definitions;
    }

    @Override
    public CompletableFuture<Outcome<McpSchema.CallToolResult>> call(McpRequest request, RequestSink sink) {
        BuiltinTool tool = byName.get(request.name());
        if (tool == null) {
            return CompletableFuture.failedFuture(
                    new IllegalArgumentException("unknown tool '" + request.name() + "'"));
        }
        // Checked here, whoever calls (MCP, the hub, toolhost call): a field the schema does not have (cwd for
        // workdir) or a value of the wrong type must not run anything with a default in its place.
        List<String> problems =
                ArgumentValidator.validateArguments(inputSchemas.get(request.name()), request.arguments());
        if (!problems.isEmpty()) {
            return CompletableFuture.completedFuture(
                    Outcome.complete(ToolResults.error(ArgumentValidator.describe(request.name(), problems))));
        }
        CompletableFuture<Outcome<McpSchema.CallToolResult>> result = new CompletableFuture<>();
        Future<?> running = threads.submit(() -> result.complete(run(tool, request)));
        // Cancelling the call interrupts the tool's thread (a command it started is stopped by the tool).
        result.whenComplete((r, e) -> {
            if (result.isCancelled()) {
                running.cancel(true);
            }
        });
        return result;
    }

    private Outcome<McpSchema.CallToolResult> run(BuiltinTool tool, McpRequest request) {
        String name = request.name();
        RequestMeta meta = request.meta() == null ? RequestMeta.local() : request.meta();
        RoundApprover approver;
        try {
            approver = approver(request, meta);
        } catch (RequestStates.InvalidRequestStateException e) {
            return Outcome.complete(ToolResults.error(name + ": " + e.getMessage()));
        }
        try {
            SessionState session = states.of(meta.caller());
            return Outcome.complete(tool.call(new ToolCall(new Args(name, request.arguments()), session, approver)));
        } catch (ApprovalPending pending) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put(DECIDED, approver.decided());
            data.put(PENDING, pending.subject());
            data.put(KEPT, approver.kept());
            return new Outcome.InputRequired<>(
                    Map.of(RoundApprover.INPUT_KEY, pending.request()), requestStates.seal(request, data));
        } catch (ToolError e) {
            return Outcome.complete(ToolResults.error(e.getMessage()));
        } catch (RuntimeException e) {
            // A bug or an unexpected I/O state must not take down the server or the session: report it.
            return Outcome.complete(ToolResults.error(
                    name + " failed unexpectedly: " + (e.getMessage() == null ? e.toString() : e.getMessage())));
        }
    }

    /** The approver of this round: decisions of earlier rounds from the sealed state, the new answer from the retry. */
    @SuppressWarnings("unchecked")
    private RoundApprover approver(McpRequest request, RequestMeta meta)
            throws RequestStates.InvalidRequestStateException {
        if (request.requestState() == null) {
            return new RoundApprover(meta, Map.of(), null, null, Map.of());
        }
        Map<String, Object> data = requestStates.open(request);
        Map<String, String> decided = data.get(DECIDED) instanceof Map<?, ?> m ? (Map<String, String>) m : Map.of();
        String pending = data.get(PENDING) instanceof String s ? s : null;
        Map<String, Object> kept = data.get(KEPT) instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        return new RoundApprover(
                meta, decided, pending, request.inputResponses().get(RoundApprover.INPUT_KEY), kept);
    }

    /** Stops the caller's processes and drops its state. */
    @Override
    public void callerEnded(Caller caller) {
        states.ended(caller);
    }

    /** Number of exec sessions still running (for tests and status output). */
    public int liveCommandSessions() {
        return commandSessions.liveCount();
    }

    /** Ends every live exec session. */
    @Override
    public void close() {
        threads.shutdownNow();
        commandSessions.closeAll();
    }
}
