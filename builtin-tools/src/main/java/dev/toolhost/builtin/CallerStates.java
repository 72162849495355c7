package dev.toolhost.builtin;

import dev.toolhost.builtin.exec.CommandSessions;
import dev.toolhost.mcp.core.Caller;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the built-in tools remember, per caller ({@link Caller#key()}). A stateless (2026-07-28) caller
 * gets a fresh state on every request: nothing it does is remembered, and nothing another caller did
 * is visible to it.
 */
final class CallerStates {
    private final Map<String, SessionState> states = new ConcurrentHashMap<>();
    private final CommandSessions commandSessions;

    CallerStates(CommandSessions commandSessions) {
        this.commandSessions = commandSessions;
    }

    SessionState of(Caller caller) {
        if (!caller.stateful()) {
            return new SessionState(caller.key());
        }
        return states.computeIfAbsent(caller.key(), SessionState::new);
    }

    /** The caller is gone (its MCP session ended): its processes are stopped and its state dropped. */
    void ended(Caller caller) {
        states.remove(caller.key());
        commandSessions.closeOwnedBy(caller.key());
    }
}
