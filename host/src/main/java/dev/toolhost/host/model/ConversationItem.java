package dev.toolhost.host.model;

/**
 * One entry of a conversation in the provider-neutral shape that both wire formats (Responses and
 * Chat Completions) are built from, and that threads are persisted in.
 */
public sealed interface ConversationItem {

    record UserMessage(String text) implements ConversationItem {}

    record AssistantMessage(String text) implements ConversationItem {}

    /** A tool call the model asked for; {@code arguments} is the raw JSON text the model produced. */
    record FunctionCall(String callId, String name, String arguments) implements ConversationItem {}

    record FunctionCallOutput(String callId, String output) implements ConversationItem {}
}
