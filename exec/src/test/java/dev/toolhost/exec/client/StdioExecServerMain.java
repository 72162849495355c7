package dev.toolhost.exec.client;

import dev.toolhost.exec.server.ExecServer;

/** Toolhost's exec-server on this process's stdio, for tests that spawn a server the way a launcher would. */
public final class StdioExecServerMain {
    private StdioExecServerMain() {}

    public static void main(String[] args) throws Exception {
        try (ExecServer server = new ExecServer()) {
            server.serveStdio(System.in, System.out);
        }
        System.exit(0);
    }
}
