package dev.toolhost.it.builtin;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.it.Peers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code toolhost call exec_command} ended by a signal ends its command too, sandbox or not. */
class CallSignalTest {

    private static long running(String marker) {
        return ProcessHandle.allProcesses()
                .filter(h -> h.info().commandLine().orElse("").endsWith("sleep " + marker))
                .count();
    }

    @ParameterizedTest
    @ValueSource(strings = {"TERM", "HUP", "INT"})
    void aSignalToCallEndsTheUnsandboxedCommand(String signal, @TempDir Path home) throws Exception {
        String marker = "71." + signal.length() + "42" + ProcessHandle.current().pid();
        ProcessBuilder pb = new ProcessBuilder(Peers.toolhost(
                        "-s",
                        "danger-full-access",
                        "-a",
                        "never",
                        "-C",
                        home.toString(),
                        "call",
                        "exec_command",
                        "{\"cmd\":\"exec sleep " + marker + "\",\"login\":false}"))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("TOOLHOST_HOME", home.toString());
        Process call = pb.start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> running(marker) == 1);
            new ProcessBuilder("kill", "-" + signal, Long.toString(call.pid()))
                    .start()
                    .waitFor();
            assertTrue(call.waitFor(30, TimeUnit.SECONDS), "call ends on SIG" + signal);
            await().atMost(Duration.ofSeconds(15)).until(() -> running(marker) == 0);
        } finally {
            call.destroyForcibly();
            ProcessHandle.allProcesses()
                    .filter(h -> h.info().commandLine().orElse("").endsWith("sleep " + marker))
                    .forEach(ProcessHandle::destroyForcibly);
        }
    }
}
