package dev.toolhost.builtin.exec;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ShellCommandTest {
    private static final String PATH = "/usr/local/bin:/usr/bin:/bin:relative/bin:";

    @Test
    void bashZshAndShFromThePathAreStandardShells() {
        for (String shell : new String[] {null, "", "bash", "zsh", "sh", "/bin/bash", "/usr/bin/zsh", "/bin/sh"}) {
            assertTrue(ShellCommand.isStandardShell(shell, PATH), String.valueOf(shell));
        }
    }

    @Test
    void anyOtherProgramIsNot() {
        for (String shell : new String[] {
            "./anything",
            "./bash",
            "bin/bash",
            "relative/bin/bash",
            "/tmp/bash",
            "/bin/../tmp/bash",
            "/usr/bin/python3",
            "python3",
            "/bin/bash --rcfile x",
            "bash\u0000",
            "fish"
        }) {
            assertFalse(ShellCommand.isStandardShell(shell, PATH), shell);
        }
        assertFalse(ShellCommand.isStandardShell("/bin/bash", null), "no PATH: only bare names are looked up there");
    }
}
