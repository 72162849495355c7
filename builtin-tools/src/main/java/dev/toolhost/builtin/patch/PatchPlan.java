package dev.toolhost.builtin.patch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every file change of a patch, computed in memory before anything touches the disk. {@link #apply()}
 * writes them all or, when a write fails, restores what it already wrote: all-or-nothing.
 *
 * @param finalState absolute path -> new contents, or null when the file is deleted
 * @param summary    one {@code A path} / {@code M path} / {@code D path} line per change, in patch order
 */
public record PatchPlan(Map<Path, String> finalState, List<String> summary) {

    public PatchPlan {
        finalState = Collections.unmodifiableMap(new LinkedHashMap<>(finalState));
        summary = List.copyOf(summary);
    }

    /** Every path this patch writes or deletes. */
    public List<Path> touchedPaths() {
        return List.copyOf(finalState.keySet());
    }

    /** Writes every change; on failure, puts back every file it had already changed. */
    public void apply() throws PatchException {
        Map<Path, byte[]> originals = new LinkedHashMap<>();
        List<Path> createdDirs = new ArrayList<>();
        try {
            for (Map.Entry<Path, String> e : finalState.entrySet()) {
                Path path = e.getKey();
                originals.put(path, Files.isRegularFile(path) ? Files.readAllBytes(path) : null);
                if (e.getValue() == null) {
                    Files.deleteIfExists(path);
                } else {
                    createParents(path.getParent(), createdDirs);
                    Files.writeString(path, e.getValue(), StandardCharsets.UTF_8);
                }
            }
        } catch (IOException | RuntimeException failure) {
            rollback(originals, createdDirs);
            throw new PatchException("apply_patch failed while writing, no file was changed: " + describe(failure));
        }
    }

    private static void createParents(Path dir, List<Path> createdDirs) throws IOException {
        if (dir == null || Files.isDirectory(dir)) {
            return;
        }
        createParents(dir.getParent(), createdDirs);
        Files.createDirectory(dir);
        createdDirs.add(dir);
    }

    private static void rollback(Map<Path, byte[]> originals, List<Path> createdDirs) {
        for (Map.Entry<Path, byte[]> e : originals.entrySet()) {
            try {
                if (e.getValue() == null) {
                    Files.deleteIfExists(e.getKey());
                } else {
                    Files.write(e.getKey(), e.getValue());
                }
            } catch (IOException ignored) {
                // best effort: the original error is what the caller needs to see
            }
        }
        for (int i = createdDirs.size() - 1; i >= 0; i--) {
            try {
                Files.deleteIfExists(createdDirs.get(i));
            } catch (IOException ignored) {
                // not empty or already gone
            }
        }
    }

    static String describe(Throwable t) {
        String what = t.getClass().getSimpleName().replace("Exception", "").replace("NoSuchFile", "no such file");
        return t.getMessage() == null ? what : what + ": " + t.getMessage();
    }
}
