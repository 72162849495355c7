package dev.toolhost.it.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.it.Peers;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code toolhost call} checks a server's tool arguments against the whole JSON Schema the server published (here
 * the conformance fixture's 2020-12 schema with {@code $ref}, {@code allOf}/{@code anyOf} and {@code if}/{@code then}),
 * before the server sees the call.
 */
class CallArgumentsTest {
    private static final String TOOL = "mcp__fixture__json_schema_2020_12_tool";

    @TempDir
    Path home;

    @BeforeEach
    void config() throws IOException {
        Peers.writeFixtureConfig(home);
    }

    @Test
    void argumentsAreCheckedAgainstTheWholeSchemaNamingEachField() throws Exception {
        Peers.Run bad = Peers.run(
                home,
                "call",
                TOOL,
                "{\"name\":\"Ada\",\"contactMethod\":\"phone\",\"address\":{\"city\":5},\"fax\":\"1\"}");
        assertEquals(2, bad.code(), bad.err());
        assertTrue(bad.err().contains("invalid arguments for " + TOOL + ":"), bad.err());
        assertTrue(bad.err().contains("\n  phone: required field is missing"), bad.err());
        assertTrue(bad.err().contains("\n  address.city: expected a string, got a number (5)"), bad.err());
        assertTrue(
                bad.err().contains("\n  fax: unknown field (allowed: [name, address, contactMethod, phone, email])"),
                bad.err());
        assertEquals("", bad.out());

        Peers.Run good =
                Peers.run(home, "call", TOOL, "{\"name\":\"Ada\",\"contactMethod\":\"phone\",\"phone\":\"555\"}");
        assertEquals(0, good.code(), good.err());
        assertTrue(good.out().contains("\"phone\":\"555\""), good.out());
    }
}
