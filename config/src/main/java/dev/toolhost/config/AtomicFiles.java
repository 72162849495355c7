package dev.toolhost.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/** Writes a file so that readers see the old or the new content, never half of it. */
public final class AtomicFiles {
    /** As Linux's limit on symlinks followed in one lookup (ELOOP). */
    private static final int MAX_LINKS = 40;

    private AtomicFiles() {}

    /**
     * Replaces {@code file}'s content atomically (a temporary file next to it, moved over it), keeping its
     * permissions. When {@code file} is a symlink (a dotfiles setup), the link's final target is written, next to
     * that target, and the link stays.
     *
     * @throws IOException also when the links loop or go deeper than 40
     */
    public static void writeString(Path file, String content) throws IOException {
        Path target = linkTarget(file.toAbsolutePath());
        Path dir = target.getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        try {
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            if (Files.exists(target)) {
                try {
                    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(target);
                    Files.setPosixFilePermissions(tmp, perms);
                } catch (UnsupportedOperationException notPosix) {
                    // keep the temp file's permissions
                }
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Where {@code path} leads when each symlink on it is followed (a dangling link: the missing target). */
    private static Path linkTarget(Path path) throws IOException {
        for (int i = 0; i < MAX_LINKS; i++) {
            if (!Files.isSymbolicLink(path)) {
                return path;
            }
            // Not normalized: ".." after a symlinked directory is for the kernel to resolve.
            path = path.resolveSibling(Files.readSymbolicLink(path));
        }
        throw new IOException(path + ": too many levels of symbolic links");
    }
}
