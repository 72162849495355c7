package dev.toolhost.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
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

    @Test
    void aTokenShorterThanSixteenCharactersIsRefusedNamingTheFile() throws Exception {
        Path file = Files.writeString(home.resolve("short-token"), "fifteen-chars15\n");
        CliRun r = CliRun.run(home, "exec-server", "--listen", "ws://127.0.0.1:0", "--ws-token-file", file.toString());
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("--ws-token-file " + file + ": the token must be at least 16 characters"), r.err());
        assertFalse(r.err().contains("fifteen-chars15"), "the token is never printed: " + r.err());
    }
}
