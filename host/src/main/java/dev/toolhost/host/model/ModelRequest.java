package dev.toolhost.host.model;

import java.util.List;

/** One request to a model: the whole conversation so far and the tools it may call. */
public record ModelRequest(String model, String instructions, List<ConversationItem> input, List<FunctionTool> tools) {
    public ModelRequest {
        input = List.copyOf(input);
        tools = List.copyOf(tools);
    }
}
