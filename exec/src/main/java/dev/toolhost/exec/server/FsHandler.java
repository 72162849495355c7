package dev.toolhost.exec.server;

import dev.toolhost.exec.SandboxPolicy;
import dev.toolhost.exec.protocol.ExecProtocol.Empty;
import dev.toolhost.exec.protocol.ExecProtocol.FsCopyParams;
import dev.toolhost.exec.protocol.ExecProtocol.FsCreateDirectoryParams;
import dev.toolhost.exec.protocol.ExecProtocol.FsDirectoryEntry;
import dev.toolhost.exec.protocol.ExecProtocol.FsGetMetadataParams;
import dev.toolhost.exec.protocol.ExecProtocol.FsGetMetadataResponse;
import dev.toolhost.exec.protocol.ExecProtocol.FsReadDirectoryParams;
import dev.toolhost.exec.protocol.ExecProtocol.FsReadDirectoryResponse;
import dev.toolhost.exec.protocol.ExecProtocol.FsReadFileParams;
import dev.toolhost.exec.protocol.ExecProtocol.FsReadFileResponse;
import dev.toolhost.exec.protocol.ExecProtocol.FsRemoveParams;
import dev.toolhost.exec.protocol.ExecProtocol.FsWriteFileParams;
import dev.toolhost.exec.protocol.ExecProtocol.Methods;
import dev.toolhost.exec.protocol.ExecProtocol.SandboxParams;
import dev.toolhost.exec.protocol.RpcCodec;
import dev.toolhost.exec.protocol.RpcError;
import dev.toolhost.exec.protocol.RpcException;
import dev.toolhost.exec.sandbox.NoFollowWrites;
import dev.toolhost.exec.sandbox.RealPath;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/**
 * The {@code fs/*} methods on absolute paths. A {@code sandbox} on a call limits where it may write:
 * nowhere under read-only, only inside the writable roots (never their {@code .git}) under workspace-write, decided
 * on where the path really leads (symlinks resolved). A sandboxed write then walks that real path without following
 * symlinks ({@link NoFollowWrites}), so a directory swapped for a symlink after the check cannot carry it outside.
 */
final class FsHandler {

    private final RpcCodec codec;

    FsHandler(RpcCodec codec) {
        this.codec = codec;
    }

    static boolean handles(String method) {
        return switch (method) {
            case Methods.FS_READ_FILE,
                    Methods.FS_WRITE_FILE,
                    Methods.FS_CREATE_DIRECTORY,
                    Methods.FS_GET_METADATA,
                    Methods.FS_READ_DIRECTORY,
                    Methods.FS_REMOVE,
                    Methods.FS_COPY -> true;
            default -> false;
        };
    }

    Object handle(String method, JsonNode params) throws RpcException {
        return switch (method) {
            case Methods.FS_READ_FILE -> readFile(codec.params(params, FsReadFileParams.class));
            case Methods.FS_WRITE_FILE -> writeFile(codec.params(params, FsWriteFileParams.class));
            case Methods.FS_CREATE_DIRECTORY -> createDirectory(codec.params(params, FsCreateDirectoryParams.class));
            case Methods.FS_GET_METADATA -> metadata(codec.params(params, FsGetMetadataParams.class));
            case Methods.FS_READ_DIRECTORY -> readDirectory(codec.params(params, FsReadDirectoryParams.class));
            case Methods.FS_REMOVE -> remove(codec.params(params, FsRemoveParams.class));
            case Methods.FS_COPY -> copy(codec.params(params, FsCopyParams.class));
            default -> throw new RpcException(RpcError.METHOD_NOT_FOUND, "unknown method '" + method + "'");
        };
    }

    private interface IoCall<T> {
        T call() throws IOException;
    }

    private static <T> T io(String method, Path path, IoCall<T> call) throws RpcException {
        try {
            return call.call();
        } catch (Denied e) {
            throw e.refusal;
        } catch (NoFollowWrites.Refused e) {
            throw new RpcException(
                    RpcError.INVALID_REQUEST,
                    "sandbox denied: " + path + " is outside the writable roots: " + e.getMessage());
        } catch (NoSuchFileException e) {
            throw new RpcException(RpcError.INVALID_PARAMS, method + ": no such file or directory: " + e.getFile());
        } catch (FileAlreadyExistsException e) {
            throw new RpcException(RpcError.INVALID_PARAMS, method + ": already exists: " + e.getFile());
        } catch (DirectoryNotEmptyException e) {
            throw new RpcException(
                    RpcError.INVALID_PARAMS,
                    method + ": directory not empty: " + e.getFile() + " (pass recursive: true)");
        } catch (NotDirectoryException e) {
            throw new RpcException(RpcError.INVALID_PARAMS, method + ": not a directory: " + e.getFile());
        } catch (AccessDeniedException e) {
            throw new RpcException(RpcError.INVALID_PARAMS, method + ": permission denied: " + e.getFile());
        } catch (IOException e) {
            throw new RpcException(RpcError.INTERNAL_ERROR, method + ": " + path + ": " + e.getMessage());
        }
    }

