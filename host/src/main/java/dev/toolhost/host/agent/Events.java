package dev.toolhost.host.agent;

import dev.toolhost.host.model.Usage;
import java.util.LinkedHashMap;
import java.util.Map;

/** The JSONL events of {@code exec --json} (and of the {@code agent} MCP tool), as JSON-ready maps. */
public final class Events {
    private Events() {
    }

    public static Map<String, Object> threadStarted(String threadId) {
        return event("thread.started", "thread_id", threadId);
    }

    public static Map<String, Object> turnStarted() {
        return event("turn.started", null, null);
    }

    public static Map<String, Object> itemStarted(Map<String, Object> item) {
        return event("item.started", "item", copy(item));
    }

    public static Map<String, Object> itemUpdated(Map<String, Object> item) {
        return event("item.updated", "item", copy(item));
    }

    public static Map<String, Object> itemCompleted(Map<String, Object> item) {
        return event("item.completed", "item", copy(item));
    }

    public static Map<String, Object> turnCompleted(Usage usage) {
        Map<String, Object> u = new LinkedHashMap<>();
        u.put("input_tokens", usage.inputTokens());
        u.put("cached_input_tokens", usage.cachedInputTokens());
        u.put("output_tokens", usage.outputTokens());
        return event("turn.completed", "usage", u);
    }

    public static Map<String, Object> turnFailed(String message) {
        return event("turn.failed", "error", Map.of("message", message));
    }

    public static Map<String, Object> error(String message) {
        return event("error", "message", message);
    }

    /** One line of {@code --json} output. */
    public static String toJsonLine(Map<String, Object> event) {
        return AgentJson.write(event);
    }

    /** A fresh item map: {@code id} and {@code type} first, as in Codex's output. */
    static Map<String, Object> item(String id, String type) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("id", id);
        item.put("type", type);
        return item;
    }

    private static Map<String, Object> event(String type, String key, Object value) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("type", type);
        if (key != null) {
            e.put(key, value);
        }
        return e;
    }

    // Items keep changing while a call runs; each event carries a snapshot.
    private static Map<String, Object> copy(Map<String, Object> item) {
        return new LinkedHashMap<>(item);
    }
}
