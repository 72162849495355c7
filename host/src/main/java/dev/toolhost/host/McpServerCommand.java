package dev.toolhost.host;

import dev.toolhost.builtin.BuiltinTools;
import dev.toolhost.config.LoadedConfig;
import dev.toolhost.exec.ExecBackend;
import dev.toolhost.exec.ExecException;
import dev.toolhost.mcp.server.LosslessStdioServerTransportProvider;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "mcp-server", mixinStandardHelpOptions = true,
        description = "Serve Toolhost as an MCP server (stdio or streamable HTTP).")
final class McpServerCommand implements Callable<Integer> {

    @Mixin
    GlobalOptions global;

    @Option(names = "--only", split = ",", paramLabel = "SERVER",
            description = "Serve only these servers' tools ('builtin' for the built-in tools). Comma-separated.")
    List<String> only;

    @Override
    public Integer call() {
        LoadedConfig loaded = global.load();
        // stdout carries the protocol: anything else printed by accident goes to stderr instead.
        FileOutputStream protocolOut = new FileOutputStream(FileDescriptor.out);
        System.setOut(System.err);
        McpJsonMapper json = McpJsonDefaults.getMapper();
        var transport = new LosslessStdioServerTransportProvider(json, new FileInputStream(FileDescriptor.in),
                protocolOut);
        try (BuiltinTools tools = BuiltinTools.create(loaded.config(), execBackend())) {
            McpSyncServer server = McpServer.sync(transport)
                    .jsonMapper(json)
                    .serverInfo(tools.serverInfo())
                    .capabilities(McpSchema.ServerCapabilities.builder().tools(true).logging().build())
                    .tools(tools.specifications())
                    .build();
            transport.terminated().join();
            server.close();
        }
        return Cli.OK;
    }

    // PLACEHOLDER until exec's local backend lands.
    private static ExecBackend execBackend() {
        return new ExecBackend() {
            @Override
            public dev.toolhost.exec.ExecProcess start(dev.toolhost.exec.ExecRequest request,
                    dev.toolhost.exec.OutputListener listener) throws ExecException {
                throw new ExecException("local process execution is not available in this build yet");
            }

            @Override
            public void close() {
            }
        };
    }
}
