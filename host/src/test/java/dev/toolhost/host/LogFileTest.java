package dev.toolhost.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The log file as the libraries reach it (SLF4J bound to java.util.logging): private, and free of ids that work
 * as credentials (trial 27a finding 3: a live legacy session id in a world-readable log let anyone join it).
 */
class LogFileTest {
    private static final String SDK_TRANSPORT = "io.modelcontextprotocol.spec.McpTransport";
    private static final String SDK_PROVIDER =
            "io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider";

    @TempDir
    Path home;

    private LogFile handler;

    private void attach(Path dir) {
        handler = new LogFile(dir.resolve("toolhost.log"));
        Logger.getLogger(SDK_TRANSPORT).addHandler(handler);
        Logger.getLogger(SDK_PROVIDER).addHandler(handler);
    }

    @AfterEach
    void detach() {
        Logger.getLogger(SDK_TRANSPORT).removeHandler(handler);
        Logger.getLogger(SDK_PROVIDER).removeHandler(handler);
        handler.close();
    }

    @Test
    void theLogIsPrivateAndNamesNoSessionEvenWhenTheSdkDoes() throws Exception {
        Path logs = home.resolve("logs");
        attach(logs);
        String session = UUID.randomUUID().toString();
        // What the SDK's streamable HTTP transport logs when a keep-alive ping finds the client gone (SEVERE).
        LoggerFactory.getLogger(SDK_TRANSPORT)
                .error("Failed to send message to session {}: {}", session, "Client disconnected");
        // Any other line that names a session (here with a replica route) is kept, without the id.
        LoggerFactory.getLogger(SDK_PROVIDER)
                .warn(
                        "Failed to complete async context for session {}: {}",
                        "a." + session,
                        "stream closed",
                        new IllegalStateException("session " + session + " is gone"));

        String log = Files.readString(logs.resolve("toolhost.log"), StandardCharsets.UTF_8);
        assertFalse(log.contains(session), log);
        assertFalse(log.contains("Failed to send message"), "a client that left is not an error: " + log);
        assertTrue(
                log.contains("WARNING " + SDK_PROVIDER + ": Failed to complete async context for session <id>:"
                        + " stream closed"),
                log);
        assertTrue(log.contains("IllegalStateException: session <id> is gone"), log);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(logs)));
        assertEquals(
                "rw-------",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(logs.resolve("toolhost.log"))));
    }

    @Test
    void aLogMadeBeforeItWasPrivateBecomesPrivateAtTheNextLine() throws Exception {
        Path logs = Files.createDirectories(home.resolve("logs"));
        Files.setPosixFilePermissions(logs, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path file = Files.writeString(logs.resolve("toolhost.log"), "an old line\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        attach(logs);

        LoggerFactory.getLogger(SDK_PROVIDER).warn("a new line");

        assertEquals("an old line\n", Files.readAllLines(file).get(0) + "\n");
        assertTrue(Files.readString(file).contains("a new line"));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(logs)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }
}
