package dev.toolhost.host.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.host.model.ConversationItem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ThreadStoreTest {
    @TempDir
    Path dir;

    @Test
    void itemsRoundTripAndACallCutOffByACrashGetsAResult() throws Exception {
        ThreadStore store = new ThreadStore(dir.resolve("sessions"));
        AgentThread t = store.create(dir, "m");
        t.append(List.of(
                new ConversationItem.UserMessage("hi \"there\"\n"),
                new ConversationItem.FunctionCall("c1", "exec_command", "{\"cmd\":\"ls\"}")));
        Files.writeString(t.file(), "{\"type\":\"function_call_out", StandardOpenOption.APPEND); // torn last line

        AgentThread loaded = store.load(t.id());
        assertEquals(dir, loaded.cwd());
        assertEquals("m", loaded.model());
        assertEquals(
                List.of(
                        new ConversationItem.UserMessage("hi \"there\"\n"),
                        new ConversationItem.FunctionCall("c1", "exec_command", "{\"cmd\":\"ls\"}"),
                        new ConversationItem.FunctionCallOutput("c1", "the call was interrupted")),
                loaded.items());
    }

    @Test
    void transcriptsAreReadableByTheirOwnerOnlyEvenInADirectoryMadeBefore() throws Exception {
        Path sessions = Files.createDirectories(dir.resolve("sessions"));
        Files.setPosixFilePermissions(sessions, PosixFilePermissions.fromString("rwxr-xr-x"));
        AgentThread t = new ThreadStore(sessions).create(dir, "m");
        t.append(List.of(new ConversationItem.UserMessage("secret")));

        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(sessions)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(t.file())));
    }

    @Test
    void unknownAndInvalidIdsAreExplained() {
        ThreadStore store = new ThreadStore(dir);
        var missing = assertThrows(ThreadStore.ThreadNotFoundException.class, () -> store.load("abc-123"));
        assertEquals("thread abc-123 was not found in " + dir, missing.getMessage());
        var invalid = assertThrows(ThreadStore.ThreadNotFoundException.class, () -> store.load("../etc/passwd"));
        assertTrue(invalid.getMessage().startsWith("'../etc/passwd' is not a thread id"), invalid.getMessage());
    }

    @Test
    void latestIsTheMostRecentlyUpdatedThreadOfADirectoryOrOfAll() throws Exception {
        ThreadStore store = new ThreadStore(dir.resolve("sessions"));
        assertEquals(Optional.empty(), store.latest(dir));
        Path a = Files.createDirectories(dir.resolve("a"));
        Path b = Files.createDirectories(dir.resolve("b"));
        AgentThread older = store.create(a, "m");
        AgentThread newer = store.create(a, "m");
        AgentThread other = store.create(b, "m");
        FileTime t0 = FileTime.fromMillis(1_000_000);
        Files.setLastModifiedTime(newer.file(), t0);
        Files.setLastModifiedTime(other.file(), FileTime.fromMillis(2_000_000));
        Files.setLastModifiedTime(older.file(), FileTime.fromMillis(500_000));

        assertEquals(newer.id(), store.latest(a).orElseThrow());
        assertEquals(other.id(), store.latest(b).orElseThrow());
        assertEquals(other.id(), store.latest(null).orElseThrow());
        assertEquals(Optional.empty(), store.latest(dir.resolve("c")));
    }
}
