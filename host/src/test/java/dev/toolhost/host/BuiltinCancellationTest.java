package dev.toolhost.host;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.config.ApprovalPolicy;
import dev.toolhost.config.ConfigLoader;
import dev.toolhost.config.ConfigRequest;
import dev.toolhost.config.LoadedConfig;
import dev.toolhost.config.SandboxMode;
import dev.toolhost.mcp.client.CallContext;
import dev.toolhost.mcp.client.ServerRequestHandler;
import dev.toolhost.mcp.client.ToolHub;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cancelling a hub call to a built-in tool reaches the in-process server and stops what the call started. */
class BuiltinCancellationTest {
    @TempDir
    Path work;

    @TempDir
    Path home;

    @Test
    void cancellingAnExecCommandCallStopsItsProcess() throws Exception {
        LoadedConfig loaded = ConfigLoader.load(new ConfigRequest(
                home.resolve("config.toml"),
                null,
                List.of(),
                SandboxMode.DANGER_FULL_ACCESS,
                ApprovalPolicy.NEVER,
                work,
                false));
        try (ToolHub hub = HubLauncher.launch(
                loaded,
                HubLauncher.Options.defaults()
                        .only(List.of(HubLauncher.BUILTIN))
                        .requestHandler(ServerRequestHandler.declining())
                        .progress(false))) {
            Path pidFile = work.resolve("pid");
            CompletableFuture<McpSchema.CallToolResult> call = hub.call(
                    "exec_command",
                    Map.of(
                            "cmd",
                            "echo $$ > pid.tmp && mv pid.tmp pid && exec sleep 60",
                            "login",
                            false,
                            "yield_time_ms",
                            60_000),
                    CallContext.none());
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(pidFile));
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the command runs");

            call.cancel(true);

            await().atMost(Duration.ofSeconds(20))
                    .until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
        }
    }
}
