package dev.toolhost.it.builtin;

import static dev.toolhost.it.builtin.BuiltinClient.text;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exec sessions do not outlive the MCP session that started them. */
class BuiltinSessionsStdioTest {
    @TempDir
    Path dir;

    private static boolean running(String marker) {
        return ProcessHandle.allProcesses()
                .anyMatch(
                        p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false));
    }

    @Test
    void endingTheMcpSessionKillsItsRunningCommands() {
        String marker = "sleep 300.0" + ProcessHandle.current().pid();
        BuiltinClient mcp = BuiltinClient.start(dir, "-s", "workspace-write", "-a", "never");
        try {
            McpSchema.CallToolResult r =
                    mcp.call("exec_command", Map.of("cmd", "exec " + marker, "login", false, "yield_time_ms", 0));
            assertTrue(text(r).startsWith("Process running with session ID"), text(r));
            await().atMost(Duration.ofSeconds(10)).until(() -> running(marker));
        } finally {
            mcp.close();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> !running(marker));
    }
}
