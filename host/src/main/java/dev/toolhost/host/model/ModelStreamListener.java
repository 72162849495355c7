package dev.toolhost.host.model;

/** Receives text as it streams in, before the response is complete. */
public interface ModelStreamListener {

    default void textDelta(String delta) {}

    default void reasoningDelta(String delta) {}

    ModelStreamListener NONE = new ModelStreamListener() {};
}
