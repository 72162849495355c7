package dev.toolhost.host.agent;

import dev.toolhost.host.model.ConversationItem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One conversation: its id, its items so far, and the JSONL file every new item is appended to. */
public final class AgentThread {
    private final String id;
    private final Path file;
    private final Path cwd;
    private final String model;
    private final List<ConversationItem> items;

    AgentThread(String id, Path file, Path cwd, String model, List<ConversationItem> items) {
        this.id = id;
        this.file = file;
        this.cwd = cwd;
        this.model = model;
        this.items = new ArrayList<>(items);
    }

    /** The working directory the thread was started in, or null when its file does not say. */
    public Path cwd() {
        return cwd;
    }

    public String id() {
        return id;
    }

    public Path file() {
        return file;
    }

    /** The model the thread was started with, or null when its file does not say. */
    public String model() {
        return model;
    }

    public synchronized List<ConversationItem> items() {
        return List.copyOf(items);
    }

    /** Adds items and persists them at once, so an interrupted turn still leaves a resumable thread. */
    public synchronized void append(List<? extends ConversationItem> added) {
        StringBuilder lines = new StringBuilder();
        for (ConversationItem item : added) {
            lines.append(AgentJson.write(line(item))).append('\n');
        }
        try {
            Files.writeString(
                    file, lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write thread file " + file + ": " + e.getMessage(), e);
        }
        items.addAll(added);
    }

    static Map<String, Object> line(ConversationItem item) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (item instanceof ConversationItem.UserMessage u) {
            m.put("type", "user_message");
            m.put("text", u.text());
        } else if (item instanceof ConversationItem.AssistantMessage a) {
            m.put("type", "assistant_message");
            m.put("text", a.text());
        } else if (item instanceof ConversationItem.FunctionCall c) {
            m.put("type", "function_call");
            m.put("call_id", c.callId());
            m.put("name", c.name());
            m.put("arguments", c.arguments());
        } else if (item instanceof ConversationItem.FunctionCallOutput o) {
            m.put("type", "function_call_output");
            m.put("call_id", o.callId());
            m.put("output", o.output());
        }
        return m;
    }

    /** The item a persisted line holds, or null for header and unknown lines. */
    static ConversationItem item(Map<String, Object> line) {
        Object type = line.get("type");
        if ("user_message".equals(type)) {
            return new ConversationItem.UserMessage(str(line, "text"));
        }
        if ("assistant_message".equals(type)) {
            return new ConversationItem.AssistantMessage(str(line, "text"));
        }
        if ("function_call".equals(type)) {
            return new ConversationItem.FunctionCall(str(line, "call_id"), str(line, "name"), str(line, "arguments"));
        }
        if ("function_call_output".equals(type)) {
            return new ConversationItem.FunctionCallOutput(str(line, "call_id"), str(line, "output"));
        }
        return null;
    }

    private static String str(Map<String, Object> line, String key) {
        Object v = line.get(key);
        return v == null ? "" : v.toString();
    }
}
