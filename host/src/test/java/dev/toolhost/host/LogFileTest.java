package dev.toolhost.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
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
    private static final String SDK_KEEP_ALIVE = "io.modelcontextprotocol.util.KeepAliveScheduler";
    private static final String SDK_PROVIDER =
            "io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider";

    @TempDir
    Path home;

    private LogFile handler;

    private void attach(Path dir) {
        handler = new LogFile(dir.resolve("toolhost.log"));
        for (String logger : List.of(SDK_TRANSPORT, SDK_KEEP_ALIVE, SDK_PROVIDER)) {
            Logger.getLogger(logger).addHandler(handler);
        }
    }

    @AfterEach
    void detach() {
        for (String logger : List.of(SDK_TRANSPORT, SDK_KEEP_ALIVE, SDK_PROVIDER)) {
            Logger.getLogger(logger).removeHandler(handler);
        }
        handler.close();
    }

    @Test
    void theLogIsPrivateAndNamesNoSessionEvenWhenTheSdkDoes() throws Exception {
        Path logs = home.resolve("logs");
        attach(logs);
        String session = UUID.randomUUID().toString();
        // What the SDK logs when a legacy client left without DELETE (seen with a real server, trial 27a): the
        // transport's SEVERE line naming the session, and the keep-alive's for the pings that went unanswered.
        LoggerFactory.getLogger(SDK_TRANSPORT)
                .error("Failed to send message to session {}: {}", session, "Client disconnected");
        // The session as the SDK prints it (its class has no toString).
        String serverSession = "io.modelcontextprotocol.spec.McpStreamableServerSession@217840fa";
        LoggerFactory.getLogger(SDK_KEEP_ALIVE)
                .warn(
                        "Keep-alive ping to session {} failed: {}",
                        serverSession,
                        "Failed to send message to session " + session);
        // A client's answer to a request nobody waits for any more (a late elicitation answer): accepted, not an error.
        LoggerFactory.getLogger("io.modelcontextprotocol.spec.McpStreamableServerSession")
                .error("Unexpected response for unknown id {}", session + "-0");
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
        assertFalse(log.contains("Keep-alive ping"), "a client that left is not an error: " + log);
        assertFalse(log.contains("Unexpected response"), "a late answer is not an error: " + log);
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
