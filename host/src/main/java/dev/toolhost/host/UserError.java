package dev.toolhost.host;

/** An error whose message is complete and user-facing; printed without a stack trace. */
final class UserError extends RuntimeException {
    private final int exitCode;

    UserError(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    static UserError usage(String message) {
        return new UserError(Cli.USAGE, message);
    }

    static UserError failed(String message) {
        return new UserError(Cli.FAILED, message);
    }

    int exitCode() {
        return exitCode;
    }
}
