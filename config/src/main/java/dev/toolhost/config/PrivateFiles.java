package dev.toolhost.config;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Files under {@code TOOLHOST_HOME} that only their owner may read (logs, which can name what a caller did): the
 * directory 0700, the file 0600, also when they were made before with wider modes. Where the file system has no
 * POSIX permissions they are only created.
 */
public final class PrivateFiles {
    private PrivateFiles() {}

    /** Creates {@code file} (0600) and its directory (0700) if missing, and narrows both if they are wider. */
    public static void ensure(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        if (!dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            if (!Files.exists(file)) {
                Files.createFile(file);
            }
            return;
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException e) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
    }
}
