package dev.toolhost.exec.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.toolhost.config.ShellEnvironmentPolicy;
import dev.toolhost.config.ShellEnvironmentPolicy.Inherit;
import dev.toolhost.exec.ChildEnvironment;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChildEnvironmentTest {
    private static final Map<String, String> PARENT = Map.of(
            "PATH",
            "/bin",
            "HOME",
            "/h",
            "OPENAI_API_KEY",
            "k",
            "GH_TOKEN",
            "t",
            "db_secret",
            "s",
            "EDITOR",
            "vi",
            "LANG",
            "C");

    @Test
    void allDropsSecretsByDefault() {
        assertEquals(
                Map.of("PATH", "/bin", "HOME", "/h", "EDITOR", "vi", "LANG", "C"),
                ChildEnvironment.build(ShellEnvironmentPolicy.defaults(), PARENT));
    }

    @Test
    void ignoreDefaultExcludesKeepsEverything() {
        var p = new ShellEnvironmentPolicy(Inherit.ALL, true, List.of(), List.of(), Map.of());
        assertEquals(PARENT, ChildEnvironment.build(p, PARENT));
    }

    @Test
    void coreKeepsOnlyCoreVariablesThenSetApplies() {
        var p = new ShellEnvironmentPolicy(Inherit.CORE, false, List.of(), List.of(), Map.of("X", "1"));
        assertEquals(Map.of("PATH", "/bin", "HOME", "/h", "X", "1"), ChildEnvironment.build(p, PARENT));
    }

    @Test
    void excludeGlobsAreCaseInsensitiveAndIncludeOnlyFiltersLast() {
        var p = new ShellEnvironmentPolicy(
                Inherit.ALL, false, List.of("ed*"), List.of("PA?H", "Y*"), Map.of("YES", "1", "NO", "0"));
        assertEquals(Map.of("PATH", "/bin", "YES", "1"), ChildEnvironment.build(p, PARENT));
    }

    @Test
    void noneStartsEmpty() {
        var p = new ShellEnvironmentPolicy(Inherit.NONE, false, List.of(), List.of(), Map.of("A", "b"));
        assertEquals(Map.of("A", "b"), ChildEnvironment.build(p, PARENT));
    }
}
