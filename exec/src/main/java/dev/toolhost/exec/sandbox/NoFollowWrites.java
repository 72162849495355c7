package dev.toolhost.exec.sandbox;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Writes to a path that a sandbox check has already resolved ({@link RealPath}), walking it from {@code /} one
 * component at a time without following any symlink (openat with {@code O_NOFOLLOW} through
 * {@link SecureDirectoryStream}). A process that swaps a directory for a symlink between the check and the write
 * then makes the write fail with {@link Refused} instead of landing outside the writable roots. Used by the
 * exec-server's {@code fs/*} methods and by {@code apply_patch}.
 *
 * <p>Java has no mkdirat: a directory is created through {@code /proc/self/fd/N} of its open parent (by path when
 * {@code /proc} is missing, where a swap at that instant could leave an empty directory elsewhere) and then opened
 * without following links.
 * Where {@link SecureDirectoryStream} is not available (not Linux), every method acts on the path as given.
 */
public final class NoFollowWrites {

    private static final boolean AVAILABLE = probe();
    private static final Path PROC_FDS = Path.of("/proc/self/fd");

    private NoFollowWrites() {}

    /** A component of the path was a symlink (or vanished into one) when written: it changed after the check. */
    public static final class Refused extends IOException {
        private final transient Path path;

        Refused(Path path, Path component) {
            super(path + ": " + component + " is a symlink (it changed after the sandbox check)");
            this.path = path;
        }

        /** The path that was to be written. */
        public Path path() {
            return path;
        }
    }

