package dev.toolhost.host.agent;

import dev.toolhost.host.model.ConversationItem;
import dev.toolhost.host.model.FunctionTool;
import dev.toolhost.host.model.ModelClient;
import dev.toolhost.host.model.ModelException;
import dev.toolhost.host.model.ModelRequest;
import dev.toolhost.host.model.ModelResponse;
import dev.toolhost.host.model.ModelStreamListener;
import dev.toolhost.host.model.Usage;
import dev.toolhost.mcp.client.CallContext;
import dev.toolhost.mcp.client.ServerRequestHandler;
import dev.toolhost.mcp.client.ToolHub;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * The agent: prompt, then model, then the tool calls it asks for (run through the hub, in parallel when
 * it asks for several at once), then their results back to the model, until it answers without calling
 * a tool. Interrupting the thread that runs a turn cancels it: the model request is aborted and pending
 * tool calls are cancelled downstream.
 */
public final class AgentLoop {
    /** A model that keeps calling tools this many times in one turn is stopped. */
    static final int MAX_MODEL_REQUESTS = 200;

    private final ToolHub hub;
    private final ModelClient model;
    private final String modelName;
    private final String instructions;
    private final ServerRequestHandler requests;

    /**
     * @param requests answers the elicitations (approvals) and sampling requests tools make during a call
     */
    public AgentLoop(
            ToolHub hub, ModelClient model, String modelName, String instructions, ServerRequestHandler requests) {
        this.hub = hub;
        this.model = model;
        this.modelName = modelName;
        this.instructions = instructions;
        this.requests = requests;
    }

    /** The default system instructions for a working directory. */
    public static String defaultInstructions(Path cwd) {
        return "You are Toolhost, a coding agent. You work in " + cwd + " using the tools you are given: run"
                + " commands with exec_command, edit files with apply_patch, and use the other tools when they"
                + " fit. Keep going until the task is done, then reply with a short summary of what you did.";
    }

    /** How a turn ended. {@code error} is null on success; {@code cancelled} when it was interrupted. */
    public record TurnResult(String threadId, String finalMessage, Usage usage, String error, boolean cancelled) {
        public boolean ok() {
            return error == null;
        }
    }

    /**
     * Runs one turn on {@code thread}, emitting every JSONL event (thread.started first) to {@code events}.
     * Never throws for a model or tool failure: those end the turn with turn.failed. If the calling thread
     * is interrupted the turn ends cancelled and the interrupt flag is set again.
     */
    public TurnResult runTurn(AgentThread thread, String prompt, Consumer<ThreadEvent> events) {
        Consumer<ThreadEvent> sink = synchronizedSink(events);
        Turn turn = new Turn(thread, sink);
        sink.accept(new ThreadEvent.ThreadStarted(thread.id()));
        sink.accept(new ThreadEvent.TurnStarted());
        try {
            String answer = turn.run(prompt);
            turn.finishPlan();
            sink.accept(new ThreadEvent.TurnCompleted(turn.usage));
            return new TurnResult(thread.id(), answer, turn.usage, null, false);
        } catch (InterruptedException e) {
            turn.finishPlan();
            String message = "turn cancelled";
            sink.accept(new ThreadEvent.TurnFailed(message));
            Thread.currentThread().interrupt();
            return new TurnResult(thread.id(), null, turn.usage, message, true);
        } catch (ModelException | TurnException e) {
            turn.finishPlan();
            sink.accept(new ThreadEvent.ErrorEvent(e.getMessage()));
            sink.accept(new ThreadEvent.TurnFailed(e.getMessage()));
            return new TurnResult(thread.id(), null, turn.usage, e.getMessage(), false);
        } catch (RuntimeException e) {
            // A bug or an I/O failure (thread file) must still end the turn with an event, not a stack trace.
            turn.finishPlan();
            String message = "internal error: " + e;
            sink.accept(new ThreadEvent.ErrorEvent(message));
            sink.accept(new ThreadEvent.TurnFailed(message));
            return new TurnResult(thread.id(), null, turn.usage, message, false);
        }
    }

    private static Consumer<ThreadEvent> synchronizedSink(Consumer<ThreadEvent> events) {
        Object lock = new Object();
        return e -> {
            synchronized (lock) {
                events.accept(e);
            }
        };
    }