    private static Path path(String field, String value) throws RpcException {
        if (value == null || value.isEmpty()) {
            throw new RpcException(RpcError.INVALID_PARAMS, "invalid params: '" + field + "' is required");
        }
        Path p;
        try {
            p = value.startsWith("file:") ? Path.of(URI.create(value)) : Path.of(value);
        } catch (IllegalArgumentException e) {
            throw new RpcException(RpcError.INVALID_PARAMS, "invalid params: '" + field + "' is not a path: " + value);
        }
        if (!p.isAbsolute()) {
            throw new RpcException(
                    RpcError.INVALID_PARAMS, "invalid params: '" + field + "' must be absolute: " + value);
        }
        return p.normalize();
    }

    /** The call's sandbox, or null when it has none (every write allowed). */
    private static SandboxPolicy policy(SandboxParams sandbox) throws RpcException {
        if (sandbox == null) {
            return null;
        }
        try {
            return sandbox.toPolicy();
        } catch (IllegalArgumentException e) {
            throw new RpcException(RpcError.INVALID_PARAMS, "invalid params: " + e.getMessage());
        }
    }

    /**
     * Refuses a write the call's sandbox does not allow. Decided on real paths ({@link RealPath}): a symlink inside a
     * writable root that leads outside it does not make the outside writable.
     *
     * @param path the path as given, for the message
     * @param target where the write really lands: {@link RealPath#of} when the operation follows a symlink at
     *     {@code path}, {@link RealPath#ofEntry} when it acts on the link itself
     * @return {@code target}, to be written with {@link NoFollowWrites}; null when the call's sandbox does not limit
     *     writes ({@code path} is then written as given)
     */
    private static Path checkWritable(SandboxPolicy policy, Path path, Path target) throws RpcException {
        if (policy == null) {
            return null;
        }
        switch (policy.type()) {
            case DANGER_FULL_ACCESS -> {
                return null;
            }
            case READ_ONLY ->
                throw new RpcException(
                        RpcError.INVALID_REQUEST, "sandbox denied: " + path + " is not writable under read-only");
            case WORKSPACE_WRITE -> {
                if (RealPath.inWritableRoot(target, policy.writableRoots())) {
                    return target;
                }
                throw new RpcException(
                        RpcError.INVALID_REQUEST,
                        "sandbox denied: " + path + " is outside the writable roots (or inside .git)"
                                + (target.equals(path) ? "" : "; it leads to " + target));
            }
        }
        throw new IllegalStateException(policy.type().toString());
    }

    /** A sandbox refusal from inside a file walk, which may throw only IOException. */
    private static final class Denied extends IOException {
        final RpcException refusal;

        Denied(RpcException refusal) {
            super(refusal.getMessage());
            this.refusal = refusal;
        }
    }

    private FsReadFileResponse readFile(FsReadFileParams p) throws RpcException {
        Path path = path("path", p.path());
        return new FsReadFileResponse(RpcCodec.base64(io(Methods.FS_READ_FILE, path, () -> Files.readAllBytes(path))));
    }

    private Empty writeFile(FsWriteFileParams p) throws RpcException {
        Path path = path("path", p.path());
        byte[] data = RpcCodec.unbase64("dataBase64", p.dataBase64());
        Path real = checkWritable(policy(p.sandbox()), path, RealPath.of(path));
        io(Methods.FS_WRITE_FILE, path, () -> {
            if (real == null) {
                Files.write(path, data);
            } else {
                NoFollowWrites.write(real, data);
            }
            return null;
        });
        return new Empty();
    }

    private Empty createDirectory(FsCreateDirectoryParams p) throws RpcException {
        Path path = path("path", p.path());
        Path real = checkWritable(policy(p.sandbox()), path, RealPath.of(path));
        boolean recursive = Boolean.TRUE.equals(p.recursive());
        io(Methods.FS_CREATE_DIRECTORY, path, () -> {
            if (real == null) {
                return recursive ? Files.createDirectories(path) : Files.createDirectory(path);
            }
            if (recursive) {
                NoFollowWrites.createDirectories(real);
            } else {
                NoFollowWrites.createDirectory(real);
            }
            return real;
        });
        return new Empty();
    }

