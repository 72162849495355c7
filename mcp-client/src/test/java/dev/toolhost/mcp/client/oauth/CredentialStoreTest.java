package dev.toolhost.mcp.client.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialStoreTest {
    @TempDir
    Path dir;

    @Test
    void entriesAreOwnerOnlyAndBoundToTheServerUrl() throws Exception {
        Path file = dir.resolve("mcp-credentials.json");
        Files.writeString(file, "{\"version\":1,\"servers\":{}}");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        CredentialStore store = new CredentialStore(file);
        CredentialStore.Tokens t = new CredentialStore.Tokens(
                "https://as.example.com",
                "at",
                "rt",
                100L,
                200L,
                List.of("a"),
                "https://as.example.com/token",
                "https://api.example.com/mcp");
        store.update(
                "s",
                "https://api.example.com/mcp",
                e -> e.withClient(
                                "https://as.example.com",
                                new CredentialStore.Client("cid", null, "none", "http://127.0.0.1:1/callback"))
                        .withTokens(t));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(
                t, store.load("s", "https://api.example.com/mcp").orElseThrow().tokens());
        assertTrue(store.load("s", "https://other.example.com/mcp").isEmpty(), "tokens must not follow a new URL");
        assertTrue(store.remove("s"));
        assertFalse(store.remove("s"));
    }

    @Test
    void twoStoresOfOneProcessDoNotLoseEachOthersWrites() throws Exception {
        Path file = dir.resolve("mcp-credentials.json");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (String name : List.of("a", "b")) {
                CredentialStore store = new CredentialStore(file);
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 20; i++) {
                        store.update(name, "https://" + name + ".example/mcp", e -> e);
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        CredentialStore store = new CredentialStore(file);
        assertTrue(store.load("a", "https://a.example/mcp").isPresent());
        assertTrue(store.load("b", "https://b.example/mcp").isPresent());
    }

    @Test
    void corruptFileIsNamed() throws Exception {
        Path file = dir.resolve("mcp-credentials.json");
        Files.writeString(file, "{\"servers\": [");
        OAuthException e = assertThrows(OAuthException.class, () -> new CredentialStore(file).load("s", "u"));
        assertTrue(e.getMessage().startsWith("the MCP credentials file " + file + " is corrupt ("), e.getMessage());
    }
}
