package dev.toolhost.exec;

/** A process could not be started, or the exec-server refused a request. The message is user-facing. */
public class ExecException extends Exception {
    public ExecException(String message) {
        super(message);
    }

    public ExecException(String message, Throwable cause) {
        super(message, cause);
    }
}
