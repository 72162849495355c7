package dev.toolhost.builtin.patch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PatchParserTest {

    @Test
    void parsesEveryKindOfOperation() throws PatchException {
        Patch p = PatchParser.parse("""
                *** Begin Patch
                *** Add File: new.txt
                +hello
                +world
                *** Delete File: old.txt
                *** Update File: src/a.txt
                *** Move to: src/b.txt
                @@ def f():
                 keep
                -old
                +new
                @@
                 last
                +appended
                *** End of File
                *** End Patch
                """);
        assertEquals(3, p.ops().size());
        Patch.AddFile add = assertInstanceOf(Patch.AddFile.class, p.ops().get(0));
        assertEquals("new.txt", add.path());
        assertEquals("hello\nworld\n", add.contents());
        assertEquals(
                "old.txt",
                assertInstanceOf(Patch.DeleteFile.class, p.ops().get(1)).path());
        Patch.UpdateFile upd = assertInstanceOf(Patch.UpdateFile.class, p.ops().get(2));
        assertEquals("src/b.txt", upd.moveTo());
        assertEquals(2, upd.chunks().size());
        Patch.Chunk first = upd.chunks().get(0);
        assertEquals("def f():", first.anchor());
        assertEquals(List.of("keep", "old"), first.oldLines());
        assertEquals(List.of("keep", "new"), first.newLines());
        Patch.Chunk second = upd.chunks().get(1);
        assertNull(second.anchor());
        assertTrue(second.endOfFile());
        assertEquals(List.of("last", "appended"), second.newLines());
    }

    @Test
    void firstHunkMayOmitTheAtAtLine() throws PatchException {
        Patch p = PatchParser.parse("*** Begin Patch\n*** Update File: a\n-x\n+y\n*** End Patch");
        Patch.UpdateFile upd = (Patch.UpdateFile) p.ops().get(0);
        assertEquals(List.of("x"), upd.chunks().get(0).oldLines());
    }

    @Test
    void rejectsAMissingBeginOrEnd() {
        PatchException noBegin =
                assertThrows(PatchException.class, () -> PatchParser.parse("*** Add File: a\n+x\n*** End Patch"));
        assertTrue(noBegin.getMessage().contains("*** Begin Patch"), noBegin.getMessage());
        PatchException noEnd =
                assertThrows(PatchException.class, () -> PatchParser.parse("*** Begin Patch\n*** Add File: a\n+x\n"));
        assertTrue(noEnd.getMessage().contains("*** End Patch"), noEnd.getMessage());
    }

    @Test
    void namesTheLineOfAnUnknownHeader() {
        PatchException e = assertThrows(
                PatchException.class,
                () -> PatchParser.parse("*** Begin Patch\n*** Frobnicate File: a\n*** End Patch"));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
        assertTrue(e.getMessage().contains("Frobnicate"), e.getMessage());
    }

    @Test
    void addedLinesMustStartWithPlus() {
        PatchException e = assertThrows(
                PatchException.class,
                () -> PatchParser.parse("*** Begin Patch\n*** Add File: a.txt\n+ok\noops\n*** End Patch"));
        assertTrue(e.getMessage().contains("line 4") && e.getMessage().contains("a.txt"), e.getMessage());
    }

    @Test
    void anUpdateWithoutHunksIsAnError() {
        PatchException e = assertThrows(
                PatchException.class,
                () -> PatchParser.parse("*** Begin Patch\n*** Update File: a.txt\n*** End Patch"));
        assertTrue(e.getMessage().contains("a.txt") && e.getMessage().contains("no hunks"), e.getMessage());
    }

    @Test
    void aBadHunkLineNamesFileHunkAndLine() {
        PatchException e = assertThrows(
                PatchException.class,
                () -> PatchParser.parse("*** Begin Patch\n*** Update File: a.txt\n@@\n x\n?y\n*** End Patch"));
        assertTrue(
                e.getMessage().contains("line 5")
                        && e.getMessage().contains("hunk 1")
                        && e.getMessage().contains("a.txt"),
                e.getMessage());
    }
}
