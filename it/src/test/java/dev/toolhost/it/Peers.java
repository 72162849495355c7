package dev.toolhost.it;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Locates what integration tests run against: the npm MCP peers pinned in {@code it/peers}
 * (installed by {@code scripts/test}) and the built Toolhost jar.
 */
public final class Peers {
    private Peers() {}

    /** The repository root (the parent of the {@code it} module). */
    public static Path repoRoot() {
        Path here = Path.of("").toAbsolutePath();
        return Files.exists(here.resolve("peers")) ? here.getParent() : here;
    }

    /** An executable from {@code it/peers/node_modules/.bin}, e.g. {@code mcp-server-everything}. */
    public static Path bin(String name) {
        Path p = repoRoot().resolve("it/peers/node_modules/.bin").resolve(name);
        if (!Files.isExecutable(p)) {
            throw new IllegalStateException(p + " is missing: run scripts/test (it installs the npm peers)");
        }
        return p;
    }

    /** {@code it/peers}, the working directory for Node scripts that import the TypeScript SDK. */
    public static Path peersDir() {
        return repoRoot().resolve("it/peers");
    }

    /** The shaded Toolhost jar built by the host module. */
    public static Path toolhostJar() {
        Path jar = repoRoot().resolve("host/target/toolhost-all.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build with mvn -pl host -am package");
        }
        return jar;
    }

    /** The command line that runs {@code toolhost ARGS...} as a separate process. */
    public static List<String> toolhost(String... args) {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-jar",
                toolhostJar().toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** How one {@code toolhost} run ended: its exit code, stdout and stderr. */
    public record Run(int code, String out, String err) {}

    /** Writes {@code home/config.toml} with one server, {@code fixture}: scripts/conformance-fixture.mjs (dual-era). */
    public static void writeFixtureConfig(Path home) throws IOException {
        Files.writeString(home.resolve("config.toml"), """
                [mcp_servers.fixture]
                command = "node"
                args = ["%s"]
                cwd = "%s"
                """.formatted(
                        peersDir().resolve("scripts/conformance-fixture.mjs"), peersDir()));
    }

    /**
     * Runs {@code toolhost ARGS...} with {@code TOOLHOST_HOME=home} and no input, to its end (at most 60 s), as a user
     * at a shell would; its output goes through files in {@code home}.
     */
    public static Run run(Path home, String... args) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(toolhost(args));
        pb.environment().put("TOOLHOST_HOME", home.toString());
        Path out = home.resolve("out.txt");
        Path err = home.resolve("err.txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
        Process p = pb.start();
        p.getOutputStream().close();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("toolhost " + String.join(" ", args) + " did not finish");
        }
        return new Run(
                p.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    /**
     * Reads {@code process}'s stderr on a thread of its own, keeping every line in {@code stderr}, and returns the
     * first group of {@code announcement} in the first line that matches (the URL a server prints when it listens).
     *
     * @throws AssertionError when the process ends first (with its stderr); a timeout after {@code wait}
     */
    public static String announced(Process process, Pattern announcement, StringBuffer stderr, Duration wait)
            throws Exception {
        CompletableFuture<String> found = new CompletableFuture<>();
        Thread drain = new Thread(
                () -> {
                    try (BufferedReader r = new BufferedReader(
                            new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = r.readLine()) != null) {
                            stderr.append(line).append('\n');
                            Matcher m = announcement.matcher(line);
                            if (m.find()) {
                                found.complete(m.group(1));
                            }
                        }
                    } catch (IOException e) {
                        // the process ended
                    }
                    found.completeExceptionally(
                            new AssertionError(process.info().command().orElse("the process")
                                    + " exited before it said where it listens: " + stderr));
                },
                "server-stderr");
        drain.setDaemon(true);
        drain.start();
        return found.get(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * server-everything in an HTTP {@code mode} ({@code streamableHttp} or {@code sse}) on {@code port}, once it
     * accepts connections (it binds every interface; the tests use loopback). Stop it with {@link #stopTree}.
     */
    public static Process serverEverything(String mode, int port) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(bin("mcp-server-everything").toString(), mode);
        pb.environment().put("PORT", String.valueOf(port));
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    try (java.net.Socket s = new Socket("127.0.0.1", port)) {
                        return true;
                    } catch (IOException e) {
                        return false;
                    }
                });
        return p;
    }

    /** Kills {@code p} and every process it started. */
    public static void stopTree(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }
}
