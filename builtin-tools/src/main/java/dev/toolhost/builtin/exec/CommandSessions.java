package dev.toolhost.builtin.exec;

import dev.toolhost.builtin.ToolError;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Processes still running after their exec_command returned, continued with write_stdin. Ids are random
 * (52 bits, so a JSON number keeps them exact) and unguessable, and a caller only sees its own: another
 * caller's id is refused exactly like an unknown one. The number of live sessions is capped.
 */
public final class CommandSessions {
    public static final int MAX_LIVE = 64;

    private final Map<Long, CommandSession> live = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    /** Fails with a clear error when {@link #MAX_LIVE} sessions are already running. */
    void checkCapacity() throws ToolError {
        if (live.size() >= MAX_LIVE) {
            // Make room from sessions that already exited but were never polled for their last output.
            live.values()
                    .removeIf(
                            s -> s.process() != null && s.process().completion().isDone());
        }
        if (live.size() >= MAX_LIVE) {
            throw new ToolError("exec_command: " + MAX_LIVE + " sessions are already running (the limit);"
                    + " let some finish, or stop a tty session with write_stdin (Ctrl-C, \"\\u0003\"), before starting"
                    + " more");
        }
    }

    synchronized long register(CommandSession s) throws ToolError {
        checkCapacity();
        long id;
        do {
            id = 1 + (random.nextLong() >>> 12); // below 2^52
        } while (live.containsKey(id));
        s.setId(id);
        live.put(id, s);
        return id;
    }

    CommandSession get(long id, String ownerSessionId) throws ToolError {
        CommandSession s = live.get(id);
        if (s == null || !s.ownerSessionId().equals(ownerSessionId)) {
            throw new ToolError("write_stdin: no running session with ID " + id
                    + " (it exited and its final output was already returned, it never existed, or it runs on another"
                    + " Toolhost replica: process sessions live on the replica that started them)");
        }
        return s;
    }

    void remove(long id) {
        live.remove(id);
    }

    public int liveCount() {
        return live.size();
    }

    /** Kills every process owned by one MCP session (when that session ends). */
    public void closeOwnedBy(String ownerSessionId) {
        for (CommandSession s : new ArrayList<>(live.values())) {
            if (s.ownerSessionId().equals(ownerSessionId)) {
                live.remove(s.id());
                s.terminate();
            }
        }
    }

    /** Session ids that own live processes. */
    public List<String> owners() {
        return live.values().stream()
                .map(CommandSession::ownerSessionId)
                .distinct()
                .toList();
    }

    public void closeAll() {
        for (CommandSession s : new ArrayList<>(live.values())) {
            live.remove(s.id());
            s.terminate();
        }
    }
}
