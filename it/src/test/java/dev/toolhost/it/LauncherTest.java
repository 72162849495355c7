package dev.toolhost.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./toolhost} launcher script as other programs start it: with pipes, not a terminal. Builds are
 * stood in for by a fake {@code mvn} on the PATH that records that it ran (a real build takes minutes).
 */
class LauncherTest {
    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {
    }

    private Run run(Path pathDir, List<String> command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("TOOLHOST_HOME", tmp.resolve("home").toString());
        if (pathDir != null) {
            pb.environment().put("PATH", pathDir + ":" + System.getenv("PATH"));
        }
        Path out = tmp.resolve("out.txt");
        Path err = tmp.resolve("err.txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
        Process p = pb.start();
        p.getOutputStream().close();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command + " did not finish");
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
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
        Path source = Files.createDirectories(root.resolve("host/src/main/java")).resolve("Changed.java");
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
        assertTrue(stale.err().contains("sources changed since") && stale.err().contains(launcher + " build"),
                stale.err());
        assertFalse(Files.exists(marker), "no build inside another program's start-up");

        Files.move(root.resolve("host/target/toolhost-all.jar"), tmp.resolve("moved.jar"));
        Run none = run(fakeBin, List.of(launcher, "--version"));
        assertEquals(1, none.code(), none.err());
        assertEquals("", none.out());
        assertTrue(none.err().contains("not built yet") && none.err().contains(launcher + " build"), none.err());
        assertFalse(Files.exists(marker), "no build inside another program's start-up");
        Files.move(tmp.resolve("moved.jar"), root.resolve("host/target/toolhost-all.jar"));
        Files.setLastModifiedTime(root.resolve("host/target/toolhost-all.jar"),
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
        Run r = run(tmp.resolve("fakebin"), List.of(script.toString(), "-qec", root.resolve("toolhost") + " --version",
                "/dev/null"));
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("building") && r.out().contains("toolhost 0."), r.out());
        assertTrue(Files.exists(marker), "built before running");
    }
}
