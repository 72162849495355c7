package dev.toolhost.host.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.host.model.ConversationItem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ThreadStoreTest {
    @TempDir
    Path dir;

    @Test
    void itemsRoundTripAndACallCutOffByACrashGetsAResult() throws Exception {
        ThreadStore store = new ThreadStore(dir.resolve("sessions"));
        AgentThread t = store.create(dir, "m");
        t.append(List.of(new ConversationItem.UserMessage("hi \"there\"\n"),
                new ConversationItem.FunctionCall("c1", "exec_command", "{\"cmd\":\"ls\"}")));
        Files.writeString(t.file(), "{\"type\":\"function_call_out", StandardOpenOption.APPEND); // torn last line

        AgentThread loaded = store.load(t.id());
        assertEquals(dir, loaded.cwd());
        assertEquals("m", loaded.model());
        assertEquals(List.of(new ConversationItem.UserMessage("hi \"there\"\n"),
                new ConversationItem.FunctionCall("c1", "exec_command", "{\"cmd\":\"ls\"}"),
                new ConversationItem.FunctionCallOutput("c1", "the call was interrupted")), loaded.items());
    }

    @Test
    void unknownAndInvalidIdsAreExplained() {
        ThreadStore store = new ThreadStore(dir);
        var missing = assertThrows(ThreadStore.ThreadNotFoundException.class, () -> store.load("abc-123"));
        assertEquals("thread abc-123 was not found in " + dir, missing.getMessage());
        var invalid = assertThrows(ThreadStore.ThreadNotFoundException.class, () -> store.load("../etc/passwd"));
        assertTrue(invalid.getMessage().startsWith("'../etc/passwd' is not a thread id"), invalid.getMessage());
    }
}
