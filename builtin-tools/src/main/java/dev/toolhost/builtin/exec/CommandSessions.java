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
 * caller's id is refused exactly like an unknown one. Each caller ({@code Caller.key()}) may hold at most
 * {@link #MAX_PER_CALLER} sessions, so that one caller filling its share never refuses another; all callers
 * together at most {@link #MAX_TOTAL}, for the machine's sake (processes, terminals, output buffers).
 */
public final class CommandSessions {
    public static final int MAX_PER_CALLER = 64;
    public static final int MAX_TOTAL = 1024;

    private final Map<Long, CommandSession> live = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final int maxPerCaller;
    private final int maxTotal;

    public CommandSessions() {
        this(MAX_PER_CALLER, MAX_TOTAL);
    }

    /** With other limits (tests use small ones). */
    CommandSessions(int maxPerCaller, int maxTotal) {
        this.maxPerCaller = maxPerCaller;
        this.maxTotal = maxTotal;
    }

    /**
     * Fails with a clear error when {@code owner} already holds its limit of sessions, or when all callers
     * together hold theirs.
     */
    synchronized void checkCapacity(String owner) throws ToolError {
        if (owned(owner) >= maxPerCaller || live.size() >= maxTotal) {
            // Make room from this caller's sessions that already exited but were never polled for their last
            // output (another caller's are its own to read).
            live.values()
                    .removeIf(s -> s.ownerSessionId().equals(owner)
                            && s.process() != null
                            && s.process().completion().isDone());
        }
        int owned = owned(owner);
        if (owned >= maxPerCaller) {
            throw new ToolError("exec_command: this caller already has " + maxPerCaller + " sessions running (the"
                    + " limit per caller: per MCP session, or per bearer token); let some finish, or stop one started"
                    + " with tty true by writing Ctrl-C (\"\\u0003\") with write_stdin, before starting more (one"
                    + " started without a tty runs until it exits, or until the caller's MCP session ends)");
        }
        if (live.size() >= maxTotal) {
            throw new ToolError("exec_command: Toolhost already holds " + maxTotal + " process sessions for all its"
                    + " callers together (its limit for this machine; " + owned + " of them are this caller's); try"
                    + " again when some have finished");
        }
    }

    private int owned(String owner) {
        return (int) live.values().stream()
                .filter(s -> s.ownerSessionId().equals(owner))
                .count();
    }

    synchronized long register(CommandSession s) throws ToolError {
        checkCapacity(s.ownerSessionId());
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
