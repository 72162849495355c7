package dev.toolhost.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
}
