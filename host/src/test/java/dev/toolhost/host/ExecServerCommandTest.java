package dev.toolhost.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExecServerCommandTest {
    @TempDir
    Path home;

    @ParameterizedTest
    @ValueSource(strings = {"ws://127.0.0.1:99999", "ws://127.0.0.1:65536", "ws://[::1]:100000"})
    void aPortOutOfRangeIsAUsageErrorNamingListen(String listen) {
        CliRun r = CliRun.run(home, "exec-server", "--listen", listen);
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(
                r.err().contains("--listen '" + listen + "': port ")
                        && r.err().contains("expected 1-65535, or 0 for any free port"),
                r.err());
    }
}
