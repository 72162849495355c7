package dev.toolhost.mcp.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

class ToolNamesTest {

    @Test
    void qualifiesWithServerAndTool() {
        assertEquals("mcp__fs__read_file", ToolNames.qualify("fs", "read_file"));
    }

    @Test
    void replacesCharactersOutsideTheAllowedSet() {
        assertEquals("mcp__my_server__get_weather_v2", ToolNames.qualify("my.server", "get weather/v2"));
        assertEquals("a-b_c", ToolNames.sanitize("a-b_c"));
        assertEquals("__", ToolNames.sanitize("é!"));
    }

    @Test
    void longNamesAreCutToSixtyFourAndEndWithAStableHash() {
        String tool = "a_really_long_tool_name_that_goes_on_and_on_and_on_forever_and_ever";
        String name = ToolNames.qualify("server", tool);
        assertEquals(64, name.length());
        assertTrue(name.matches("^[a-zA-Z0-9_-]+$"), name);
        assertTrue(name.startsWith("mcp__server__a_really_long"), name);
        assertTrue(name.matches(".*_[0-9a-f]{12}$"), name);
        assertEquals(name, ToolNames.qualify("server", tool), "stable across calls");
        assertNotEquals(name, ToolNames.qualify("server", tool + "2"), "different full names, different hashes");
    }

    @Test
    void nameOfExactlySixtyFourIsKept() {
        String tool = "x".repeat(64 - "mcp__s__".length());
        assertEquals("mcp__s__" + tool, ToolNames.qualify("s", tool));
    }

    @Test
    void takenNameGetsTheHashedForm() {
        String first = ToolNames.qualify("a.b", "t");
        String second = ToolNames.qualifyUnique("a_b", "t", Set.of(first));
        assertEquals("mcp__a_b__t", first);
        assertNotEquals(first, second);
        assertTrue(second.startsWith("mcp__a_b__t_"), second);
        assertTrue(second.length() <= 64);
    }

    @Test
    void theSameRawNameTwiceIsRefused() {
        String first = ToolNames.qualify("s", "t");
        String hashed = ToolNames.qualifyUnique("s", "t", Set.of(first));
        assertNull(ToolNames.qualifyUnique("s", "t", Set.of(first, hashed)));
    }
}
