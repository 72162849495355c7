package dev.toolhost.mcp.client;

import dev.toolhost.config.PrivateFiles;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Per-server stderr log files under {@code TOOLHOST_HOME/logs}: {@code mcp-<server>.log}, rotated to
 * {@code .log.1} when it grows past {@link #MAX_BYTES}, so a chatty server never fills the disk. Private, as
 * {@code toolhost.log} is: a server's stderr may name what it was given (0600 in a 0700 directory).
 */
public final class ServerLogs {
    static final long MAX_BYTES = 1L << 20;

    private ServerLogs() {}

    /** The log file of {@code server} in {@code dir}; the name is sanitised for the file system. */
    public static Path file(Path dir, String server) {
        return dir.resolve("mcp-" + server.replaceAll("[^A-Za-z0-9_.-]", "_") + ".log");
    }

    /**
     * Rotates the log if it is too big and appends a start marker.
     *
     * @return the offset where this run's output begins (for {@link #tail})
     */
    static long begin(Path log, List<String> command) {
        try {
            if (Files.exists(log) && Files.size(log) > MAX_BYTES) {
                Files.move(log, log.resolveSibling(log.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
            }
            PrivateFiles.ensure(log);
            Files.writeString(
                    log,
                    "--- " + Instant.now() + " starting " + command + "\n",
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            return Files.size(log);
        } catch (IOException e) {
            return 0;
        }
    }

    /** The last {@code lines} lines written after {@code offset}, or an empty list. */
    public static List<String> tail(Path log, long offset, int lines) {
        if (log == null || !Files.exists(log)) {
            return List.of();
        }
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long start = Math.max(offset, f.length() - 16_384);
            if (start >= f.length()) {
                return List.of();
            }
            byte[] buf = new byte[(int) (f.length() - start)];
            f.seek(start);
            f.readFully(buf);
            List<String> all = new ArrayList<>(Arrays.asList(new String(buf, StandardCharsets.UTF_8).split("\\R")));
            all.removeIf(String::isBlank);
            return List.copyOf(all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return List.of();
        }
    }
}
