package dev.toolhost.it.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.config.McpServerConfig;
import dev.toolhost.it.Peers;
import dev.toolhost.mcp.client.CallContext;
import dev.toolhost.mcp.client.McpHub;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13 section 2: roots never widen what a server may touch. server-filesystem replaces its configured
 * directories with the client's roots, so Toolhost offers none unless {@code roots} lists them.
 */
class HubRootsTest {
    @TempDir
    Path dir;

    private McpSchema.CallToolResult call(McpHub hub, String tool, Map<String, Object> args) throws Exception {
        return hub.call(tool, args, CallContext.none()).get(60, TimeUnit.SECONDS);
    }

    private McpServerConfig filesystem(Path allowed) {
        return Servers.stdio("fs", Peers.bin("mcp-server-filesystem").toString(), List.of(allowed.toString()));
    }

    @Test
    void startedElsewhereTheServerKeepsItsConfiguredDirectory() throws Exception {
        Path allowed = Files.createDirectories(dir.resolve("data"));
        Files.writeString(allowed.resolve("inside.txt"), "inside");
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Files.writeString(elsewhere.resolve("outside.txt"), "outside");
        // Toolhost runs in the parent of both: as a root, that would open everything below it.
        try (McpHub hub = McpHub.builder()
                .logDirectory(dir)
                .workingDirectory(dir)
                .server(filesystem(allowed))
                .build()) {
            assertEquals(
                    "inside",
                    Servers.text(call(
                            hub,
                            "mcp__fs__read_text_file",
                            Map.of("path", allowed.resolve("inside.txt").toString()))));
            McpSchema.CallToolResult outside = call(
                    hub,
                    "mcp__fs__read_text_file",
                    Map.of("path", elsewhere.resolve("outside.txt").toString()));
            assertEquals(Boolean.TRUE, outside.isError(), Servers.text(outside));
            assertTrue(Servers.text(outside).contains("Access denied"), Servers.text(outside));
            assertEquals(List.of(allowed.toRealPath().toString()), allowedDirectories(hub));
        }
    }

    @Test
    void configuredRootsAreExactlyWhatTheServerSees() throws Exception {
        Path allowed = Files.createDirectories(dir.resolve("data"));
        Path root = Files.createDirectories(dir.resolve("shared"));
        Files.writeString(root.resolve("r.txt"), "from the root");
        try (McpHub hub = McpHub.builder()
                .logDirectory(dir)
                .workingDirectory(dir)
                .server(filesystem(allowed).withRoots(List.of(root)))
                .build()) {
            // The server asks for the roots after initialization; wait for it to apply them.
            org.awaitility.Awaitility.await()
                    .atMost(Duration.ofSeconds(20))
                    .until(() -> allowedDirectories(hub)
                            .equals(List.of(root.toRealPath().toString())));
            assertEquals(
                    "from the root",
                    Servers.text(call(
                            hub,
                            "mcp__fs__read_text_file",
                            Map.of("path", root.resolve("r.txt").toString()))));
            McpSchema.CallToolResult parent = call(hub, "mcp__fs__list_directory", Map.of("path", dir.toString()));
            assertEquals(Boolean.TRUE, parent.isError(), Servers.text(parent));
        }
    }

    private List<String> allowedDirectories(McpHub hub) throws Exception {
        String text = Servers.text(call(hub, "mcp__fs__list_allowed_directories", Map.of()));
        assertFalse(text.isBlank());
        return text.lines().skip(1).map(String::trim).filter(l -> !l.isEmpty()).toList();
    }
}
