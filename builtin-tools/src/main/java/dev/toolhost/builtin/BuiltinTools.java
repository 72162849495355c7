package dev.toolhost.builtin;

import dev.toolhost.builtin.exec.ExecCommandTool;
import dev.toolhost.builtin.exec.ExecRunner;
import dev.toolhost.builtin.exec.ExecSessions;
import dev.toolhost.builtin.exec.WriteStdinTool;
import dev.toolhost.builtin.files.GrepFilesTool;
import dev.toolhost.builtin.files.ListDirTool;
import dev.toolhost.builtin.files.ReadFileTool;
import dev.toolhost.builtin.files.UpdatePlanTool;
import dev.toolhost.builtin.files.ViewImageTool;
import dev.toolhost.builtin.patch.ApplyPatchTool;
import dev.toolhost.builtin.policy.ElicitationApprover;
import dev.toolhost.builtin.policy.WritableRoots;
import dev.toolhost.config.ToolhostConfig;
import dev.toolhost.exec.ChildEnvironment;
import dev.toolhost.exec.ExecBackend;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The built-in tools (exec_command, write_stdin, apply_patch, read_file, list_dir, grep_files,
 * update_plan, view_image) as SDK tool specifications, ready to be served on any MCP transport:
 * {@code McpServer.sync(transport).serverInfo(tools.serverInfo()).capabilities(..).tools(tools.specifications())}.
 * Approvals are asked of the connected client with {@code elicitation/create}.
 */
public final class BuiltinTools implements AutoCloseable {
    /**
     * The request timeout to give the MCP server serving these tools ({@code .requestTimeout(..)}): an
     * approval is an {@code elicitation/create} request that a person answers, and the SDK's default
     * (10 s) would turn a slow answer into a denial.
     */
    public static final java.time.Duration REQUEST_TIMEOUT = java.time.Duration.ofMinutes(10);

    /** How long a session may be quiet before it is pinged to learn whether it still exists. */
    static final long IDLE_BEFORE_PING_SECONDS = 120;

    private final List<BuiltinTool> tools;
    private final ExecSessions execSessions = new ExecSessions();
    private final SessionRegistry registry = new SessionRegistry(execSessions);
    private final ScheduledExecutorService sweeper;

    private BuiltinTools(ToolhostConfig config, ExecBackend exec) {
        WritableRoots roots = WritableRoots.from(config);
        ExecRunner runner = new ExecRunner(exec, execSessions, ChildEnvironment.build(config.shellEnvironmentPolicy()));
        this.tools = List.of(
                new ExecCommandTool(config, roots, runner),
                new WriteStdinTool(runner),
                new ApplyPatchTool(config, roots),
                new ReadFileTool(config.cwd()),
                new ListDirTool(config.cwd()),
                new GrepFilesTool(config.cwd()),
                new UpdatePlanTool(),
                new ViewImageTool(config.cwd()));
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "builtin-tools-session-sweeper");
            t.setDaemon(true);
            return t;
        });
        sweeper.scheduleWithFixedDelay(() -> registry.sweep(TimeUnit.SECONDS.toNanos(IDLE_BEFORE_PING_SECONDS)),
                60, 60, TimeUnit.SECONDS);
    }

    /** The tools for this config, running processes through {@code exec}. */
    public static BuiltinTools create(ToolhostConfig config, ExecBackend exec) {
        return new BuiltinTools(config, exec);
    }

    public McpSchema.Implementation serverInfo() {
        return new McpSchema.Implementation("toolhost-builtin", "0.1.0");
    }

    public List<McpServerFeatures.SyncToolSpecification> specifications() {
        return tools.stream().map(t -> {
            // Built once: a tool's definition (with its JSON schemas) is costly to build on every call.
            McpSchema.Tool definition = t.tool();
            return McpServerFeatures.SyncToolSpecification.builder()
                    .tool(definition)
                    .callHandler((exchange, request) -> call(t, definition.name(), exchange, request))
                    .build();
        }).toList();
    }

    private McpSchema.CallToolResult call(BuiltinTool tool, String name, McpSyncServerExchange exchange,
            McpSchema.CallToolRequest request) {
        try {
            SessionState session = registry.touch(exchange);
            return tool.call(new ToolCall(new Args(name, request.arguments()), session, new ElicitationApprover(exchange)));
        } catch (ToolError e) {
            return ToolResults.error(e.getMessage());
        } catch (RuntimeException e) {
            // A bug or an unexpected I/O state must not take down the server or the session: report it.
            return ToolResults.error(name + " failed unexpectedly: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
        }
    }

    /** Number of exec sessions still running (for tests and status output). */
    public int liveExecSessions() {
        return execSessions.liveCount();
    }

    /** Ends every live exec session. */
    @Override
    public void close() {
        sweeper.shutdownNow();
        execSessions.closeAll();
    }
}
