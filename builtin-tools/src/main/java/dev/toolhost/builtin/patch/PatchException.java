package dev.toolhost.builtin.patch;

/** The patch is malformed or does not apply. The message is user-facing and names file, hunk and line. */
public class PatchException extends Exception {
    public PatchException(String message) {
        super(message);
    }
}
