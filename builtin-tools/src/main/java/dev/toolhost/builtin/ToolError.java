package dev.toolhost.builtin;

/** A tool call failed for a reason the caller should read; becomes an {@code isError} result. */
public class ToolError extends Exception {
    public ToolError(String message) {
        super(message);
    }
}
