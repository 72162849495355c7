package dev.toolhost.exec;

/**
 * A process could not be started because of the request itself: its cwd is not an absolute directory, or its
 * program ({@code argv[0]}) is not found or not executable. The caller's to fix; the exec-server answers it as
 * invalid params (-32602).
 */
public class InvalidRequestException extends ExecException {
    public InvalidRequestException(String message) {
        super(message);
    }
}
