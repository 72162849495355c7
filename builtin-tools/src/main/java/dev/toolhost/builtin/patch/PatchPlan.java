package dev.toolhost.builtin.patch;

import dev.toolhost.exec.sandbox.NoFollowWrites;
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

    /** A write found a symlink where the sandbox check had seen none: it would have landed outside the roots. */
    public static final class Escaped extends PatchException {
        private final transient Path path;

        Escaped(Path path, NoFollowWrites.Refused cause) {
            super(cause.getMessage());
            this.path = path;
        }

        /** The patch's path that was being written. */
        public Path path() {
            return path;
        }
    }

    /** Writes every change, as given (following symlinks); see {@link #apply(Map)}. */
    public void apply() throws PatchException {
        apply(Map.of());
    }

    /**
     * Writes every change; on failure, puts back every file it had already changed.
     *
     * @param confined the paths that a sandbox check found inside a writable root, each mapped to its real path: these
     *     are written along that real path without following symlinks ({@link NoFollowWrites}); the others as given
     * @throws Escaped a confined write met a symlink that was not there at the check; nothing was changed
     */
    public void apply(Map<Path, Path> confined) throws PatchException {
        Map<Path, byte[]> originals = new LinkedHashMap<>();
        List<Target> createdDirs = new ArrayList<>();
        Path current = null;
        try {
            for (Map.Entry<Path, String> e : finalState.entrySet()) {
                current = e.getKey();
                Target t = new Target(confined.getOrDefault(current, current), confined.containsKey(current));
                originals.put(current, t.readIfRegularFile());
                if (e.getValue() == null) {
                    t.deleteIfExists();
                } else {
                    t.createParents(createdDirs);
                    t.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                }
            }
        } catch (NoFollowWrites.Refused refused) {
            rollback(originals, createdDirs, confined);
            throw new Escaped(current, refused);
        } catch (IOException | RuntimeException failure) {
            rollback(originals, createdDirs, confined);
            throw new PatchException("apply_patch failed while writing, no file was changed: " + describe(failure));
        }
    }

    /** A path to write, and whether it is written without following symlinks. */
    private record Target(Path path, boolean confined) {
        byte[] readIfRegularFile() throws IOException {
            if (confined) {
                return NoFollowWrites.readIfRegularFile(path);
            }
            return Files.isRegularFile(path) ? Files.readAllBytes(path) : null;
        }

        void deleteIfExists() throws IOException {
            if (confined) {
                NoFollowWrites.deleteIfExists(path);
            } else {
                Files.deleteIfExists(path);
            }
        }

        void write(byte[] data) throws IOException {
            if (confined) {
                NoFollowWrites.write(path, data);
            } else {
                Files.write(path, data);
            }
        }

        void createParents(List<Target> createdDirs) throws IOException {
            Path dir = path.getParent();
            if (confined) {
                for (Path d : NoFollowWrites.createDirectories(dir)) {
                    createdDirs.add(new Target(d, true));
                }
            } else {
                createParents(dir, createdDirs);
            }
        }

        private static void createParents(Path dir, List<Target> createdDirs) throws IOException {
            if (dir == null || Files.isDirectory(dir)) {
                return;
            }
            createParents(dir.getParent(), createdDirs);
            Files.createDirectory(dir);
            createdDirs.add(new Target(dir, false));
        }
    }

    private static void rollback(Map<Path, byte[]> originals, List<Target> createdDirs, Map<Path, Path> confined) {
        for (Map.Entry<Path, byte[]> e : originals.entrySet()) {
            Target t = new Target(confined.getOrDefault(e.getKey(), e.getKey()), confined.containsKey(e.getKey()));
            try {
                if (e.getValue() == null) {
                    t.deleteIfExists();
                } else {
                    t.write(e.getValue());
                }
            } catch (IOException ignored) {
                // best effort: the original error is what the caller needs to see
            }
        }
        for (int i = createdDirs.size() - 1; i >= 0; i--) {
            try {
                createdDirs.get(i).deleteIfExists();
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
