package dev.toolhost.host.agent;

import dev.toolhost.host.model.ConversationItem;
import dev.toolhost.host.model.ModelClient;
import dev.toolhost.host.model.ModelException;
import dev.toolhost.host.model.ModelRequest;
import dev.toolhost.host.model.ModelResponse;
import dev.toolhost.host.model.ModelStreamListener;
import dev.toolhost.host.model.Usage;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import tools.jackson.databind.json.JsonMapper;

/** An in-process model that replays fixed responses and records every request (the HTTP clients are tested in it/). */
final class ScriptedModel implements ModelClient {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ConcurrentLinkedQueue<Object> replies = new ConcurrentLinkedQueue<>();
    final List<ModelRequest> requests = new CopyOnWriteArrayList<>();

    ScriptedModel then(ModelResponse response) {
        replies.add(response);
        return this;
    }

    ScriptedModel thenFail(String message) {
        replies.add(new ModelException(message));
        return this;
    }

    ScriptedModel thenText(String text) {
        return then(new ModelResponse(text, "", List.of(), new Usage(10, 2, 3)));
    }

    ScriptedModel thenCalls(ConversationItem.FunctionCall... calls) {
        return then(new ModelResponse("", "", List.of(calls), new Usage(10, 2, 3)));
    }

    static ConversationItem.FunctionCall call(String id, String name, Map<String, Object> args) {
        return new ConversationItem.FunctionCall(id, name, JSON.writeValueAsString(args));
    }

    @Override
    public ModelResponse stream(ModelRequest request, ModelStreamListener listener) throws ModelException {
        requests.add(request);
        Object next = replies.poll();
        if (next == null) {
            throw new ModelException("the scripted model has no reply left");
        }
        if (next instanceof ModelException e) {
            throw e;
        }
        return (ModelResponse) next;
    }

    /** The output the model was given for a call, in the latest request. */
    String outputFor(String callId) {
        List<ConversationItem> input = requests.get(requests.size() - 1).input();
        return input.stream()
                .filter(i -> i instanceof ConversationItem.FunctionCallOutput o
                        && o.callId().equals(callId))
                .map(i -> ((ConversationItem.FunctionCallOutput) i).output())
                .findFirst()
                .orElseThrow(() -> new AssertionError("no output for " + callId + " in " + input));
    }
}
