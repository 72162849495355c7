package dev.toolhost.builtin.exec;

import dev.toolhost.builtin.ToolError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Processes still running after their exec_command returned, continued with write_stdin. Ids are
 * unique across MCP sessions but a session only sees its own. The number of live sessions is capped.
 */
public final class ExecSessions {
    public static final int MAX_LIVE = 64;

    private final Map<Integer, ExecSession> live = new ConcurrentHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger(1);

    /** Fails with a clear error when {@link #MAX_LIVE} sessions are already running. */
    void checkCapacity() throws ToolError {
        if (live.size() >= MAX_LIVE) {
            // Make room from sessions that already exited but were never polled for their last output.
            live.values().removeIf(s -> s.process() != null && s.process().completion().isDone());
        }
        if (live.size() >= MAX_LIVE) {
            throw new ToolError("exec_command: " + MAX_LIVE + " sessions are already running (the limit);"
                    + " let some finish, or stop a tty session with write_stdin (Ctrl-C, \"\\u0003\"), before starting"
                    + " more");
        }
    }

    synchronized int register(ExecSession s) throws ToolError {
        checkCapacity();
        int id = nextId.getAndIncrement();
        s.setId(id);
        live.put(id, s);
        return id;
    }

    ExecSession get(int id, String ownerSessionId) throws ToolError {
        ExecSession s = live.get(id);
        if (s == null || !s.ownerSessionId().equals(ownerSessionId)) {
            throw new ToolError("write_stdin: no running session with ID " + id
                    + " (it exited and its final output was already returned, or it never existed)");
        }
        return s;
    }

    void remove(int id) {
        live.remove(id);
    }

    public int liveCount() {
        return live.size();
    }

    /** Kills every process owned by one MCP session (when that session ends). */
    public void closeOwnedBy(String ownerSessionId) {
        for (ExecSession s : new ArrayList<>(live.values())) {
            if (s.ownerSessionId().equals(ownerSessionId)) {
                live.remove(s.id());
                s.terminate();
            }
        }
    }

    /** Session ids that own live processes. */
    public List<String> owners() {
        return live.values().stream().map(ExecSession::ownerSessionId).distinct().toList();
    }

    public void closeAll() {
        for (ExecSession s : new ArrayList<>(live.values())) {
            live.remove(s.id());
            s.terminate();
        }
    }
}
