package dev.toolhost.it.hub;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.config.McpServerConfig;
import dev.toolhost.it.Peers;
import dev.toolhost.mcp.client.CallContext;
import dev.toolhost.mcp.client.McpHub;
import dev.toolhost.mcp.client.ToolHub;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 item 1: every process Toolhost starts ends with Toolhost or when Toolhost gives up on it, and a
 * failed start is not retried within the same command unless asked.
 */
class HubProcessLifetimeTest {
    @TempDir
    Path dir;

    /** Never answers initialize; records its pid, a child's pid and each start. */
    private String[] silent() {
        String script = "echo start >> \"$1\"; sleep 300 & echo $! > \"$2\"; echo $$ > \"$3\"; wait";
        return new String[] {
            "-c",
            script,
            "silent",
            dir.resolve("starts").toString(),
            dir.resolve("child.pid").toString(),
            dir.resolve("server.pid").toString()
        };
    }

    private McpServerConfig silentServer() {
        return Servers.stdio("silent", "sh", List.of(silent()))
                .withTimeouts(Duration.ofSeconds(1), McpServerConfig.DEFAULT_TOOL_TIMEOUT);
    }

    private long pid(String file) throws IOException {
        return Long.parseLong(Files.readString(dir.resolve(file)).trim());
    }

    /** Running: it exists and is not a zombie (an ended process its new parent, init, has not reaped yet). */
    private static boolean alive(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException gone) {
            return false;
        }
    }

    private int starts() throws IOException {
        return Files.readAllLines(dir.resolve("starts")).size();
    }

    @AfterEach
    void cleanUp() throws IOException {
        for (String f : List.of("child.pid", "server.pid")) {
            if (Files.exists(dir.resolve(f))) {
                ProcessHandle.of(pid(f)).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    @Test
    void aServerThatMissesItsStartupDeadlineIsEndedWithItsChildrenAtOnce() throws Exception {
        try (McpHub hub = McpHub.builder()
                .logDirectory(dir)
                .onWarning(w -> {})
                .server(silentServer())
                .build()) {
            assertEquals(ToolHub.ServerStatus.State.FAILED, hub.servers().get(0).state());
            // Given up on: ended before build() returns, not at some later graceful close.
            assertFalse(alive(pid("server.pid")), "the server process is gone");
            assertFalse(alive(pid("child.pid")), "its child is gone");
        }
    }

    @Test
    void aFailedStartIsNotRetriedByACallOnlyWhenAsked() throws Exception {
        try (McpHub hub = McpHub.builder()
                .logDirectory(dir)
                .onWarning(w -> {})
                .server(silentServer())
                .build()) {
            long t0 = System.nanoTime();
            CompletionException e = assertThrows(
                    CompletionException.class,
                    () -> hub.call("mcp__silent__anything", Map.of(), CallContext.none())
                            .join());
            String why = e.getCause().getMessage();
            assertTrue(why.contains("no answer to initialize within 1 s"), why);
            assertTrue(System.nanoTime() - t0 < TimeUnit.MILLISECONDS.toNanos(900), "answered without a new start");
            assertEquals(1, starts(), "started once");

            long first = pid("server.pid");
            assertThrows(CompletionException.class, () -> hub.restart("silent").join());
            assertEquals(2, starts(), "restart(name) asks for another start");
            assertNotEquals(first, pid("server.pid"));
            assertFalse(alive(pid("server.pid")));
        }
    }

    private Path config(String body) throws IOException {
        Path home = dir.resolve("home");
        Files.createDirectories(home);
        Files.writeString(home.resolve("config.toml"), body);
        return home;
    }

    private int toolhost(Path home, String... args) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Peers.toolhost(args));
        pb.environment().put("TOOLHOST_HOME", home.toString());
        pb.redirectOutput(dir.resolve("out.txt").toFile())
                .redirectError(dir.resolve("err.txt").toFile());
        Process p = pb.start();
        p.getOutputStream().close();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "toolhost " + String.join(" ", args) + " finished");
        return p.exitValue();
    }

    private String silentTable() {
        StringBuilder args = new StringBuilder();
        for (String a : silent()) {
            args.append(args.isEmpty() ? "" : ", ")
                    .append('"')
                    .append(a.replace("\\", "\\\\").replace("\"", "\\\""))
                    .append('"');
        }
        return "[mcp_servers.silent]\ncommand = \"sh\"\nargs = [" + args + "]\nstartup_timeout_sec = 1\n";
    }

    @Test
    void noServerOutlivesMcpList() throws Exception {
        Path home = config(silentTable());
        assertEquals(0, toolhost(home, "mcp", "list"));
        assertTrue(
                Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8).contains("failed"));
        assertFalse(alive(pid("server.pid")), "the server process is gone after mcp list exited");
        assertFalse(alive(pid("child.pid")), "its child is gone after mcp list exited");
    }

    @Test
    void callStartsAFailingServerOnce() throws Exception {
        Path home = config(silentTable());
        int code = toolhost(home, "call", "mcp__silent__anything", "{}");
        assertNotEquals(0, code);
        assertEquals(
                1,
                starts(),
                "one start, one wait for the startup timeout: " + Files.readString(dir.resolve("err.txt")));
        assertFalse(alive(pid("server.pid")));
    }

    @Test
    void serversEndWhenToolhostIsStoppedWhileServing() throws Exception {
        Path home = config("[mcp_servers.everything]\ncommand = \"sh\"\nargs = [\"-c\", \"echo $$ > '"
                + dir.resolve("server.pid") + "'; exec '" + Peers.bin("mcp-server-everything") + "'\"]\n");
        ProcessBuilder pb = new ProcessBuilder(Peers.toolhost("mcp-server"));
        pb.environment().put("TOOLHOST_HOME", home.toString());
        pb.redirectError(dir.resolve("err.txt").toFile());
        Process p = pb.start();
        try {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> Files.exists(dir.resolve("server.pid"))
                            && !Files.readString(dir.resolve("server.pid")).isBlank());
            long server = pid("server.pid");
            await().atMost(Duration.ofSeconds(30)).until(() -> alive(server));
            p.destroy(); // SIGTERM, as a supervisor would stop it
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            await().atMost(Duration.ofSeconds(5)).until(() -> !alive(server));
        } finally {
            p.destroyForcibly();
        }
    }
}