    private static final class TurnException extends Exception {
        TurnException(String message) {
            super(message);
        }
    }

    /** The state of one turn: item ids, usage, and the plan item that update_plan keeps changing. */
    private final class Turn {
        private final AgentThread thread;
        private final Consumer<ThreadEvent> sink;
        private int nextItem;
        private Usage usage = Usage.ZERO;
        private ThreadItem.TodoList plan;

        Turn(AgentThread thread, Consumer<ThreadEvent> sink) {
            this.thread = thread;
            this.sink = sink;
        }

        String run(String prompt) throws InterruptedException, ModelException, TurnException {
            thread.append(List.of(new ConversationItem.UserMessage(prompt)));
            for (int request = 0; request < MAX_MODEL_REQUESTS; request++) {
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                Map<String, ToolHub.HubTool> tools = new LinkedHashMap<>();
                for (ToolHub.HubTool t : hub.tools()) {
                    tools.put(t.qualifiedName(), t);
                }
                ModelResponse response = model.stream(
                        new ModelRequest(modelName, instructions, thread.items(), functionTools(tools.values())),
                        ModelStreamListener.NONE);
                usage = usage.plus(response.usage());
                if (!response.reasoning().isBlank()) {
                    sink.accept(new ThreadEvent.ItemCompleted(new ThreadItem.Reasoning(newId(), response.reasoning())));
                }
                List<ConversationItem> said = new ArrayList<>();
                if (!response.text().isBlank()) {
                    sink.accept(new ThreadEvent.ItemCompleted(new ThreadItem.AgentMessage(newId(), response.text())));
                    said.add(new ConversationItem.AssistantMessage(response.text()));
                }
                if (response.toolCalls().isEmpty()) {
                    thread.append(said);
                    return response.text();
                }
                said.addAll(response.toolCalls());
                List<ConversationItem.FunctionCallOutput> outputs = runTools(response.toolCalls(), tools);
                said.addAll(outputs);
                thread.append(said);
            }
            throw new TurnException(
                    "the model made " + MAX_MODEL_REQUESTS + " requests in one turn without finishing; stopped");
        }

        private List<ConversationItem.FunctionCallOutput> runTools(
                List<ConversationItem.FunctionCall> calls, Map<String, ToolHub.HubTool> tools)
                throws InterruptedException {
            List<CompletableFuture<String>> pending = new ArrayList<>();
            List<ToolCallItem> items = new ArrayList<>();
            for (ConversationItem.FunctionCall call : calls) {
                pending.add(start(call, tools.get(call.name()), items));
            }
            List<ConversationItem.FunctionCallOutput> outputs = new ArrayList<>();
            try {
                for (int i = 0; i < calls.size(); i++) {
                    outputs.add(new ConversationItem.FunctionCallOutput(
                            calls.get(i).callId(), pending.get(i).get()));
                }
            } catch (InterruptedException e) {
                pending.forEach(f -> f.cancel(true));
                // Every started item ends before turn.failed, even if its call never answers the cancellation.
                for (ToolCallItem item : items) {
                    synchronized (item) {
                        if (!item.done()) {
                            item.failed("the call was cancelled");
                            emitDone(item);
                        }
                    }
                }
                List<ConversationItem> cut = new ArrayList<>(calls);
                for (int i = 0; i < calls.size(); i++) {
                    String out = pending.get(i).isDone() && !pending.get(i).isCancelled()
                            ? pending.get(i).join()
                            : "the call was cancelled by the user";
                    cut.add(new ConversationItem.FunctionCallOutput(calls.get(i).callId(), out));
                }
                thread.append(cut);
                throw e;
            } catch (ExecutionException e) {
                throw new IllegalStateException("tool call future failed", e.getCause());
            }
            return outputs;
        }

