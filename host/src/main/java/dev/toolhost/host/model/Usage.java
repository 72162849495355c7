package dev.toolhost.host.model;

/** Token counts as reported by the provider. */
public record Usage(long inputTokens, long cachedInputTokens, long outputTokens) {
    public static final Usage ZERO = new Usage(0, 0, 0);

    public Usage plus(Usage other) {
        return new Usage(
                inputTokens + other.inputTokens,
                cachedInputTokens + other.cachedInputTokens,
                outputTokens + other.outputTokens);
    }
}
