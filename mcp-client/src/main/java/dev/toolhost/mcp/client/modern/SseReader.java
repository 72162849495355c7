package dev.toolhost.mcp.client.modern;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Reads a {@code text/event-stream} as the HTML Living Standard defines it: {@code data:} (joined with
 * newlines), {@code event:}, {@code id:}, {@code retry:}, comment lines (starting with a colon), unknown
 * fields ignored, one optional space after the colon, any line ending. An event whose data is empty (a
 * priming event) is not dispatched, but its {@code id} and {@code retry} still count.
 */
public final class SseReader {

    /** One dispatched event; {@code lastEventId} is the stream's last id so far (or null). */
    public record Event(String type, String data, String lastEventId) {}

    private String lastEventId;
    private long retryMillis = -1;

    /** The last {@code id:} seen, for a {@code Last-Event-ID} on reconnection; null when none. */
    public String lastEventId() {
        return lastEventId;
    }

    /** The last {@code retry:} seen in milliseconds, or -1. */
    public long retryMillis() {
        return retryMillis;
    }

    /** Reads until the stream ends, giving each event to {@code events}. */
    public void read(InputStream in, Consumer<Event> events) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        StringBuilder data = new StringBuilder();
        boolean hasData = false;
        String type = null;
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.isEmpty()) {
                if (hasData && data.length() > 0) {
                    events.accept(new Event(type == null ? "message" : type, data.toString(), lastEventId));
                }
                data.setLength(0);
                hasData = false;
                type = null;
                continue;
            }
            if (line.charAt(0) == ':') {
                continue; // a comment (keep-alive)
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            switch (field) {
                case "data" -> {
                    if (hasData) {
                        data.append('\n');
                    }
                    data.append(value);
                    hasData = true;
                }
                case "event" -> type = value;
                case "id" -> {
                    if (value.indexOf('\0') < 0) {
                        lastEventId = value;
                    }
                }
                case "retry" -> {
                    if (!value.isEmpty() && value.chars().allMatch(Character::isDigit)) {
                        try {
                            retryMillis = Long.parseLong(value);
                        } catch (NumberFormatException ignored) {
                            // too large: ignored, as the format says for any unusable value
                        }
                    }
                }
                default -> {
                    // unknown fields are ignored
                }
            }
        }
    }
}
