package dev.toolhost.exec.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.config.ToolhostConfig;
import dev.toolhost.exec.ExecBackend;
import dev.toolhost.exec.ExecBackends;
import dev.toolhost.exec.ExecException;
import dev.toolhost.exec.ExecRequest;
import dev.toolhost.exec.ExitStatus;
import dev.toolhost.exec.local.LocalExecBackend;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Connecting: tokens, unreachable servers, choosing local vs remote from config, and stdio servers. */
class ExecClientConnectionTest {
    private static final Map<String, String> ENV = Map.of("PATH", "/usr/bin:/bin");

    @TempDir
    Path tmp;

    private ExecRequest echo(String text) {
        return new ExecRequest(List.of("echo", text), tmp, ENV, false, false, null);
    }

    private static ToolhostConfig config(String url, Path tokenFile) {
        return new ToolhostConfig(null, null, Map.of(), null, null, null, null, Map.of(), null, url, tokenFile);
    }

    @Test
    void aWrongTokenIsAClearErrorNamingTheUrl() throws Exception {
        try (TestExecServer server = TestExecServer.start("right-token")) {
            ExecException e = assertThrows(
                    ExecException.class,
                    () -> RemoteExecBackend.connect(server.uri(), "wrong-token", ClientOptions.defaults()));
            assertTrue(
                    e.getMessage().contains("HTTP 401")
                            && e.getMessage().contains(server.uri().toString()),
                    e.getMessage());
            ExecException none = assertThrows(
                    ExecException.class, () -> RemoteExecBackend.connect(server.uri(), null, ClientOptions.defaults()));
            assertTrue(none.getMessage().contains("HTTP 401"), none.getMessage());
        }
    }

    @Test
    void theTokenFromConfigOpensARemoteBackend() throws Exception {
        try (TestExecServer server = TestExecServer.start("s3cret")) {
            Path tokenFile = Files.writeString(tmp.resolve("token"), "s3cret\n");
            try (ExecBackend backend = ExecBackends.create(config(server.uri().toString(), tokenFile))) {
                RemoteExecBackend remote = assertInstanceOf(RemoteExecBackend.class, backend);
                Collector out = new Collector();
                ExitStatus status =
                        backend.start(echo("remote"), out).completion().get(10, TimeUnit.SECONDS);
                assertEquals(0, status.exitCode());
                assertEquals("remote\n", out.text());
                assertEquals(0, remote.readsIssued());
            }
        }
    }

    @Test
    void noExecServerUrlMeansLocalProcesses() throws Exception {
        try (ExecBackend backend = ExecBackends.create(config(null, null))) {
            assertInstanceOf(LocalExecBackend.class, backend);
        }
    }

    @Test
    void configErrorsNameTheFileOrUrl() throws Exception {
        Path missing = tmp.resolve("no-such-token");
        ExecException noFile =
                assertThrows(ExecException.class, () -> ExecBackends.create(config("ws://127.0.0.1:1", missing)));
        assertTrue(noFile.getMessage().contains(missing.toString()), noFile.getMessage());
        int freePort;
        try (ServerSocket s = new ServerSocket(0)) {
            freePort = s.getLocalPort();
        }
        String url = "ws://127.0.0.1:" + freePort;
        ExecException refused = assertThrows(ExecException.class, () -> ExecBackends.create(config(url, null)));
        assertTrue(
                refused.getMessage().contains(url) && refused.getMessage().contains("connection refused"),
                refused.getMessage());
        ExecException scheme = assertThrows(
                ExecException.class,
                () -> RemoteExecBackend.connect(URI.create("http://127.0.0.1:1"), null, ClientOptions.defaults()));
        assertTrue(scheme.getMessage().contains("ws://"), scheme.getMessage());

        ExecException secret = assertThrows(
                ExecException.class,
                () -> ExecBackends.create(
                        config("ws://u:pw-secret@127.0.0.1:" + freePort + "/x?token=tok-secret", null)));
        assertTrue(
                secret.getMessage().contains("ws://u:*****@127.0.0.1:" + freePort + "/x?token=*****"),
                "the URL is named without its secrets: " + secret.getMessage());
        assertFalse(secret.getMessage().contains("secret"), secret.getMessage());
    }

    @Test
    void aSpawnedStdioServerRunsProcessesFromPushedEvents() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(
                java,
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                StdioExecServerMain.class.getName());
        try (RemoteExecBackend backend = RemoteExecBackend.spawn(command, ClientOptions.defaults())) {
            for (int i = 0; i < 20; i++) {
                Collector out = new Collector();
                ExitStatus status = backend.start(
                                new ExecRequest(
                                        List.of("sh", "-c", "echo out" + i + "; echo err >&2; exit 5"),
                                        tmp,
                                        ENV,
                                        false,
                                        false,
                                        null),
                                out)
                        .completion()
                        .get(20, TimeUnit.SECONDS);
                assertEquals(5, status.exitCode());
                assertEquals("out" + i + "\n", out.stdout());
                assertEquals("err\n", out.stderr());
            }
            assertEquals(0, backend.readsIssued());
        }
    }

    @Test
    void aStdioServerThatCannotStartIsAClearError() {
        ExecException e = assertThrows(
                ExecException.class,
                () -> RemoteExecBackend.spawn(
                        List.of(tmp.resolve("no-such-server").toString()), ClientOptions.defaults()));
        assertTrue(e.getMessage().contains("no-such-server"), e.getMessage());
    }
}
