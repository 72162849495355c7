package dev.toolhost.host.model;

import java.util.List;

/**
 * What one streamed model response amounted to.
 *
 * @param text      the assistant's message text ("" when it only called tools)
 * @param reasoning reasoning summary text the provider streamed, "" when none
 * @param toolCalls tool calls in the order the model made them
 */
public record ModelResponse(String text, String reasoning, List<ConversationItem.FunctionCall> toolCalls, Usage usage) {
    public ModelResponse {
        toolCalls = List.copyOf(toolCalls);
    }
}
