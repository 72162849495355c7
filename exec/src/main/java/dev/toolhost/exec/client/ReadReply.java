package dev.toolhost.exec.client;

import java.util.List;

/**
 * What the client needs from a {@code process/read} result.
 *
 * @param chunks        output events, in seq order
 * @param exitCode      null until the process exited
 * @param sandboxDenied null when the server did not say (legacy servers)
 */
record ReadReply(
        List<RemoteProcessEvent> chunks,
        long nextSeq,
        boolean exited,
        Integer exitCode,
        boolean closed,
        String failure,
        Boolean sandboxDenied) {}
