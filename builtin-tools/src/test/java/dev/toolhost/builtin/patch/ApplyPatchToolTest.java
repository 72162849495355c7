package dev.toolhost.builtin.patch;

import static dev.toolhost.builtin.TestSupport.config;
import static dev.toolhost.builtin.TestSupport.run;
import static dev.toolhost.builtin.TestSupport.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.builtin.SessionState;
import dev.toolhost.builtin.TestSupport.ScriptedApprover;
import dev.toolhost.builtin.policy.ApprovalDecision;
import dev.toolhost.builtin.policy.ApprovalUnavailableException;
import dev.toolhost.builtin.policy.WritableRoots;
import dev.toolhost.config.ApprovalPolicy;
import dev.toolhost.config.SandboxMode;
import dev.toolhost.config.ToolhostConfig;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApplyPatchToolTest {
    @TempDir
    Path tmp;

    Path repo;
    Path outside;
    final SessionState session = new SessionState("s1");

    @BeforeEach
    void setUp() throws IOException {
        repo = Files.createDirectories(tmp.resolve("repo"));
        outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(repo.resolve("a.txt"), "one\ntwo\nthree\n");
        Files.createDirectories(repo.resolve("src"));
        Files.writeString(repo.resolve("src/main.py"), "def f():\n    return 1\n\ndef g():\n    return 1\n");
        Files.writeString(outside.resolve("secret.txt"), "keep me\n");
    }

    private McpSchema.CallToolResult apply(ToolhostConfig cfg, ScriptedApprover approver, String patch) {
        ApplyPatchTool tool = new ApplyPatchTool(cfg, WritableRoots.from(cfg));
        return run(tool, Map.of("input", patch), session, approver);
    }

    private McpSchema.CallToolResult apply(String patch) {
        return apply(
                config(repo, SandboxMode.WORKSPACE_WRITE, ApprovalPolicy.NEVER),
                new ScriptedApprover(ApprovalDecision.DENIED),
                patch);
    }

    /** Every file under {@code root} with its bytes (and symlinks with their targets). */
    private static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.toList()) {
                String key = root.relativize(p).toString();
                if (Files.isSymbolicLink(p)) {
                    m.put(key, "-> " + Files.readSymbolicLink(p));
                } else if (Files.isRegularFile(p)) {
                    m.put(key, HexFormat.of().formatHex(Files.readAllBytes(p)));
                } else {
                    m.put(key, "dir");
                }
            }
        }
        return m;
    }

    @Test
    void addUpdateDeleteAndMoveReportAmd() throws IOException {
        McpSchema.CallToolResult r = apply("""
                *** Begin Patch
                *** Add File: docs/new.md
                +# New
                *** Update File: a.txt
                @@
                 one
                -two
                +TWO
                *** Update File: src/main.py
                *** Move to: src/renamed.py
                @@ def g():
                -    return 1
                +    return 2
                *** Delete File: a.txt
                *** End Patch
                """);
        assertFalse(r.isError(), text(r));
        assertEquals(
                "Success. Updated the following files:\nA docs/new.md\nM a.txt\nM src/renamed.py\nD a.txt", text(r));
        assertEquals("# New\n", Files.readString(repo.resolve("docs/new.md")));
        assertFalse(Files.exists(repo.resolve("a.txt")));
        assertFalse(Files.exists(repo.resolve("src/main.py")));
        // The anchor picks the second 'return 1', under def g().
        assertEquals(
                "def f():\n    return 1\n\ndef g():\n    return 2\n", Files.readString(repo.resolve("src/renamed.py")));
    }

    @Test
    void endOfFileHunkAppendsAtTheEnd() throws IOException {
        McpSchema.CallToolResult r =
                apply("*** Begin Patch\n*** Update File: a.txt\n@@\n three\n+four\n*** End of File\n*** End Patch\n");
        assertFalse(r.isError(), text(r));
        assertEquals("one\ntwo\nthree\nfour\n", Files.readString(repo.resolve("a.txt")));
    }

    @Test
    void crlfFilesKeepTheirLineEndings() throws IOException {
        Files.writeString(repo.resolve("win.txt"), "a\r\nb\r\nc\r\n");
        McpSchema.CallToolResult r = apply("*** Begin Patch\n*** Update File: win.txt\n a\n-b\n+B\n*** End Patch");
        assertFalse(r.isError(), text(r));
        assertEquals("a\r\nB\r\nc\r\n", Files.readString(repo.resolve("win.txt")));
    }

    @Test
    void fuzzyLevelsStillApply() throws IOException {
        Files.writeString(repo.resolve("q.txt"), "  say \u201Chi\u201D  \nend\n");
        McpSchema.CallToolResult r =
                apply("*** Begin Patch\n*** Update File: q.txt\n-say \"hi\"\n+say \"bye\"\n end\n*** End Patch");
        assertFalse(r.isError(), text(r));
        assertEquals("say \"bye\"\nend\n", Files.readString(repo.resolve("q.txt")));
    }

    @Test
    void aFailingHunkLeavesTheTreeByteIdentical() throws IOException {
        Files.write(repo.resolve("bin.dat"), new byte[] {0, 1, 2, (byte) 0xff});
        Map<String, String> before = snapshot(tmp);
        McpSchema.CallToolResult r = apply("""
                *** Begin Patch
                *** Add File: created.txt
                +should not appear
                *** Update File: a.txt
                @@
                -one
                +ONE
                *** Delete File: src/main.py
                *** Update File: a.txt
                @@
                 two
                -not in the file
                +x
                *** End Patch
                """);
        assertTrue(r.isError());
        String msg = text(r);
        assertTrue(
                msg.contains("hunk 1 of 'a.txt'")
                        && msg.contains("'not in the file'")
                        && msg.contains("line 2 of the hunk"),
                msg);
        assertTrue(msg.contains("no file was changed"), msg);
        assertEquals(before, snapshot(tmp));
    }

    @Test
    void aMissingFileFailsTheWholePatch() throws IOException {
        Map<String, String> before = snapshot(tmp);
        McpSchema.CallToolResult r =
                apply("*** Begin Patch\n*** Add File: b.txt\n+b\n*** Delete File: nope.txt\n*** End Patch");
        assertTrue(r.isError());
        assertTrue(text(r).contains("nope.txt") && text(r).contains("no such file"), text(r));
        assertEquals(before, snapshot(tmp));
    }

    @Test
    void aWriteFailureMidwayRollsBackEarlierWrites() throws IOException {
        // 'blocker' is a file, so creating 'blocker/x.txt' fails after a.txt was already written.
        Files.writeString(repo.resolve("blocker"), "file\n");
        Map<String, String> before = snapshot(tmp);
        McpSchema.CallToolResult r = apply(
                "*** Begin Patch\n*** Update File: a.txt\n-one\n+uno\n*** Add File: blocker/x.txt\n+x\n*** End Patch");
        assertTrue(r.isError(), text(r));
        assertTrue(text(r).contains("no file was changed"), text(r));
        assertEquals(before, snapshot(tmp));
    }

    @Test
    void escapesAreRefusedUnderNever() throws IOException {
        Map<String, String> before = snapshot(tmp);
        Files.createSymbolicLink(repo.resolve("link"), outside);
        before = snapshot(tmp);
        for (String path : new String[] {
            "../outside/secret.txt", outside.resolve("secret.txt").toString(), "link/secret.txt", ".git/config"
        }) {
            String op = path.endsWith("config")
                    ? "*** Add File: " + path + "\n+x\n"
                    : "*** Update File: " + path + "\n-keep me\n+pwned\n";
            McpSchema.CallToolResult r = apply("*** Begin Patch\n" + op + "*** End Patch");
            assertTrue(r.isError(), path);
            assertTrue(text(r).startsWith("denied: apply_patch writes outside the writable roots"), text(r));
            assertTrue(text(r).contains("approval_policy never"), text(r));
        }
        assertEquals(before, snapshot(tmp));
        assertEquals("keep me\n", Files.readString(outside.resolve("secret.txt")));
    }

    /**
     * A process that swaps a directory inside the root for a symlink to the outside while patches run must never get
     * a file written outside (trial 28a #3: 3 of 600 patches landed outside). Before writes walked the checked real
     * path without following symlinks, this failed on every run (see the report of branch race28).
     */
    @Test
    void aDirectorySwappedForASymlinkDuringPatchesNeverLetsAWriteOut() throws Exception {
        Path real = Files.createDirectory(repo.resolve("real"));
        Path hold = repo.resolve("real.hold");
        Files.writeString(real.resolve("keep.txt"), "one\n");
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread swapper = new Thread(() -> {
            while (!stop.get()) {
                try {
                    Files.move(real, hold);
                    Files.createSymbolicLink(real, outside);
                    Files.delete(real);
                    Files.move(hold, real);
                } catch (IOException e) {
                    try {
                        if (Files.isSymbolicLink(real)) {
                            Files.delete(real);
                        }
                        if (Files.exists(hold) && Files.isDirectory(real, LinkOption.NOFOLLOW_LINKS)) {
                            // a patch re-created the directory while it was away: drop that copy
                            try (Stream<Path> walk = Files.walk(real)) {
                                for (Path p :
                                        walk.sorted(Comparator.reverseOrder()).toList()) {
                                    Files.delete(p);
                                }
                            }
                        }
                        if (Files.exists(hold)) {
                            Files.move(hold, real);
                        }
                    } catch (IOException ignored) {
                        // next round
                    }
                }
            }
        });
        swapper.setDaemon(true);
        swapper.start();
        try {
            for (int i = 0; i < 6000; i++) {
                String op = i % 2 == 0
                        ? "*** Add File: real/ap-" + i + ".txt\n+x\n"
                        : "*** Add File: real/d-" + i + "/new.txt\n+x\n";
                McpSchema.CallToolResult r = apply("*** Begin Patch\n" + op + "*** End Patch");
                if (r.isError() && text(r).startsWith("denied")) {
                    assertTrue(text(r).startsWith("denied: apply_patch writes outside the writable roots"), text(r));
                }
            }
        } finally {
            stop.set(true);
            swapper.join();
        }
        try (Stream<Path> listed = Files.list(outside)) {
            assertEquals(
                    java.util.List.of("secret.txt"),
                    listed.map(f -> f.getFileName().toString()).toList());
        }
        assertEquals("keep me\n", Files.readString(outside.resolve("secret.txt")));
    }

    @Test
    void aNewFileThroughASymlinkedDirectoryIsRefused() throws IOException {
        Files.createSymbolicLink(repo.resolve("out"), outside);
        McpSchema.CallToolResult r = apply("*** Begin Patch\n*** Add File: out/deep/new.txt\n+x\n*** End Patch");
        assertTrue(r.isError());
        assertFalse(Files.exists(outside.resolve("deep")));
    }

    @Test
    void insideWritableRootsNeedsNoApprovalUnderOnRequest() throws IOException {
        ScriptedApprover approver = new ScriptedApprover(ApprovalDecision.DENIED);
        McpSchema.CallToolResult r = apply(
                config(repo, SandboxMode.WORKSPACE_WRITE, ApprovalPolicy.ON_REQUEST),
                approver,
                "*** Begin Patch\n*** Add File: x.txt\n+x\n*** End Patch");
        assertFalse(r.isError(), text(r));
        assertTrue(approver.asked.isEmpty());
    }

    @Test
    void aHeredocWrappedInputIsAppliedAsCodexDoes() throws IOException {
        McpSchema.CallToolResult r =
                apply("apply_patch <<'EOF'\n*** Begin Patch\n*** Add File: h.txt\n+hi\n*** End Patch\nEOF\n");
        assertFalse(r.isError(), text(r));
        assertEquals("Success. Updated the following files:\nA h.txt", text(r));
        assertEquals("hi\n", Files.readString(repo.resolve("h.txt")));
        McpSchema.CallToolResult bare = apply("<<'EOF'\n*** Begin Patch\n*** Delete File: h.txt\n*** End Patch\nEOF");
        assertFalse(bare.isError(), text(bare));
        assertFalse(Files.exists(repo.resolve("h.txt")));
    }

    @Test
    void untrustedAsksForEveryPatchEvenInsideTheRoots() throws IOException {
        String patch = "*** Begin Patch\n*** Add File: x.txt\n+x\n*** End Patch";
        for (SandboxMode mode : new SandboxMode[] {SandboxMode.WORKSPACE_WRITE, SandboxMode.DANGER_FULL_ACCESS}) {
            ScriptedApprover deny = new ScriptedApprover(ApprovalDecision.DENIED);
            McpSchema.CallToolResult r = apply(config(repo, mode, ApprovalPolicy.UNTRUSTED), deny, patch);
            assertTrue(
                    r.isError() && text(r).startsWith("denied: apply_patch") && text(r).contains("untrusted"), text(r));
            assertEquals(1, deny.asked.size(), mode.toString());
            assertTrue(
                    deny.asked.get(0).message().startsWith("Apply this patch?"),
                    deny.asked.get(0).message());
            assertTrue(
                    deny.asked.get(0).message().contains("+x"),
                    deny.asked.get(0).message());
            assertFalse(Files.exists(repo.resolve("x.txt")), "a denied patch changes nothing");
        }
        ScriptedApprover approve = new ScriptedApprover(ApprovalDecision.APPROVED);
        McpSchema.CallToolResult r =
                apply(config(repo, SandboxMode.WORKSPACE_WRITE, ApprovalPolicy.UNTRUSTED), approve, patch);
        assertFalse(r.isError(), text(r));
        assertEquals(1, approve.asked.size());
        assertTrue(Files.exists(repo.resolve("x.txt")));
    }

    @Test
    void onFailureAndNeverWriteInsideTheRootsWithoutAsking() throws IOException {
        for (ApprovalPolicy policy : new ApprovalPolicy[] {ApprovalPolicy.ON_FAILURE, ApprovalPolicy.NEVER}) {
            ScriptedApprover approver = new ScriptedApprover(ApprovalDecision.DENIED);
            McpSchema.CallToolResult r = apply(
                    config(repo, SandboxMode.WORKSPACE_WRITE, policy),
                    approver,
                    "*** Begin Patch\n*** Add File: " + policy.wireName() + ".txt\n+x\n*** End Patch");
            assertFalse(r.isError(), text(r));
            assertTrue(approver.asked.isEmpty(), policy.wireName());
        }
    }

    @Test
    void outsideTheRootsAsksAndAppliesWhenApproved() throws IOException {
        ScriptedApprover approver = new ScriptedApprover(ApprovalDecision.APPROVED);
        McpSchema.CallToolResult r = apply(
                config(repo, SandboxMode.WORKSPACE_WRITE, ApprovalPolicy.UNTRUSTED),
                approver,
                "*** Begin Patch\n*** Update File: ../outside/secret.txt\n-keep me\n+changed\n*** End Patch");
        assertFalse(r.isError(), text(r));
        assertEquals(1, approver.asked.size());
        assertTrue(
                approver.asked.get(0).message().contains("secret.txt"),
                approver.asked.get(0).message());
        assertEquals("changed\n", Files.readString(outside.resolve("secret.txt")));
    }

    @Test
    void outsideTheRootsDeniedChangesNothing() throws IOException {
        Map<String, String> before = snapshot(tmp);
        McpSchema.CallToolResult r = apply(
                config(repo, SandboxMode.WORKSPACE_WRITE, ApprovalPolicy.ON_REQUEST),
                new ScriptedApprover(ApprovalDecision.DENIED),
                "*** Begin Patch\n*** Update File: ../outside/secret.txt\n-keep me\n+changed\n*** End Patch");
        assertTrue(r.isError());
        assertTrue(text(r).startsWith("denied:") && text(r).contains("on-request"), text(r));
        assertEquals(before, snapshot(tmp));
    }

    @Test
    void readOnlyTreatsEveryWriteAsOutside() throws IOException {
        ScriptedApprover approver = new ScriptedApprover(ApprovalDecision.APPROVED_FOR_SESSION);
        ToolhostConfig cfg = config(repo, SandboxMode.READ_ONLY, ApprovalPolicy.ON_REQUEST);
        String patch = "*** Begin Patch\n*** Add File: x.txt\n+x\n*** End Patch";
        assertFalse(apply(cfg, approver, patch).isError());
        assertFalse(apply(cfg, approver, patch).isError());
        assertEquals(1, approver.asked.size(), "approved_for_session is remembered for the same patch");
    }

    @Test
    void aClientWithoutElicitationGetsAClearDenial() throws IOException {
        ToolhostConfig cfg = config(repo, SandboxMode.READ_ONLY, ApprovalPolicy.ON_REQUEST);
        ApplyPatchTool tool = new ApplyPatchTool(cfg, WritableRoots.from(cfg));
        McpSchema.CallToolResult r =
                run(tool, Map.of("input", "*** Begin Patch\n*** Add File: x.txt\n+x\n*** End Patch"), session, req -> {
                    throw new ApprovalUnavailableException("the client does not support elicitation; use -a never");
                });
        assertTrue(r.isError());
        assertTrue(text(r).contains("denied") && text(r).contains("elicitation"), text(r));
        assertFalse(Files.exists(repo.resolve("x.txt")));
    }

    @Test
    void dangerFullAccessWritesAnywhere() throws IOException {
        McpSchema.CallToolResult r = apply(
                config(repo, SandboxMode.DANGER_FULL_ACCESS, ApprovalPolicy.NEVER),
                new ScriptedApprover(ApprovalDecision.DENIED),
                "*** Begin Patch\n*** Update File: ../outside/secret.txt\n-keep me\n+free\n*** End Patch");
        assertFalse(r.isError(), text(r));
        assertArrayEquals("free\n".getBytes(), Files.readAllBytes(outside.resolve("secret.txt")));
    }

    @Test
    void extraWritableRootsAreWritable() throws IOException {
        McpSchema.CallToolResult r = apply(
                config(repo, SandboxMode.WORKSPACE_WRITE, ApprovalPolicy.NEVER, outside.toString()),
                new ScriptedApprover(ApprovalDecision.DENIED),
                "*** Begin Patch\n*** Update File: ../outside/secret.txt\n-keep me\n+ok\n*** End Patch");
        assertFalse(r.isError(), text(r));
    }
}
