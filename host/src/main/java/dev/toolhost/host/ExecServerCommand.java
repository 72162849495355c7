package dev.toolhost.host;

import dev.toolhost.exec.ExecException;
import dev.toolhost.exec.server.ExecServer;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "exec-server",
        mixinStandardHelpOptions = true,
        description = {
            "Run a Codex-compatible exec-server (JSON-RPC: process/*, fs/*).",
            "With a WebSocket listener the bound ws://host:port is printed on stdout and GET /readyz answers 200.",
            "On loopback, upgrades a web page could make are refused (403 for a foreign Origin, 421 for a foreign Host)."
        })
final class ExecServerCommand implements Callable<Integer> {

    @Mixin
    GlobalOptions global;

    @Option(
            names = "--listen",
            paramLabel = "stdio|ws://IP:PORT",
            defaultValue = "ws://127.0.0.1:0",
            description =
                    "Transport: newline-delimited JSON on stdin/stdout, or a WebSocket listener (PORT 1-65535, 0 for any"
                            + " free port; default ${DEFAULT-VALUE}).")
    String listen;

    @Option(
            names = "--ws-token-file",
            paramLabel = "PATH",
            description = "File holding the connection token (at least 16 characters); WebSocket clients must send"
                    + " 'Authorization: Bearer <token>' (the scheme in any case).")
    Path tokenFile;

    @Override
    public Integer call() throws Exception {
        if ("stdio".equals(listen)) {
            if (tokenFile != null) {
                throw UserError.usage("--ws-token-file applies only to a ws:// listener, not to --listen stdio");
            }
            try (ExecServer server = new ExecServer()) {
                server.serveStdio(new FileInputStream(FileDescriptor.in), new FileOutputStream(FileDescriptor.out));
            }
            return 0;
        }
        URI uri = parseListen(listen);
        String token = tokenFile == null ? null : readToken(tokenFile);
        if (token == null && !isLoopback(uri.getHost())) {
            throw UserError.usage("--listen " + listen + " is not a loopback address; refusing to serve without"
                    + " authentication: pass --ws-token-file PATH (or listen on 127.0.0.1)");
        }
        ExecServer server = new ExecServer();
        ExecServer.Listening bound;
        try {
            bound = server.listen(stripBrackets(uri.getHost()), uri.getPort(), token);
        } catch (ExecException e) {
            server.close();
            throw UserError.failed(e.getMessage());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            server.close();
                            stopped.countDown();
                        },
                        "exec-server-shutdown"));
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        out.println(bound.uri());
        stopped.await();
        return 0;
    }

    static URI parseListen(String listen) {
        URI uri;
        try {
            uri = URI.create(listen);
        } catch (IllegalArgumentException e) {
            throw UserError.usage("--listen '" + listen + "' is not valid; expected stdio or ws://IP:PORT");
        }
        if (!"ws".equals(uri.getScheme())
                || uri.getHost() == null
                || uri.getPort() < 0
                || (uri.getPath() != null
                        && !uri.getPath().isEmpty()
                        && !uri.getPath().equals("/"))) {
            throw UserError.usage("--listen '" + listen + "' is not valid; expected stdio or ws://IP:PORT"
                    + " (e.g. ws://127.0.0.1:0)");
        }
        if (uri.getPort() > 65535) {
            throw UserError.usage("--listen '" + listen + "': port " + uri.getPort()
                    + " is out of range; expected 1-65535, or 0 for any free port");
        }
        return uri;
    }

    private static String stripBrackets(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(stripBrackets(host)).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw UserError.usage("--listen host '" + host + "' cannot be resolved");
        }
    }

    private static String readToken(Path file) {
        String token;
        try {
            token = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw UserError.usage("--ws-token-file " + file + ": cannot read it (" + e.getMessage() + ")");
        }
        if (token.isEmpty()) {
            throw UserError.usage("--ws-token-file " + file + " is empty");
        }
        if (token.length() < McpServerCommand.MIN_TOKEN_CHARS) {
            throw UserError.usage("--ws-token-file " + file + ": the token must be at least "
                    + McpServerCommand.MIN_TOKEN_CHARS + " characters (it guards every command and file)");
        }
        return token;
    }
}
