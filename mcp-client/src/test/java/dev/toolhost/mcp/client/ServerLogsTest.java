package dev.toolhost.mcp.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerLogsTest {
    @TempDir
    Path dir;

    @Test
    void fileNameIsSafeForTheFileSystem() {
        assertEquals(dir.resolve("mcp-my_server_1.log"), ServerLogs.file(dir, "my/server 1"));
    }

    @Test
    void tailReturnsOnlyThisRunsLastLines() throws Exception {
        Path log = ServerLogs.file(dir, "s");
        long first = ServerLogs.begin(log, List.of("srv"));
        Files.writeString(log, "old 1\nold 2\n", StandardOpenOption.APPEND);
        long second = ServerLogs.begin(log, List.of("srv"));
        Files.writeString(log, "a\nb\nc\n", StandardOpenOption.APPEND);
        assertEquals(List.of("b", "c"), ServerLogs.tail(log, second, 2));
        assertTrue(ServerLogs.tail(log, first, 10).contains("old 2"));
        assertEquals(List.of(), ServerLogs.tail(dir.resolve("missing.log"), 0, 5));
    }

    @Test
    void bigLogIsRotatedOnStart() throws Exception {
        Path log = ServerLogs.file(dir, "chatty");
        Files.writeString(log, "x".repeat((int) ServerLogs.MAX_BYTES + 1), StandardCharsets.UTF_8);
        ServerLogs.begin(log, List.of("srv"));
        assertTrue(Files.size(log) < 1_000, "a fresh log after rotation");
        assertEquals(ServerLogs.MAX_BYTES + 1, Files.size(dir.resolve("mcp-chatty.log.1")));
    }
}
