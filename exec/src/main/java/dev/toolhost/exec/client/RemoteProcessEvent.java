package dev.toolhost.exec.client;

/**
 * One event of a process's seq-numbered stream, whether it was pushed ({@code process/output},
 * {@code process/exited}, {@code process/closed}) or rebuilt from a {@code process/read} reply.
 *
 * @param sandboxDenied null when the server did not say (a legacy server's {@code exited})
 */
record RemoteProcessEvent(Kind kind, long seq, String stream, byte[] data, int exitCode, Boolean sandboxDenied) {

    enum Kind {
        OUTPUT,
        EXITED,
        CLOSED
    }

    static RemoteProcessEvent output(long seq, String stream, byte[] data) {
        return new RemoteProcessEvent(Kind.OUTPUT, seq, stream, data, 0, null);
    }

    static RemoteProcessEvent exited(long seq, int exitCode, Boolean sandboxDenied) {
        return new RemoteProcessEvent(Kind.EXITED, seq, null, null, exitCode, sandboxDenied);
    }

    static RemoteProcessEvent closed(long seq) {
        return new RemoteProcessEvent(Kind.CLOSED, seq, null, null, 0, null);
    }

    int size() {
        return data == null ? 0 : data.length;
    }
}
