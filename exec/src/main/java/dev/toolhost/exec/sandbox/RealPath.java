package dev.toolhost.exec.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Collection;

/**
 * Where a path really leads, for deciding whether a write stays inside a writable root: a symlink inside a root
 * that points outside it must not make the outside writable. Used by the exec-server's {@code fs/*} methods and by
 * {@code apply_patch}.
 */
public final class RealPath {

    private RealPath() {}

    /**
     * The real path of {@code p}, even when it does not exist yet: the deepest existing ancestor is resolved through
     * its symlinks and the missing rest appended. A dangling symlink is followed too. When resolving fails (a loop,
     * no permission), the normalized absolute path.
     */
    public static Path of(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        Path existing = abs;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return abs;
        }
        try {
            Path base;
            if (Files.isSymbolicLink(existing) && !Files.exists(existing)) {
                Path target = Files.readSymbolicLink(existing);
                base = of(existing.resolveSibling(target));
            } else {
                base = existing.toRealPath();
            }
            return base.resolve(existing.relativize(abs)).normalize();
        } catch (IOException e) {
            return abs;
        }
    }

    /**
     * Whether the real path {@code real} lies in one of the writable {@code roots} (each taken at its real path)
     * and not in a root's {@code .git}, which stays read-only as in Codex.
     */
    public static boolean inWritableRoot(Path real, Collection<Path> roots) {
        for (Path root : roots) {
            Path r = of(root);
            if (real.startsWith(r) && !real.startsWith(r.resolve(".git"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The real path of the entry {@code p} names, its last name not followed: what removing or replacing {@code p}
     * touches ({@code p} itself when it is a symlink, never its target).
     */
    public static Path ofEntry(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        Path parent = abs.getParent();
        return parent == null ? abs : of(parent).resolve(abs.getFileName());
    }
}
