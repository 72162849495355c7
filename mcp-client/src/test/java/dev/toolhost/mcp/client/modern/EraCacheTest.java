package dev.toolhost.mcp.client.modern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.config.McpServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EraCacheTest {
    @TempDir
    Path dir;

    @Test
    void verdictsAreKeptPerServerConfigurationAndForgotten() throws Exception {
        EraCache cache =
                new EraCache(dir.resolve("cache/eras.json"), Clock.fixed(Instant.ofEpochMilli(1234), ZoneOffset.UTC));
        McpServerConfig a = McpServerConfig.stdio("a", "node", List.of("a.js"));
        McpServerConfig sameCommandOtherName = McpServerConfig.stdio("renamed", "node", List.of("a.js"));
        McpServerConfig otherArgs = McpServerConfig.stdio("a", "node", List.of("b.js"));
        McpServerConfig http = McpServerConfig.http("h", "http://127.0.0.1:1/mcp");
        assertNull(cache.get(a));
        cache.put(a, "2026-07-28");
        cache.put(http, EraCache.LEGACY);
        assertEquals(new EraCache.Entry("2026-07-28", 1234), cache.get(a));
        assertTrue(cache.get(a).isModern());
        assertEquals(cache.get(a), cache.get(sameCommandOtherName), "the name does not change what the server is");
        assertNull(cache.get(otherArgs));
        assertFalse(cache.get(http).isModern());
        cache.forget(a);
        assertNull(cache.get(a));
        assertEquals(
                EraCache.LEGACY,
                new EraCache(dir.resolve("cache/eras.json"), Clock.systemUTC())
                        .get(http)
                        .era());
    }

    @Test
    void environmentValuesAreNeverStoredAndABrokenFileOnlyCostsAProbe() throws Exception {
        Path file = dir.resolve("eras.json");
        EraCache cache = new EraCache(file, Clock.systemUTC());
        McpServerConfig withSecret =
                McpServerConfig.stdio("s", "node", List.of()).withEnv(Map.of("API_KEY", "sekrit-value"));
        cache.put(withSecret, "2026-07-28");
        assertFalse(Files.readString(file).contains("sekrit"));
        Files.writeString(file, "{not json");
        assertNull(cache.get(withSecret));
        cache.put(withSecret, EraCache.LEGACY);
        assertEquals(EraCache.LEGACY, cache.get(withSecret).era());
    }
}
