package dev.toolhost.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./toolhost} launcher script as other programs start it: with pipes, not a terminal. Builds are
 * stood in for by a fake {@code mvn} on the PATH that records that it ran (a real build takes minutes).
 */
class LauncherTest {
    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {}

    private Run run(Path pathDir, List<String> command) throws IOException, InterruptedException {
        Map<String, String> env = new HashMap<>();
        env.put("JAVA_HOME", System.getProperty("java.home"));
        return run(pathDir, command, env, null);
    }

    /** Runs with these environment variables set (a null value removes one) and this input (or none). */
    private Run run(Path pathDir, List<String> command, Map<String, String> env, Path input)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("TOOLHOST_HOME", tmp.resolve("home").toString());
        for (String inherited : List.of("TOOLHOST_JAVA", "TOOLHOST_JAVA_OPTS", "TOOLHOST_CDS")) {
            pb.environment().remove(inherited);
        }
        env.forEach((name, value) -> {
            if (value == null) {
                pb.environment().remove(name);
            } else {
                pb.environment().put(name, value);
            }
        });
        if (pathDir != null) {
            pb.environment().put("PATH", pathDir + ":" + System.getenv("PATH"));
        }
        Path out = tmp.resolve("out.txt");
        Path err = tmp.resolve("err.txt");
        pb.redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .redirectInput(
                        input == null ? ProcessBuilder.Redirect.PIPE : ProcessBuilder.Redirect.from(input.toFile()));
        Process p = pb.start();
        p.getOutputStream().close();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command + " did not finish");
        }
        return new Run(
                p.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void aSymlinkOnThePathRunsToolhostFromTheRepository() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Files.createSymbolicLink(bin.resolve("toolhost"), Peers.repoRoot().resolve("toolhost"));
        Path other = Files.createDirectories(tmp.resolve("other"));
        Files.createSymbolicLink(other.resolve("th"), Path.of("../bin/toolhost")); // a relative link to the link

        for (Path link : List.of(bin.resolve("toolhost"), other.resolve("th"))) {
            Run r = run(null, List.of(link.toString(), "--version"));
            assertEquals(0, r.code(), link + ": " + r.err());
            assertTrue(r.out().startsWith("toolhost "), r.out());
        }
    }

    /** A copy of the launcher in a fake checkout whose jar is older than a source file, and a fake mvn. */
    private Path staleCheckout(Path mvnMarker) throws IOException {
        Path root = Files.createDirectories(tmp.resolve("checkout"));
        Files.copy(Peers.repoRoot().resolve("toolhost"), root.resolve("toolhost"));
        Path jar = Files.createDirectories(root.resolve("host/target")).resolve("toolhost-all.jar");
        Files.copy(Peers.toolhostJar(), jar);
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minusSeconds(3600)));
        Path source =
                Files.createDirectories(root.resolve("host/src/main/java")).resolve("Changed.java");
        Files.writeString(source, "class Changed {}\n");
        Path fakeBin = Files.createDirectories(tmp.resolve("fakebin"));
        Path mvn = fakeBin.resolve("mvn");
        // The stand-in build: records that it ran and "builds" the jar by touching it.
        Files.writeString(mvn, "#!/bin/sh\necho \"$@\" >> '" + mvnMarker + "'\ntouch '" + jar + "'\n");
        Files.setPosixFilePermissions(mvn, PosixFilePermissions.fromString("rwxr-xr-x"));
        return root;
    }

    @Test
    void startedByAnotherProgramItNeverBuildsAndSaysWhatToDo() throws Exception {
        Path marker = tmp.resolve("mvn-ran");
        Path root = staleCheckout(marker);
        Path fakeBin = tmp.resolve("fakebin");
        String launcher = root.resolve("toolhost").toString();

        Run stale = run(fakeBin, List.of(launcher, "--version"));
        assertEquals(0, stale.code(), stale.err());
        assertTrue(stale.out().startsWith("toolhost "), stale.out());
        assertTrue(
                stale.err().contains("sources changed since") && stale.err().contains(launcher + " build"),
                stale.err());
        assertFalse(Files.exists(marker), "no build inside another program's start-up");

        Files.move(root.resolve("host/target/toolhost-all.jar"), tmp.resolve("moved.jar"));
        Run none = run(fakeBin, List.of(launcher, "--version"));
        assertEquals(1, none.code(), none.err());
        assertEquals("", none.out());
        assertTrue(none.err().contains("not built yet") && none.err().contains(launcher + " build"), none.err());
        assertFalse(Files.exists(marker), "no build inside another program's start-up");
        Files.move(tmp.resolve("moved.jar"), root.resolve("host/target/toolhost-all.jar"));
        Files.setLastModifiedTime(
                root.resolve("host/target/toolhost-all.jar"),
                FileTime.from(Instant.now().minusSeconds(3600)));

        Run build = run(fakeBin, List.of(launcher, "build"));
        assertEquals(0, build.code(), build.err());
        assertTrue(Files.readString(marker).contains("package"), "`toolhost build` builds: " + build.err());
        List<String> after = new ArrayList<>(List.of(launcher, "--version"));
        Run fresh = run(fakeBin, after);
        assertEquals(0, fresh.code(), fresh.err());
        assertFalse(fresh.err().contains("sources changed"), fresh.err());
    }

    @Test
    void aPersonAtATerminalStillGetsTheBuild() throws Exception {
        Path script = Path.of("/usr/bin/script");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(script), "needs script(1) for a terminal");
        Path marker = tmp.resolve("mvn-ran");
        Path root = staleCheckout(marker);
        // script(1) runs the launcher on a pseudo-terminal: stdin and stderr are terminals, as for a person.
        Run r = run(
                tmp.resolve("fakebin"),
                List.of(script.toString(), "-qec", root.resolve("toolhost") + " --version", "/dev/null"));
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("building") && r.out().contains("toolhost 0."), r.out());
        assertTrue(Files.exists(marker), "built before running");
    }

    /** A copy of the launcher and the built jar in a fresh checkout (no sources, so never stale). */
    private Path builtCheckout() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("built"));
        Files.copy(Peers.repoRoot().resolve("toolhost"), root.resolve("toolhost"));
        Path target = Files.createDirectories(root.resolve("host/target"));
        Files.copy(Peers.toolhostJar(), target.resolve("toolhost-all.jar"));
        Path cds = Files.createDirectories(root.resolve("host/src/cds"));
        Files.copy(Peers.repoRoot().resolve("host/src/cds/mcp-handshake.jsonl"), cds.resolve("mcp-handshake.jsonl"));
        return root;
    }

    /**
     * A rebuild while Toolhost runs: the build rewrites host/target/toolhost-all.jar in place (as Maven does), yet a
     * running {@code toolhost mcp-server} goes on loading classes and answering, since it runs from a copy that the
     * launcher replaces by renaming a new one over it.
     */
    @Test
    void aRebuildNeverChangesTheJarOfARunningProcess() throws Exception {
        Path root = builtCheckout();
        Path jar = root.resolve("host/target/toolhost-all.jar");
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minusSeconds(3600)));
        Path hello = Files.writeString(tmp.resolve("hello.txt"), "hello\n");
        ProcessBuilder pb = new ProcessBuilder(root.resolve("toolhost").toString(), "mcp-server");
        pb.environment().put("TOOLHOST_HOME", tmp.resolve("home").toString());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        List.of("TOOLHOST_JAVA", "TOOLHOST_JAVA_OPTS", "TOOLHOST_CDS").forEach(pb.environment()::remove);
        Path err = tmp.resolve("server-err.txt");
        Process server = pb.redirectError(err.toFile()).start();
        BufferedWriter in =
                new BufferedWriter(new OutputStreamWriter(server.getOutputStream(), StandardCharsets.UTF_8));
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        try {
            in.write("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                    + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}\n"
                    + "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}\n");
            in.flush();
            assertTrue(readLine(out).contains("\"id\":1"));

            // The rebuild: sources newer than the jar, and a stand-in mvn that rewrites the jar in place.
            Files.writeString(
                    Files.createDirectories(root.resolve("host/src/main/java")).resolve("Changed.java"),
                    "class Changed {}\n");
            Path fakeBin = Files.createDirectories(tmp.resolve("rewritingbin"));
            Path mvn = fakeBin.resolve("mvn");
            Files.writeString(mvn, "#!/bin/sh\nprintf 'rebuilt in place' > '" + jar + "'\n");
            Files.setPosixFilePermissions(mvn, PosixFilePermissions.fromString("rwxr-xr-x"));
            Run build = run(fakeBin, List.of(root.resolve("toolhost").toString(), "build"));
            assertEquals(0, build.code(), build.err());
            assertEquals("rebuilt in place", Files.readString(jar), "the build rewrote the jar");

            // Serving a call loads classes start-up did not need.
            in.write("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"read_file\","
                    + "\"arguments\":{\"path\":\"" + hello + "\"}}}\n");
            in.flush();
            String answer = readLine(out);
            assertTrue(
                    answer != null && answer.contains("\"id\":2") && answer.contains("L1: hello"),
                    answer + "\n" + Files.readString(err));
        } finally {
            in.close(); // end of input: the server ends
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
        assertEquals(0, server.exitValue(), Files.readString(err));
        assertFalse(Files.readString(err).contains("NoClassDefFoundError"), Files.readString(err));
    }

    /** The next line, or a failure after a minute (a process that lost its jar may hang instead of answering). */
    private static String readLine(BufferedReader reader) throws Exception {
        try {
            return CompletableFuture.supplyAsync(() -> {
                        try {
                            return reader.readLine();
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    })
                    .get(60, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("no answer within a minute");
        }
    }

    /** A stand-in JDK of this feature release whose java records its arguments, one line per run. */
    private Path fakeJdk(String name, String version, Path argsLog) throws IOException {
        Path home = Files.createDirectories(tmp.resolve(name));
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"test\"\nJAVA_VERSION=\"" + version + "\"\n");
        Path java = Files.createDirectories(home.resolve("bin")).resolve("java");
        Files.writeString(java, "#!/bin/sh\necho \"$0 $*\" >> '" + argsLog + "'\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return home;
    }

    private static String lastLine(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        return lines.get(lines.size() - 1);
    }

    @Test
    void javaTwentyFiveOrLaterStartsFromTheAotCacheEarlierJavasFromTheAppCdsArchive() throws Exception {
        Path root = builtCheckout();
        String launcher = root.resolve("toolhost").toString();
        Path aot = root.resolve("host/target/toolhost.aot");
        Path jsa = root.resolve("host/target/toolhost.jsa");
        Files.writeString(aot, "stand-in");
        Files.writeString(jsa, "stand-in");
        Path jar = root.resolve("host/target/toolhost-all.jar");
        Path runJar = root.resolve("host/target/run/toolhost-all.jar"); // the copy that runs
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minusSeconds(60)));
        Path log = tmp.resolve("java-args.txt");
        Path jdk25 = fakeJdk("jdk25", "25.0.3", log);
        Path jdk17 = fakeJdk("jdk17", "17.0.15", log);
        Map<String, String> env = new HashMap<>();
        env.put("JAVA_HOME", null);

        env.put("TOOLHOST_JAVA", jdk25.toString()); // a JDK directory
        assertEquals(0, run(null, List.of(launcher, "--version"), env, null).code());
        String args = lastLine(log);
        assertTrue(
                args.startsWith(jdk25.resolve("bin/java") + " ")
                        && args.contains("-XX:AOTCache=" + aot)
                        && !args.contains("SharedArchiveFile")
                        && args.contains("-XX:-AOTReplayTraining")
                        && args.contains(" --enable-native-access=ALL-UNNAMED ")
                        && args.contains(" --sun-misc-unsafe-memory-access=allow ")
                        && args.endsWith("-cp " + runJar + " dev.toolhost.host.Main --version"),
                args);

        env.put("TOOLHOST_JAVA", jdk17.resolve("bin/java").toString()); // a java binary
        env.put("JAVA_HOME", jdk25.toString()); // TOOLHOST_JAVA wins
        assertEquals(0, run(null, List.of(launcher, "--version"), env, null).code());
        args = lastLine(log);
        assertTrue(
                args.startsWith(jdk17.resolve("bin/java") + " ")
                        && args.contains("-XX:SharedArchiveFile=" + jsa)
                        && !args.contains("AOTCache")
                        && !args.contains("AOTReplayTraining")
                        && args.contains(" --enable-native-access=ALL-UNNAMED ")
                        && !args.contains("sun-misc-unsafe-memory-access") // Java 17 to 22 reject it
                        && args.endsWith("-cp " + runJar + " dev.toolhost.host.Main --version"),
                args);

        env.remove("TOOLHOST_JAVA"); // then JAVA_HOME
        assertEquals(0, run(null, List.of(launcher, "--version"), env, null).code());
        assertTrue(lastLine(log).startsWith(jdk25.resolve("bin/java") + " -"), lastLine(log));

        env.put("TOOLHOST_CDS", "off");
        assertEquals(0, run(null, List.of(launcher, "--version"), env, null).code());
        assertFalse(lastLine(log).contains("AOTCache") || lastLine(log).contains("SharedArchiveFile"), lastLine(log));
        env.remove("TOOLHOST_CDS");

        Files.setLastModifiedTime(aot, FileTime.from(Instant.now().minusSeconds(3600))); // older than the jar
        assertEquals(0, run(null, List.of(launcher, "--version"), env, null).code());
        assertFalse(lastLine(log).contains("AOTCache"), lastLine(log));

        env.put("TOOLHOST_JAVA", tmp.resolve("no-such-jdk").toString());
        Run wrong = run(null, List.of(launcher, "--version"), env, null);
        assertEquals(2, wrong.code(), wrong.err());
        assertTrue(wrong.err().contains("TOOLHOST_JAVA=" + tmp.resolve("no-such-jdk")), wrong.err());
    }

    /** The newest JDK 25 or later installed in /usr/lib/jvm, if any. */
    private static Path installedJdk25() throws IOException {
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return null;
        }
        try (Stream<Path> homes = Files.list(jvms)) {
            return homes.filter(h -> Files.isExecutable(h.resolve("bin/java")) && feature(h) >= 25)
                    .max(Comparator.comparingInt(LauncherTest::feature))
                    .orElse(null);
        }
    }

    private static int feature(Path home) {
        try {
            for (String line : Files.readAllLines(home.resolve("release"))) {
                if (line.startsWith("JAVA_VERSION=\"")) {
                    return Integer.parseInt(line.substring(14).split("[^0-9]", 2)[0]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // unknown
        }
        return 0;
    }

    /**
     * The real thing: `toolhost startup-cache` trains the cache for the Java the launcher picks, and
     * `toolhost mcp-server` then maps its classes (class+load says "shared objects file") and answers tools/list.
     */
    private void trainAndServe(Path root, Path javaHome) throws Exception {
        String launcher = root.resolve("toolhost").toString();
        Map<String, String> env = new HashMap<>();
        env.put("JAVA_HOME", null);
        env.put("TOOLHOST_JAVA", javaHome.toString());
        Run train = run(null, List.of(launcher, "startup-cache"), env, null);
        assertEquals(0, train.code(), javaHome + ": " + train.err());
        Path cache = root.resolve(feature(javaHome) >= 25 ? "host/target/toolhost.aot" : "host/target/toolhost.jsa");
        assertTrue(train.err().contains("wrote " + cache) && Files.size(cache) > 1_000_000, train.err());

        Path classes = tmp.resolve("classes-" + feature(javaHome) + ".txt");
        env.put("TOOLHOST_JAVA_OPTS", "-Xlog:class+load:file=" + classes);
        Run serve = run(null, List.of(launcher, "mcp-server"), env, root.resolve("host/src/cds/mcp-handshake.jsonl"));
        assertEquals(0, serve.code(), javaHome + ": " + serve.err());
        assertTrue(serve.out().contains("\"id\":2") && serve.out().contains("exec_command"), serve.out());
        assertEquals("", serve.err(), javaHome + ": nothing on stderr");
        String loaded = Files.readAllLines(classes).stream()
                .filter(l -> l.contains(" dev.toolhost.host.McpServerCommand "))
                .findFirst()
                .orElse("");
        assertTrue(loaded.contains("shared objects file"), javaHome + ": " + loaded);
    }

    @Test
    void theStartupCacheIsTrainedForTheJavaRunningTheTestsAndUsed() throws Exception {
        trainAndServe(builtCheckout(), Path.of(System.getProperty("java.home")));
    }

    @Test
    void anInstalledJavaTwentyFiveIsFoundAndStartsFromItsAotCache() throws Exception {
        Path jdk25 = installedJdk25();
        assumeTrue(jdk25 != null, "no JDK 25 or later in /usr/lib/jvm");
        Path root = builtCheckout();
        trainAndServe(root, jdk25);
        // With neither TOOLHOST_JAVA nor JAVA_HOME, the launcher finds that JDK itself.
        Map<String, String> env = new HashMap<>();
        env.put("JAVA_HOME", null);
        env.put("TOOLHOST_JAVA_OPTS", "-XshowSettings:properties");
        Run found = run(null, List.of(root.resolve("toolhost").toString(), "--version"), env, null);
        assertEquals(0, found.code(), found.err());
        assertTrue(found.err().contains("java.home = " + jdk25), found.err());
        // A command in a pseudo-terminal loads JNA's native library (System.load, restricted since Java 24): no
        // JDK warnings on stderr, from the AOT cache trained with the same flags.
        env.remove("TOOLHOST_JAVA_OPTS");
        Run tty = run(
                null,
                List.of(
                        root.resolve("toolhost").toString(),
                        "-s",
                        "danger-full-access",
                        "-a",
                        "never",
                        "call",
                        "exec_command",
                        "{\"cmd\":\"echo in-a-tty\",\"tty\":true}"),
                env,
                null);
        assertEquals(0, tty.code(), tty.err());
        assertTrue(tty.out().contains("in-a-tty"), tty.out());
        assertEquals("", tty.err(), "nothing on stderr");
        // The WebSocket exec-server (Vert.x, so Netty and its sun.misc.Unsafe use): no JDK warnings either.
        assertEquals("", webSocketExecServerStderr(root, env), "nothing on stderr");
    }

    /** Starts `toolhost exec-server` (WebSocket), upgrades once and asks /readyz, stops it: its stderr. */
    private String webSocketExecServerStderr(Path root, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(root.resolve("toolhost").toString(), "exec-server");
        pb.environment().put("TOOLHOST_HOME", tmp.resolve("home").toString());
        pb.environment().remove("TOOLHOST_JAVA");
        pb.environment().remove("TOOLHOST_JAVA_OPTS");
        env.forEach((name, value) -> {
            if (value == null) {
                pb.environment().remove(name);
            } else {
                pb.environment().put(name, value);
            }
        });
        Path err = tmp.resolve("exec-server-err.txt");
        Process p = pb.redirectError(err.toFile()).start();
        try {
            String url =
                    new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
            assertTrue(url != null && url.startsWith("ws://127.0.0.1:"), "exec-server printed " + url);
            var http = HttpClient.newHttpClient();
            var ws = http.newWebSocketBuilder()
                    .buildAsync(URI.create(url), new WebSocket.Listener() {})
                    .get(20, TimeUnit.SECONDS);
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(20, TimeUnit.SECONDS);
            var ready = http.send(
                    HttpRequest.newBuilder(URI.create(url.replace("ws://", "http://") + "/readyz"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ready.statusCode());
        } finally {
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        return Files.readString(err, StandardCharsets.UTF_8);
    }
}
