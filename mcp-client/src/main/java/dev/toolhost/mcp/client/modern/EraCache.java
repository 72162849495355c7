package dev.toolhost.mcp.client.modern;

import dev.toolhost.config.AtomicFiles;
import dev.toolhost.config.McpServerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.core.JacksonException;

/**
 * Which era each configured server speaks, as last found by probing, kept in a small JSON file under
 * {@code TOOLHOST_HOME} ({@code cache/mcp-eras.json}) so that a server is probed once, not on every start.
 * Keyed by a SHA-256 digest of what identifies the server (its command, arguments, working directory and
 * environment, or its URL), so nothing secret is stored and a changed configuration is probed afresh. An
 * entry that stops holding (the server no longer starts in that era) is forgotten and the server probed
 * again. A file that cannot be read or written only costs a probe.
 */
public final class EraCache {
    public static final String LEGACY = "legacy";

    /** @param era {@value #LEGACY} or a modern version such as {@code 2026-07-28} */
    public record Entry(String era, long checkedAtMillis) {
        public boolean isModern() {
            return !LEGACY.equals(era);
        }
    }

    private final Path file;
    private final Clock clock;

    public EraCache(Path file, Clock clock) {
        this.file = file;
        this.clock = clock;
    }

    /** The cache under a Toolhost home directory. */
    public static EraCache in(Path home) {
        return new EraCache(home.resolve("cache").resolve("mcp-eras.json"), Clock.systemUTC());
    }

    public synchronized Entry get(McpServerConfig config) {
        Map<String, Object> entry = Json.object(read().get(key(config)));
        return entry != null && entry.get("era") instanceof String era
                ? new Entry(era, entry.get("checkedAt") instanceof Number n ? n.longValue() : 0)
                : null;
    }

    public synchronized void put(McpServerConfig config, String era) {
        Map<String, Object> all = read();
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("era", era);
        entry.put("checkedAt", clock.millis());
        all.put(key(config), entry);
        write(all);
    }

    public synchronized void forget(McpServerConfig config) {
        Map<String, Object> all = read();
        if (all.remove(key(config)) != null) {
            write(all);
        }
    }

    /** What identifies a server's behaviour: how it is started, or where it is. */
    static String key(McpServerConfig c) {
        StringBuilder b = new StringBuilder();
        if (c.isStdio()) {
            b.append("stdio\0").append(c.command());
            c.args().forEach(a -> b.append('\0').append(a));
            b.append("\0cwd\0").append(c.cwd());
            new TreeMap<>(c.env())
                    .forEach((k, v) -> b.append('\0').append(k).append('=').append(v));
        } else {
            b.append("http\0").append(c.url());
        }
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(b.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<String, Object> read() {
        try {
            if (!Files.isRegularFile(file)) {
                return new LinkedHashMap<>();
            }
            return new LinkedHashMap<>(Json.parseObject(Files.readAllBytes(file)));
        } catch (IOException | JacksonException e) {
            return new LinkedHashMap<>();
        }
    }

    private void write(Map<String, Object> all) {
        try {
            Files.createDirectories(file.getParent());
            AtomicFiles.writeString(
                    file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(all));
        } catch (IOException | RuntimeException e) {
            // a cache that cannot be written only costs a probe next time
        }
    }
}