        /**
         * Starts one call, adding its item to {@code items}; the future yields the text the model sees and never
         * fails.
         */
        private CompletableFuture<String> start(
                ConversationItem.FunctionCall call, ToolHub.HubTool tool, List<ToolCallItem> items) {
            Map<String, Object> args;
            try {
                args = parseArguments(call.arguments());
            } catch (IllegalArgumentException e) {
                sink.accept(new ThreadEvent.ItemCompleted(
                        new ThreadItem.ErrorItem(newId(), "tool call " + call.name() + ": " + e.getMessage())));
                return CompletableFuture.completedFuture("error: the arguments are not valid: " + e.getMessage()
                        + ". Send a JSON object matching the tool's schema.");
            }
            ToolCallItem item = ToolCallItem.of(newId(), call.name(), args, tool);
            items.add(item);
            if (item.kind() == ToolCallItem.Kind.PLAN) {
                showPlan((ThreadItem.TodoList) item.item());
            } else {
                sink.accept(new ThreadEvent.ItemStarted(item.item()));
            }
            CallContext context = new CallContext(
                    p -> {
                        synchronized (item) {
                            if (item.kind() != ToolCallItem.Kind.PLAN && !item.done() && item.progress(p)) {
                                sink.accept(new ThreadEvent.ItemUpdated(item.item()));
                            }
                        }
                    },
                    log -> {},
                    requests);
            CompletableFuture<McpSchema.CallToolResult> future;
            if (tool == null) {
                future = CompletableFuture.completedFuture(new McpSchema.CallToolResult(
                        List.of(new McpSchema.TextContent("unknown tool '" + call.name() + "'; the available tools"
                                + " are the functions you were given")),
                        true,
                        null,
                        null));
            } else {
                future = hub.call(call.name(), args, context);
            }
            // Async: emitting events may block on a slow stdout, which must not stall a server's reader.
            CompletableFuture<String> text = future.handleAsync((result, failure) -> {
                synchronized (item) {
                    if (item.done()) { // ended as cancelled
                        return "the call was cancelled";
                    }
                    if (failure != null) {
                        String message = failureMessage(failure);
                        item.failed(message);
                        emitDone(item);
                        return "error: " + message;
                    }
                    String out = ResultText.text(result);
                    item.completed(result, out);
                    emitDone(item);
                    return Boolean.TRUE.equals(result.isError()) ? "error: " + out : out;
                }
            });
            // Cancelling what the loop waits on must cancel the hub call (notifications/cancelled downstream).
            text.whenComplete((r, t) -> {
                if (text.isCancelled()) {
                    future.cancel(true);
                }
            });
            return text;
        }

        private void emitDone(ToolCallItem item) {
            if (item.kind() != ToolCallItem.Kind.PLAN) {
                sink.accept(new ThreadEvent.ItemCompleted(item.item()));
            }
        }

        /** Every update_plan call of a turn shows as one todo_list item: started once, then updated. */
        private synchronized void showPlan(ThreadItem.TodoList item) {
            if (plan == null) {
                plan = item;
                sink.accept(new ThreadEvent.ItemStarted(plan));
            } else {
                plan = new ThreadItem.TodoList(plan.id(), item.items());
                sink.accept(new ThreadEvent.ItemUpdated(plan));
            }
        }

        synchronized void finishPlan() {
            if (plan != null) {
                sink.accept(new ThreadEvent.ItemCompleted(plan));
                plan = null;
            }
        }

        private synchronized String newId() {
            return "item_" + nextItem++;
        }
    }

    static List<FunctionTool> functionTools(Collection<ToolHub.HubTool> tools) {
        List<FunctionTool> out = new ArrayList<>();
        for (ToolHub.HubTool t : tools) {
            Map<String, Object> schema = t.tool().inputSchema() == null
                    ? new LinkedHashMap<>()
                    : new LinkedHashMap<>(AgentJson.toMap(t.tool().inputSchema()));
            schema.putIfAbsent("type", "object");
            schema.putIfAbsent("properties", Map.of());
            out.add(new FunctionTool(t.qualifiedName(), t.tool().description(), schema));
        }
        return out;
    }

    static Map<String, Object> parseArguments(String arguments) {
        if (arguments == null || arguments.isBlank()) {
            return Map.of();
        }
        Object value;
        try {
            value = AgentJson.MAPPER.readValue(arguments, Object.class);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not JSON: " + shorten(arguments));
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("not a JSON object: " + shorten(arguments));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> args = (Map<String, Object>) map;
        return args;
    }

    private static String shorten(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    private static String failureMessage(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof CancellationException) {
            return "the call was cancelled";
        }
        return t.getMessage() != null ? t.getMessage() : t.toString();
    }
}
