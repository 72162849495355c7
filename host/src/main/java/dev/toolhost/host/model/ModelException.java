package dev.toolhost.host.model;

/** A model request failed; the message is complete and meant for the user. */
public final class ModelException extends Exception {
    private final boolean streamBroken;

    public ModelException(String message) {
        this(message, false);
    }

    private ModelException(String message, boolean streamBroken) {
        super(message);
        this.streamBroken = streamBroken;
    }

    /** The stream stopped before the response completed (dropped, stalled or cut short): worth asking again. */
    static ModelException streamBroken(String message) {
        return new ModelException(message, true);
    }

    boolean streamBroken() {
        return streamBroken;
    }
}
