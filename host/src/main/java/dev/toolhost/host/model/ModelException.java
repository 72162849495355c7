package dev.toolhost.host.model;

/** A model request failed; the message is complete and meant for the user. */
public final class ModelException extends Exception {
    public ModelException(String message) {
        super(message);
    }
}
