package dev.toolhost.host;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The training run behind the start-up cache ({@code ./toolhost startup-cache}, run by host's package phase,
 * runs it with {@code -XX:AOTCacheOutput} on Java 25 or later, {@code -XX:ArchiveClassesAtExit} for AppCDS
 * before): it runs the commands whose start-up time users feel, so their classes are loaded (and linked) and
 * end up in the cache. Failures are ignored: a command that fails still loaded
 * most of what it needs, and a missing archive only makes start-up slower.
 *
 * <p>Last, when {@code --mcp-server} is given, it serves {@code toolhost mcp-server} on the real stdin
 * (the build feeds it an initialize + tools/list exchange) and exits at end of input.
 */
public final class CdsTraining {
    private CdsTraining() {}

    public static void main(String[] args) throws IOException {
        Path home = Files.createTempDirectory("toolhost-cds");
        Files.writeString(home.resolve("config.toml"), """
                # a typical config: loading it exercises the TOML parser and the binder
                model = "gpt-5"
                approval_policy = "on-request"
                notify = ["ignored"]

                [profiles.fast]
                sandbox_mode = "read-only"

                [mcp_servers.docs]
                url = "http://127.0.0.1:9/mcp"
                enabled = false

                [mcp_servers.fs]
                command = "npx"
                args = ["-y", "@modelcontextprotocol/server-filesystem", "."]
                env = { LOG_LEVEL = "warn" }
                enabled = false
                """);
        System.setProperty("toolhost.home", home.toString());
        LogFile.install(home.resolve("logs")); // as Main does first: its classes and lambda belong in the cache too
        PrintStream realOut = System.out;
        PrintStream realErr = System.err;
        PrintStream discard = new PrintStream(OutputStream.nullOutputStream(), true);
        System.setOut(discard);
        System.setErr(discard);
        try {
            for (List<String> command : List.of(
                    List.of("--version"),
                    List.of("--help"),
                    List.of("config", "show"),
                    List.of("config", "show", "--json", "-p", "fast", "-c", "model=\"o3\""),
                    List.of("mcp", "list"),
                    List.of("mcp", "get", "fs", "--json"),
                    List.of("config", "show", "-c", "sandbox_mode=bogus"))) {
                run(command);
            }
            if (List.of(args).contains("--mcp-server")) {
                run(List.of("mcp-server"));
            }
        } finally {
            System.setOut(realOut);
            System.setErr(realErr);
        }
        System.exit(0);
    }

    private static void run(List<String> command) {
        try {
            Main.run(command.toArray(String[]::new));
        } catch (Throwable ignored) {
            // see the class comment
        }
    }
}