    private FsGetMetadataResponse metadata(FsGetMetadataParams p) throws RpcException {
        Path path = path("path", p.path());
        return io(Methods.FS_GET_METADATA, path, () -> {
            BasicFileAttributes link = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            BasicFileAttributes a = link.isSymbolicLink() && Files.exists(path)
                    ? Files.readAttributes(path, BasicFileAttributes.class)
                    : link;
            return new FsGetMetadataResponse(
                    a.isDirectory(),
                    a.isRegularFile(),
                    link.isSymbolicLink(),
                    a.size(),
                    a.creationTime().toMillis(),
                    a.lastModifiedTime().toMillis());
        });
    }

    private FsReadDirectoryResponse readDirectory(FsReadDirectoryParams p) throws RpcException {
        Path path = path("path", p.path());
        return io(Methods.FS_READ_DIRECTORY, path, () -> {
            List<FsDirectoryEntry> entries = new ArrayList<>();
            try (Stream<Path> list = Files.list(path)) {
                for (Path e : list.sorted().toList()) {
                    entries.add(new FsDirectoryEntry(
                            e.getFileName().toString(), Files.isDirectory(e), Files.isRegularFile(e)));
                }
            }
            return new FsReadDirectoryResponse(entries);
        });
    }

    private Empty remove(FsRemoveParams p) throws RpcException {
        Path path = path("path", p.path());
        // Removing a symlink removes the link, and a recursive walk does not follow the links it meets.
        SandboxPolicy policy = policy(p.sandbox());
        Path real = checkWritable(policy, path, RealPath.ofEntry(path));
        boolean force = Boolean.TRUE.equals(p.force());
        if (force && !Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return new Empty();
        }
        if (real != null) {
            checkKeepsGit(policy, path, real);
        }
        io(Methods.FS_REMOVE, path, () -> {
            NoFollowWrites.delete(real == null ? path : real, Boolean.TRUE.equals(p.recursive()));
            return null;
        });
        return new Empty();
    }

    /**
     * Refuses removing a writable root or an ancestor of one while the root has a {@code .git}: that {@code .git}
     * stays read-only, and refusing before deleting anything beats a half-done removal.
     */
    private static void checkKeepsGit(SandboxPolicy policy, Path path, Path target) throws RpcException {
        for (Path root : policy.writableRoots()) {
            Path git = RealPath.of(root).resolve(".git");
            if (git.startsWith(target) && Files.exists(git, LinkOption.NOFOLLOW_LINKS)) {
                throw new RpcException(
                        RpcError.INVALID_REQUEST,
                        "sandbox denied: removing " + path + " would remove " + git + ", which stays read-only");
            }
        }
    }

    private Empty copy(FsCopyParams p) throws RpcException {
        Path from = path("sourcePath", p.sourcePath());
        Path to = path("destinationPath", p.destinationPath());
        SandboxPolicy policy = policy(p.sandbox());
        Path real = checkWritable(policy, to, RealPath.of(to));
        io(Methods.FS_COPY, from, () -> {
            if (Files.isDirectory(from)) {
                if (!Boolean.TRUE.equals(p.recursive())) {
                    throw new IOException(from + " is a directory (pass recursive: true)");
                }
                Files.walkFileTree(from, new SimpleFileVisitor<>() {
                    /** A link already under the destination must not carry the copy outside the roots. */
                    private Path writable(Path target) throws Denied {
                        try {
                            return checkWritable(policy, target, RealPath.of(target));
                        } catch (RpcException e) {
                            throw new Denied(e);
                        }
                    }

                    @Override
                    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                        Path target = to.resolve(from.relativize(dir).toString());
                        Path realTarget = writable(target);
                        if (realTarget == null) {
                            Files.createDirectories(target);
                        } else {
                            NoFollowWrites.createDirectories(realTarget);
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                        copyFile(
                                file,
                                to.resolve(from.relativize(file).toString()),
                                writable(to.resolve(from.relativize(file).toString())));
                        return FileVisitResult.CONTINUE;
                    }
                });
            } else {
                copyFile(from, to, real);
            }
            return null;
        });
        return new Empty();
    }

    /** Copies the file {@code from} to {@code to}, or to {@code real} without following symlinks when not null. */
    private static void copyFile(Path from, Path to, Path real) throws IOException {
        if (real == null) {
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
            return;
        }
        try (InputStream in = Files.newInputStream(from)) {
            NoFollowWrites.write(real, in);
        }
    }
}
