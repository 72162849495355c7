package dev.toolhost.exec.client;

import dev.toolhost.exec.server.ExecServer;
import java.net.URI;

/** Toolhost's real exec-server, in this JVM, listening on a loopback port. */
final class TestExecServer implements AutoCloseable {
    private final ExecServer server;
    private final URI uri;

    private TestExecServer(ExecServer server, URI uri) {
        this.server = server;
        this.uri = uri;
    }

    /** @param token bearer token the upgrade must carry, or null for none */
    static TestExecServer start(String token) throws Exception {
        ExecServer server = new ExecServer();
        return new TestExecServer(server, server.listen("127.0.0.1", 0, token).uri());
    }

    URI uri() {
        return uri;
    }

    @Override
    public void close() {
        server.close();
    }
}
