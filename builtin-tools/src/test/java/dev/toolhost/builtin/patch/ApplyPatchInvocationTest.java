package dev.toolhost.builtin.patch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class ApplyPatchInvocationTest {
    private static final String PATCH = "*** Begin Patch\n*** Add File: a.txt\n+hi\n*** End Patch";

    @Test
    void recognisesTheHeredocFormsCodexRecognises() {
        for (String script : new String[] {
            "apply_patch <<'EOF'\n" + PATCH + "\nEOF",
            "apply_patch <<'EOF'\n" + PATCH + "\nEOF\n",
            "applypatch <<EOF\n" + PATCH + "\nEOF",
            "apply_patch <<\"PATCH\"\n" + PATCH + "\nPATCH\n\n",
            "  apply_patch << 'EOF'  \n" + PATCH + "\nEOF",
        }) {
            ApplyPatchInvocation.ShellForm form = ApplyPatchInvocation.fromShellScript(script);
            assertEquals(new ApplyPatchInvocation.ShellForm(PATCH, null), form, script);
        }
        assertEquals(
                new ApplyPatchInvocation.ShellForm(PATCH, "sub/dir"),
                ApplyPatchInvocation.fromShellScript("cd sub/dir && apply_patch <<'EOF'\n" + PATCH + "\nEOF"));
        assertEquals(
                "a b",
                ApplyPatchInvocation.fromShellScript("cd 'a b' && apply_patch <<'EOF'\n" + PATCH + "\nEOF")
                        .cd());
        assertEquals(
                "a b",
                ApplyPatchInvocation.fromShellScript("cd \"a b\" && apply_patch <<EOF\n" + PATCH + "\nEOF")
                        .cd());
        assertEquals(
                PATCH,
                ApplyPatchInvocation.fromShellScript("apply_patch <<-EOF\n" + PATCH + "\n\t\tEOF")
                        .patch(),
                "<<- ends at the delimiter after leading tabs");
        assertEquals(
                PATCH + "\n  +indented",
                ApplyPatchInvocation.fromShellScript(
                                "apply_patch <<-EOF\n\t" + PATCH.replace("\n", "\n\t\t") + "\n\t  +indented\n\tEOF")
                        .patch(),
                "<<- strips every body line's leading tabs, and only tabs");
        assertEquals(
                "\t" + PATCH,
                ApplyPatchInvocation.fromShellScript("apply_patch <<EOF\n\t" + PATCH + "\nEOF")
                        .patch(),
                "<< keeps them");
        assertEquals(
                "~",
                ApplyPatchInvocation.fromShellScript("cd '~' && apply_patch <<'EOF'\n" + PATCH + "\nEOF")
                        .cd(),
                "a quoted ~ is a directory named ~");
        assertEquals(
                "a~b",
                ApplyPatchInvocation.fromShellScript("cd a~b && apply_patch <<'EOF'\n" + PATCH + "\nEOF")
                        .cd());
    }

    @Test
    void anythingElseIsAnOrdinaryCommand() {
        for (String script : new String[] {
            "ls",
            "apply_patch",
            "apply_patch < patch.txt",
            "echo hi; apply_patch <<'EOF'\n" + PATCH + "\nEOF",
            "apply_patch <<'EOF'\n" + PATCH + "\nEOF\necho done",
            "apply_patch <<'EOF'\n" + PATCH + "\nEOF && echo done",
            "apply_patch <<'EOF'\n*** Begin Patch\nEOF\nrm -rf x\nEOF",
            "apply_patch <<'EOF'\n" + PATCH,
            "apply_patch <<'EOF' && rm x\n" + PATCH + "\nEOF",
            "cd a b && apply_patch <<'EOF'\n" + PATCH + "\nEOF",
            "cd a || apply_patch <<'EOF'\n" + PATCH + "\nEOF",
            "cd $HOME && apply_patch <<'EOF'\n" + PATCH + "\nEOF",
            "cd -P a && apply_patch <<'EOF'\n" + PATCH + "\nEOF",
            "cd ~ && apply_patch <<'EOF'\n" + PATCH + "\nEOF",
            "cd ~/src && apply_patch <<'EOF'\n" + PATCH + "\nEOF",
            "cd ~other/src && apply_patch <<'EOF'\n" + PATCH + "\nEOF",
            "cd - && apply_patch <<'EOF'\n" + PATCH + "\nEOF",
            "apply_patch <<'EOF'\n" + PATCH + "\n EOF",
            "other <<'EOF'\n" + PATCH + "\nEOF",
            "apply_patch x <<'EOF'\n" + PATCH + "\nEOF",
        }) {
            assertNull(ApplyPatchInvocation.fromShellScript(script), script);
        }
    }

    @Test
    void aHeredocWrapperAroundTheToolInputIsStripped() {
        assertEquals(PATCH, ApplyPatchInvocation.stripHeredoc("<<'EOF'\n" + PATCH + "\nEOF\n"));
        assertEquals(PATCH, ApplyPatchInvocation.stripHeredoc("<<EOF\n" + PATCH + "\nEOF"));
        assertEquals(PATCH, ApplyPatchInvocation.stripHeredoc("<<\"EOF\"\n" + PATCH + "\nEOF"));
        assertEquals(PATCH, ApplyPatchInvocation.stripHeredoc("apply_patch <<'EOF'\n" + PATCH + "\nEOF"));
        assertEquals(PATCH, ApplyPatchInvocation.stripHeredoc(PATCH), "a plain patch is left as it is");
        String notAWrapper = "<<'EOF'\n" + PATCH + "\nEND";
        assertEquals(notAWrapper, ApplyPatchInvocation.stripHeredoc(notAWrapper));
        String withCd = "cd x && apply_patch <<'EOF'\n" + PATCH + "\nEOF";
        assertEquals(withCd, ApplyPatchInvocation.stripHeredoc(withCd), "a cd belongs in exec_command, not in input");
    }
}
