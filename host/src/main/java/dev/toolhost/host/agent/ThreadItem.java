package dev.toolhost.host.agent;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.toolhost.host.agent.ThreadEvent.ErrorInfo;
import java.util.List;
import java.util.Map;

/**
 * The {@code item} of an {@code item.*} event, in Codex's shapes: {@code id} and {@code type} first, then the
 * fields of that type. Items are immutable: a running item is replaced by a newer snapshot on each change.
 * Fields marked optional are left out while null; {@code exit_code} is always present (null while running).
 */
@JsonPropertyOrder({"id", "type"})
public sealed interface ThreadItem {
    /** Item ids are unique within a turn: {@code item_0}, {@code item_1}, ... */
    String id();

    @JsonProperty("type")
    String type();

    /** The status of a running item, and of a finished one. */
    String IN_PROGRESS = "in_progress";

    String COMPLETED = "completed";
    String FAILED = "failed";

    /** {@code agent_message}: text the model said to the user. */
    record AgentMessage(String id, String text) implements ThreadItem {
        @Override
        public String type() {
            return "agent_message";
        }
    }

    /** {@code reasoning}: the model's reasoning summary, when the provider sends one. */
    record Reasoning(String id, String text) implements ThreadItem {
        @Override
        public String type() {
            return "reasoning";
        }
    }

    /** {@code error}: a problem that did not end the turn (e.g. a tool call whose arguments are not JSON). */
    record ErrorItem(String id, String message) implements ThreadItem {
        @Override
        public String type() {
            return "error";
        }
    }

    /**
     * {@code command_execution}: an {@code exec_command} call.
     *
     * @param aggregatedOutput output so far (progress lines while running; the command's output when done)
     * @param exitCode         null while running, or when it is unknown (e.g. still running at yield time)
     * @param status           in_progress, completed, or failed (an error result or a non-zero exit); in
     *                         item.completed, in_progress means the command was still running when its call
     *                         returned (it goes on as a write_stdin session, exit_code null)
     */
    record CommandExecution(
            String id,
            String command,
            @JsonProperty("aggregated_output") String aggregatedOutput,

            @JsonProperty("exit_code") @JsonInclude(JsonInclude.Include.ALWAYS)
            Integer exitCode,

            String status)
            implements ThreadItem {
        @Override
        public String type() {
            return "command_execution";
        }
    }

    /**
     * {@code file_change}: an {@code apply_patch} call.
     *
     * @param error optional: why the patch failed
     */
    record FileChange(
            String id,
            List<Change> changes,
            String status,
            @JsonInclude(JsonInclude.Include.NON_NULL) ErrorInfo error) implements ThreadItem {
        @Override
        public String type() {
            return "file_change";
        }
    }

    /**
     * One file of a patch.
     *
     * @param kind add, delete or update
     */
    record Change(String path, String kind) {}

    /**
     * {@code mcp_tool_call}: a call of any tool other than exec_command, apply_patch and update_plan.
     *
     * @param server    the server's name in the config; empty when the model named a tool that does not exist
     * @param arguments the arguments as the model sent them
     * @param progress  optional: the latest progress message while running
     * @param result    optional: the result when completed
     * @param error     optional: why it failed
     */
    record McpToolCall(
            String id,
            String server,
            String tool,
            Map<String, Object> arguments,
            String status,
            @JsonInclude(JsonInclude.Include.NON_NULL) String progress,
            @JsonInclude(JsonInclude.Include.NON_NULL) McpToolResult result,
            @JsonInclude(JsonInclude.Include.NON_NULL) ErrorInfo error)
            implements ThreadItem {
        @Override
        public String type() {
            return "mcp_tool_call";
        }
    }

    /**
     * The result of a completed MCP tool call.
     *
     * @param content           the MCP content blocks, as the server sent them
     * @param structuredContent optional: the structured result
     */
    record McpToolResult(
            Object content,

            @JsonProperty("structured_content") @JsonInclude(JsonInclude.Include.NON_NULL)
            Object structuredContent) {}

    /** {@code todo_list}: the plan of {@code update_plan}, one item per turn that each call updates. */
    record TodoList(String id, List<Todo> items) implements ThreadItem {
        @Override
        public String type() {
            return "todo_list";
        }
    }

    /** One step of a plan. */
    record Todo(String text, boolean completed) {}
}
