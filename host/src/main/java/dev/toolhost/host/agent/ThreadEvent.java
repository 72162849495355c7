package dev.toolhost.host.agent;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.toolhost.host.model.Usage;

/**
 * One JSONL event of {@code toolhost exec --json} (and of the {@code agent} MCP tool's progress), in Codex's
 * {@code exec --json} shapes: a JSON object whose {@code type} comes first. These records are the one
 * definition of the stream; {@code docs/exec-events.schema.json} publishes it and the it tests check the
 * real output against that schema.
 */
@JsonPropertyOrder({"type"})
public sealed interface ThreadEvent {

    /** The event's {@code type}, e.g. {@code item.completed}. */
    @JsonProperty("type")
    String type();

    /** This event as one line of {@code --json} output (no line terminator). */
    default String toJsonLine() {
        return AgentJson.write(this);
    }

    /** {@code thread.started}: the first event of a turn, naming the thread that {@code resume} continues. */
    record ThreadStarted(@JsonProperty("thread_id") String threadId) implements ThreadEvent {
        @Override
        public String type() {
            return "thread.started";
        }
    }

    /** {@code turn.started}. */
    record TurnStarted() implements ThreadEvent {
        @Override
        public String type() {
            return "turn.started";
        }
    }

    /** {@code item.started}: a tool call or plan began; carries a snapshot of the item. */
    record ItemStarted(ThreadItem item) implements ThreadEvent {
        @Override
        public String type() {
            return "item.started";
        }
    }

    /** {@code item.updated}: progress of a running item (command output so far, an MCP progress message, a plan). */
    record ItemUpdated(ThreadItem item) implements ThreadEvent {
        @Override
        public String type() {
            return "item.updated";
        }
    }

    /** {@code item.completed}: the item's final state. */
    record ItemCompleted(ThreadItem item) implements ThreadEvent {
        @Override
        public String type() {
            return "item.completed";
        }
    }

    /** {@code turn.completed}: the turn ended with an answer; the tokens it used, summed over its model requests. */
    record TurnCompleted(TokenUsage usage) implements ThreadEvent {
        public TurnCompleted(Usage usage) {
            this(new TokenUsage(usage.inputTokens(), usage.cachedInputTokens(), usage.outputTokens()));
        }

        @Override
        public String type() {
            return "turn.completed";
        }
    }

    /** {@code turn.failed}: the turn ended without an answer (model or tool failure, cancellation). */
    record TurnFailed(ErrorInfo error) implements ThreadEvent {
        public TurnFailed(String message) {
            this(new ErrorInfo(message));
        }

        @Override
        public String type() {
            return "turn.failed";
        }
    }

    /** {@code error}: a failure worth showing on its own, always followed by {@code turn.failed}. */
    record ErrorEvent(String message) implements ThreadEvent {
        @Override
        public String type() {
            return "error";
        }
    }

    /** Token counts of {@code turn.completed}. */
    record TokenUsage(
            @JsonProperty("input_tokens") long inputTokens,
            @JsonProperty("cached_input_tokens") long cachedInputTokens,
            @JsonProperty("output_tokens") long outputTokens) {}

    /** {@code {"message": ...}} of a failed turn or item. */
    record ErrorInfo(String message) {}
}
