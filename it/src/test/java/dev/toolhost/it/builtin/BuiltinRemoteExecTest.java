package dev.toolhost.it.builtin;

import static dev.toolhost.it.builtin.BuiltinClient.structured;
import static dev.toolhost.it.builtin.BuiltinClient.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.it.Peers;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With exec_server_url set, every process of the built-in tools runs on that exec-server. */
class BuiltinRemoteExecTest {
    @TempDir
    static Path dir;

    static Process execServer;
    static BuiltinClient mcp;

    @BeforeAll
    static void start() throws Exception {
        execServer = new ProcessBuilder(Peers.toolhost("exec-server", "--listen", "ws://127.0.0.1:0"))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        BufferedReader out =
                new BufferedReader(new InputStreamReader(execServer.getInputStream(), StandardCharsets.UTF_8));
        String url = CompletableFuture.supplyAsync(() -> {
                    try {
                        return out.readLine();
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                })
                .get(30, TimeUnit.SECONDS);
        assertTrue(url != null && url.startsWith("ws://127.0.0.1:"), "exec-server printed " + url);
        mcp = BuiltinClient.start(
                dir, "-s", "danger-full-access", "-a", "never", "-c", "exec_server_url=\"" + url + "\"");
    }

    @AfterAll
    static void stop() throws Exception {
        if (mcp != null) {
            mcp.close();
        }
        if (execServer != null) {
            execServer.destroy();
            execServer.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void commandsRunOnTheExecServer() {
        McpSchema.CallToolResult r =
                mcp.call("exec_command", Map.of("cmd", "echo hi; tr '\\0' ' ' < /proc/$PPID/cmdline", "login", false));
        assertFalse(r.isError(), text(r));
        assertEquals(0, structured(r).get("exit_code"), text(r));
        String output = (String) structured(r).get("output");
        assertTrue(output.startsWith("hi\n"), output);
        assertTrue(
                output.contains("exec-server") && !output.contains("mcp-server"),
                "the shell's parent is the exec-server: " + output);
    }

    @Test
    void sessionsContinueWithWriteStdinRemotely() {
        McpSchema.CallToolResult first = mcp.call(
                "exec_command",
                Map.of("cmd", "read x; echo remote:$x", "login", false, "tty", true, "yield_time_ms", 300));
        assertTrue(text(first).startsWith("Process running with session ID"), text(first));
        long id = ((Number) structured(first).get("session_id")).longValue();
        McpSchema.CallToolResult done =
                mcp.call("write_stdin", Map.of("session_id", id, "chars", "42\n", "yield_time_ms", 10_000));
        assertEquals(0, structured(done).get("exit_code"), text(done));
        assertTrue(((String) structured(done).get("output")).endsWith("remote:42\r\n"), text(done));
    }
}
