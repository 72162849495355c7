package dev.toolhost.host.model;

/** A model provider speaking one wire format. Interrupting the calling thread aborts the request. */
public interface ModelClient {

    /** Sends the request, streams the answer to {@code listener} and returns it once complete. */
    ModelResponse stream(ModelRequest request, ModelStreamListener listener)
            throws ModelException, InterruptedException;
}
