package dev.toolhost.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The dual-era TypeScript SDK v2 server fixture ({@code it/peers/scripts/v2-server.mjs}, tools {@code echo} and
 * {@code ask_name}) over streamable HTTP on 127.0.0.1, running until closed. For stdio, spawn
 * {@link #stdioCommand()} yourself.
 */
public final class V2Server implements AutoCloseable {
    private static final Pattern URL = Pattern.compile("v2-server listening on (\\S+)");
    private final Process process;
    private final String url;
    private final StringBuffer stderr = new StringBuffer();

    /**
     * Starts it on a free loopback port.
     *
     * @param modernOnly true to reject legacy traffic with -32022 (the SDK's {@code legacy: 'reject'})
     */
    public V2Server(boolean modernOnly) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("node", "scripts/v2-server.mjs", "http", "0"));
        if (modernOnly) {
            cmd.add("--modern-only");
        }
        process = new ProcessBuilder(cmd).directory(Peers.peersDir().toFile()).start();
        process.getOutputStream().close();
        url = Peers.announced(process, URL, stderr, Duration.ofSeconds(30));
    }

    /** The command line (run in {@link Peers#peersDir()}) for the fixture on stdio. */
    public static List<String> stdioCommand() {
        return List.of("node", Peers.peersDir().resolve("scripts/v2-server.mjs").toString(), "stdio");
    }

    /** {@code http://127.0.0.1:PORT/mcp}. */
    public String url() {
        return url;
    }

    public String stderr() {
        return stderr.toString();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