    private static boolean probe() {
        try (DirectoryStream<Path> root = Files.newDirectoryStream(Path.of("/"))) {
            return root instanceof SecureDirectoryStream;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** True when writes are walked without following symlinks on this platform. */
    public static boolean available() {
        return AVAILABLE;
    }

    /** Creates or truncates the file {@code real} and writes {@code data}; its parent must exist. */
    public static void write(Path real, byte[] data) throws IOException {
        write(real, new ByteArrayInputStream(data));
    }

    /** Creates or truncates the file {@code real} and copies {@code in} into it; its parent must exist. */
    public static void write(Path real, InputStream in) throws IOException {
        if (!AVAILABLE) {
            try (OutputStream out = Files.newOutputStream(real)) {
                in.transferTo(out);
            }
            return;
        }
        try (SecureDirectoryStream<Path> dir = openParent(real);
                SeekableByteChannel ch = dir.newByteChannel(name(real), writeOptions())) {
            in.transferTo(Channels.newOutputStream(ch));
        } catch (Refused e) {
            throw e;
        } catch (IOException e) {
            throw refusedIfLink(real, e);
        }
    }

    private static Set<OpenOption> writeOptions() {
        return Set.of(
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING,
                LinkOption.NOFOLLOW_LINKS);
    }

    /** The bytes of the regular file {@code real}, or null when there is none (or it is not a regular file). */
    public static byte[] readIfRegularFile(Path real) throws IOException {
        if (!AVAILABLE) {
            return Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS) ? Files.readAllBytes(real) : null;
        }
        try (SecureDirectoryStream<Path> dir = openParent(real)) {
            BasicFileAttributes a = attributes(dir, name(real));
            if (a == null || !a.isRegularFile()) {
                return null;
            }
            try (SeekableByteChannel ch =
                    dir.newByteChannel(name(real), Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))) {
                return Channels.newInputStream(ch).readAllBytes();
            }
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** Creates the directory {@code real}; its parent must exist. */
    public static void createDirectory(Path real) throws IOException {
        if (!AVAILABLE) {
            Files.createDirectory(real);
            return;
        }
        try (SecureDirectoryStream<Path> parent = openParent(real)) {
            mkdir(parent, real);
        }
    }

    /**
     * Creates {@code real} and its missing ancestors.
     *
     * @return the directories created, outermost first
     */
    public static List<Path> createDirectories(Path real) throws IOException {
        List<Path> created = new ArrayList<>();
        if (!AVAILABLE) {
            List<Path> missing = new ArrayList<>();
            for (Path p = real; p != null && !Files.isDirectory(p); p = p.getParent()) {
                missing.add(0, p);
            }
            for (Path p : missing) {
                created.add(Files.createDirectory(p));
            }
            return created;
        }
        SecureDirectoryStream<Path> dir = openRoot(real);
        try {
            Path at = real.getRoot();
            for (Path component : real) {
                at = at.resolve(component);
                BasicFileAttributes a = attributes(dir, component);
                if (a == null) {
                    mkdir(dir, at);
                    created.add(at);
                }
                SecureDirectoryStream<Path> next = child(dir, component, real, at);
                dir.close();
                dir = next;
            }
            return created;
        } finally {
            dir.close();
        }
    }

    /** Deletes the entry {@code real} (a symlink itself, never its target); a directory must be empty. */
    public static void delete(Path real) throws IOException {
        delete(real, false);
    }

    /**
     * Deletes the entry {@code real}; with {@code recursive}, a directory and everything in it, never following a
     * symlink it meets.
     */
    public static void delete(Path real, boolean recursive) throws IOException {
        if (!AVAILABLE) {
            deleteByPath(real, recursive);
            return;
        }
        try (SecureDirectoryStream<Path> parent = openParent(real)) {
            deleteEntry(parent, name(real), real, recursive);
        }
    }

    /** Deletes the entry {@code real} when it exists; returns whether it did. */
    public static boolean deleteIfExists(Path real) throws IOException {
        try {
            delete(real, false);
            return true;
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    private static void deleteEntry(SecureDirectoryStream<Path> dir, Path name, Path full, boolean recursive)
            throws IOException {
        BasicFileAttributes a = attributes(dir, name);
        if (a == null) {
            throw new NoSuchFileException(full.toString());
        }
        if (!a.isDirectory()) {
            dir.deleteFile(name);
            return;
        }
        if (recursive) {
            try (SecureDirectoryStream<Path> sub = child(dir, name, full, full)) {
                List<Path> names = new ArrayList<>();
                for (Path entry : sub) {
                    names.add(entry.getFileName());
                }
                for (Path entry : names) {
                    deleteEntry(sub, entry, full.resolve(entry), true);
                }
            }
        }
        dir.deleteDirectory(name);
    }

    private static void deleteByPath(Path p, boolean recursive) throws IOException {
        if (recursive && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            try (var walk = Files.walk(p)) {
                for (Path e : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(e);
                }
            }
        } else {
            Files.delete(p);
        }
    }

    private static void mkdir(SecureDirectoryStream<Path> parent, Path full) throws IOException {
        // Java has no mkdirat: create through /proc/self/fd/N of the open parent (a magic link that leads to the
        // directory itself, whatever its path has become), or by path where that is not found, then make sure what
        // was created is in the open parent.
        try {
            Path viaFd = procFd(parent);
            Files.createDirectory(viaFd == null ? full : viaFd.resolve(name(full)));
        } catch (FileAlreadyExistsException e) {
            throw e;
        } catch (IOException e) {
            throw refusedIfLink(parent, name(full), full, e);
        }
        try {
            child(parent, name(full), full, full).close();
        } catch (NoSuchFileException e) {
            // Created through a path that no longer leads to the open parent.
            throw new Refused(full, full.getParent());
        }
    }

    /** A {@code /proc/self/fd/N} of this process that refers to the open directory {@code dir}, or null. */
    private static Path procFd(SecureDirectoryStream<Path> dir) {
        try {
            Object key = dir.getFileAttributeView(BasicFileAttributeView.class)
                    .readAttributes()
                    .fileKey();
            if (key == null) {
                return null;
            }
            try (DirectoryStream<Path> fds = Files.newDirectoryStream(PROC_FDS)) {
                for (Path fd : fds) {
                    try {
                        BasicFileAttributes a = Files.readAttributes(fd, BasicFileAttributes.class);
                        if (a.isDirectory() && key.equals(a.fileKey())) {
                            return fd;
                        }
                    } catch (IOException closed) {
                        // an fd closed meanwhile, or not a file
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /proc: create by path
        }
        return null;
    }

    private static SecureDirectoryStream<Path> openRoot(Path real) throws IOException {
        if (!real.isAbsolute()) {
            throw new IllegalArgumentException("not absolute: " + real);
        }
        return (SecureDirectoryStream<Path>) Files.newDirectoryStream(real.getRoot());
    }

    /** The parent directory of {@code real}, every component opened without following a symlink. */
    private static SecureDirectoryStream<Path> openParent(Path real) throws IOException {
        SecureDirectoryStream<Path> dir = openRoot(real);
        Path parent = real.getParent();
        if (parent == null || real.getNameCount() == 0) {
            dir.close();
            throw new IllegalArgumentException("no parent: " + real);
        }
        Path at = real.getRoot();
        try {
            for (Path component : parent) {
                at = at.resolve(component);
                SecureDirectoryStream<Path> next = child(dir, component, real, at);
                dir.close();
                dir = next;
            }
            return dir;
        } catch (IOException | RuntimeException e) {
            dir.close();
            throw e;
        }
    }

    private static SecureDirectoryStream<Path> child(SecureDirectoryStream<Path> dir, Path name, Path real, Path at)
            throws IOException {
        try {
            return dir.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw refusedIfLink(dir, name, at, e, real);
        }
    }

    private static BasicFileAttributes attributes(SecureDirectoryStream<Path> dir, Path name) throws IOException {
        try {
            return dir.getFileAttributeView(name, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .readAttributes();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static IOException refusedIfLink(Path real, IOException e) {
        try (SecureDirectoryStream<Path> dir = openParent(real)) {
            return refusedIfLink(dir, name(real), real, e);
        } catch (Refused r) {
            return r;
        } catch (IOException | RuntimeException other) {
            return e;
        }
    }

    private static IOException refusedIfLink(SecureDirectoryStream<Path> dir, Path name, Path at, IOException e) {
        return refusedIfLink(dir, name, at, e, at);
    }

    private static IOException refusedIfLink(
            SecureDirectoryStream<Path> dir, Path name, Path at, IOException e, Path real) {
        try {
            BasicFileAttributes a = attributes(dir, name);
            if (a != null && a.isSymbolicLink()) {
                return new Refused(real, at);
            }
        } catch (IOException ignored) {
            // the original error says more
        }
        return e;
    }

    private static Path name(Path real) {
        Path n = real.getFileName();
        if (n == null) {
            throw new IllegalArgumentException("no file name: " + real);
        }
        return n;
    }
}
