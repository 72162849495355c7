package dev.toolhost.builtin.files;

import static dev.toolhost.builtin.TestSupport.run;
import static dev.toolhost.builtin.TestSupport.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.builtin.BuiltinTool;
import dev.toolhost.builtin.SessionState;
import dev.toolhost.builtin.TestSupport.ScriptedApprover;
import dev.toolhost.builtin.policy.ApprovalDecision;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileToolsTest {
    @TempDir
    Path dir;

    final SessionState session = new SessionState("s1");

    private McpSchema.CallToolResult call(BuiltinTool tool, Map<String, Object> args) {
        return run(tool, args, session, new ScriptedApprover(ApprovalDecision.DENIED));
    }

    @BeforeEach
    void setUp() throws IOException {
        Files.writeString(dir.resolve("a.txt"), "first\nsecond\nthird\n");
        Files.createDirectories(dir.resolve("src/pkg"));
        Files.writeString(dir.resolve("src/pkg/Main.java"), "class Main { // TODO fix\n}\n");
        Files.writeString(dir.resolve("src/notes.md"), "TODO: docs\n");
        Files.createDirectories(dir.resolve(".git"));
        Files.writeString(dir.resolve(".git/HEAD"), "TODO in git internals\n");
    }

    @Test
    void readFileNumbersLinesFromTheOffset() {
        McpSchema.CallToolResult r = call(new ReadFileTool(dir), Map.of("path", "a.txt", "offset", 2, "limit", 1));
        assertEquals("L2: second\n[... more lines follow; continue with offset=3]\n", text(r));
        assertEquals("L1: first\nL2: second\nL3: third\n", text(call(new ReadFileTool(dir), Map.of("path", "a.txt"))));
    }

    @Test
    void readFileErrorsNameTheProblem() throws IOException {
        Files.write(dir.resolve("blob.bin"), new byte[] {1, 0, 2});
        assertError(call(new ReadFileTool(dir), Map.of("path", "blob.bin")), "binary");
        assertError(call(new ReadFileTool(dir), Map.of("path", "missing.txt")), "does not exist");
        assertError(call(new ReadFileTool(dir), Map.of("path", "src")), "is a directory");
        assertError(call(new ReadFileTool(dir), Map.of("path", "a.txt", "offset", 9)), "past the end");
        assertError(call(new ReadFileTool(dir), Map.of("path", "a.txt", "offset", 0)), "'offset' must be at least 1");
        // Beyond a long's range: refused as it is, not wrapped into the range.
        assertError(
                call(
                        new ReadFileTool(dir),
                        Map.of("path", "a.txt", "limit", new java.math.BigInteger("99999999999999999999"))),
                "'limit' must be between 1 and 20000, got 99999999999999999999");
        assertError(
                call(new ReadFileTool(dir), Map.of()),
                "missing required argument 'path' (string) or its alias 'file_path'");
    }

    @Test
    void readFileStreamsAWindowOfALargeFile() throws IOException {
        Path big = dir.resolve("big.txt");
        try (BufferedWriter w = Files.newBufferedWriter(big)) {
            for (int i = 1; i <= 300_000; i++) {
                w.write("line " + i + "\n");
            }
        }
        McpSchema.CallToolResult r =
                call(new ReadFileTool(dir), Map.of("path", big.toString(), "offset", 150_000, "limit", 2));
        assertEquals(
                "L150000: line 150000\nL150001: line 150001\n[... more lines follow; continue with offset=150002]\n",
                text(r));
    }

    @Test
    void readFileCutsVeryLongLines() throws IOException {
        Files.writeString(dir.resolve("long.txt"), "x".repeat(2000) + "\n");
        String t = text(call(new ReadFileTool(dir), Map.of("path", "long.txt")));
        assertTrue(t.startsWith("L1: " + "x".repeat(500) + " [... line cut at 500 characters]"), t);
    }

    @Test
    void listDirShowsATreeWithMarkers() throws IOException {
        Files.createSymbolicLink(dir.resolve("link"), dir.resolve("a.txt"));
        String t = text(call(new ListDirTool(dir), Map.of("depth", 2)));
        assertEquals("Absolute path: " + dir + "\n.git/\n  HEAD\na.txt\nlink@\nsrc/\n  notes.md\n  pkg/\n", t);
        String limited = text(call(new ListDirTool(dir), Map.of("depth", 3, "limit", 3)));
        assertTrue(
                limited.endsWith(
                        "[... more than 3 entries; raise limit or offset, lower depth or list a subdirectory]\n"),
                limited);
        // Codex's offset: the listing from its 4th entry on (entries of skipped directories count too).
        assertEquals(
                "Absolute path: " + dir + "\nlink@\nsrc/\n  notes.md\n  pkg/\n",
                text(call(new ListDirTool(dir), Map.of("depth", 2, "offset", 4))));
        assertEquals(
                "Absolute path: " + dir + "\n(no entries from offset 99)\n",
                text(call(new ListDirTool(dir), Map.of("offset", 99))));
        assertError(call(new ListDirTool(dir), Map.of("path", "a.txt")), "not a directory");
    }

    @Test
    void grepFilesSortsByModificationTimeAndSkipsGit() throws IOException {
        Files.setLastModifiedTime(dir.resolve("src/pkg/Main.java"), FileTime.fromMillis(1_000_000));
        Files.setLastModifiedTime(dir.resolve("src/notes.md"), FileTime.fromMillis(2_000_000));
        String t = text(call(new GrepFilesTool(dir), Map.of("pattern", "TODO")));
        assertEquals(dir.resolve("src/notes.md") + "\n" + dir.resolve("src/pkg/Main.java") + "\n", t);
        assertEquals(
                dir.resolve("src/pkg/Main.java") + "\n",
                text(call(new GrepFilesTool(dir), Map.of("pattern", "TO+DO", "include", "*.java"))));
        assertEquals(
                dir.resolve("src/notes.md") + "\n[... 1 more files matched; raise limit or narrow the search]\n",
                text(call(new GrepFilesTool(dir), Map.of("pattern", "TODO", "limit", 1))));
        assertTrue(text(call(new GrepFilesTool(dir), Map.of("pattern", "nothing-like-this")))
                .startsWith("No files matched"));
        assertError(
                call(new GrepFilesTool(dir), Map.of("pattern", "(unclosed")), "invalid regular expression '(unclosed'");
    }

    @Test
    void updatePlanKeepsThePlanPerSession() {
        UpdatePlanTool tool = new UpdatePlanTool();
        McpSchema.CallToolResult r = call(
                tool,
                Map.of(
                        "explanation",
                        "start",
                        "plan",
                        List.of(
                                Map.of("step", "read code", "status", "completed"),
                                Map.of("step", "write fix", "status", "in_progress"),
                                Map.of("step", "run tests", "status", "pending"))));
        assertEquals("Plan updated: start\n[x] read code\n[>] write fix\n[ ] run tests\n", text(r));
        assertEquals(3, ((List<?>) ((Map<?, ?>) r.structuredContent()).get("plan")).size());
        assertTrue(text(call(tool, Map.of())).startsWith("Current plan: start\n[x] read code"));
        assertTrue(text(run(tool, Map.of(), new SessionState("other"), null)).contains("(no steps)"));
        assertError(
                call(
                        tool,
                        Map.of(
                                "plan",
                                List.of(
                                        Map.of("step", "a", "status", "in_progress"),
                                        Map.of("step", "b", "status", "in_progress")))),
                "at most one step may be in_progress");
        assertError(call(tool, Map.of("plan", List.of(Map.of("step", "a", "status", "done")))), "plan[0].status");
    }

    @Test
    void viewImageReturnsImageContentByMagicBytes() throws IOException {
        byte[] png = Base64.getDecoder()
                .decode(
                        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");
        Files.write(dir.resolve("pixel.dat"), png);
        McpSchema.CallToolResult r = call(new ViewImageTool(dir), Map.of("path", "pixel.dat"));
        assertFalse(r.isError());
        McpSchema.ImageContent img =
                assertInstanceOf(McpSchema.ImageContent.class, r.content().get(0));
        assertEquals("image/png", img.mimeType());
        assertEquals(Base64.getEncoder().encodeToString(png), img.data());
        assertError(call(new ViewImageTool(dir), Map.of("path", "a.txt")), "not a PNG, JPEG, GIF or WebP");
    }

    private static void assertError(McpSchema.CallToolResult r, String expected) {
        assertTrue(r.isError(), "expected an error containing '" + expected + "'");
        assertTrue(text(r).contains(expected), text(r));
    }
}
