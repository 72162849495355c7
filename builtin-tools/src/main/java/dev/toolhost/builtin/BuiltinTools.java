package dev.toolhost.builtin;

import dev.toolhost.config.ToolhostConfig;
import dev.toolhost.exec.ExecBackend;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;

/**
 * The built-in tools (exec_command, write_stdin, apply_patch, read_file, list_dir, grep_files,
 * update_plan, view_image) as SDK tool specifications, ready to be served on any MCP transport:
 * {@code McpServer.sync(transport).serverInfo(tools.serverInfo()).capabilities(..).tools(tools.specifications())}.
 */
public final class BuiltinTools implements AutoCloseable {
    private final ToolhostConfig config;
    private final ExecBackend exec;

    private BuiltinTools(ToolhostConfig config, ExecBackend exec) {
        this.config = config;
        this.exec = exec;
    }

    /** The tools for this config, running processes through {@code exec}. */
    public static BuiltinTools create(ToolhostConfig config, ExecBackend exec) {
        return new BuiltinTools(config, exec);
    }

    public McpSchema.Implementation serverInfo() {
        return new McpSchema.Implementation("toolhost-builtin", "0.1.0");
    }

    // PLACEHOLDER: the builtin-tools issue fills this in.
    public List<McpServerFeatures.SyncToolSpecification> specifications() {
        return List.of();
    }

    /** Ends every live exec session. */
    @Override
    public void close() {
    }
}
