package dev.toolhost.exec.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.toolhost.config.ShellEnvironmentPolicy;
import dev.toolhost.exec.SandboxPolicy;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Every wire type of the exec-server protocol (see {@code docs/exec-protocol.md}), named {@code XParams},
 * {@code XResponse} and {@code XNotification} after the method they belong to. Field names and casing
 * are the wire's; optional fields are boxed and omitted from output when null.
 */
public final class ExecProtocol {

    private ExecProtocol() {}

    /** Method and notification names. */
    public static final class Methods {
        public static final String INITIALIZE = "initialize";
        public static final String INITIALIZED = "initialized";
        public static final String PROCESS_START = "process/start";
        public static final String PROCESS_READ = "process/read";
        public static final String PROCESS_WRITE = "process/write";
        public static final String PROCESS_SIGNAL = "process/signal";
        public static final String PROCESS_TERMINATE = "process/terminate";
        public static final String PROCESS_OUTPUT = "process/output";
        public static final String PROCESS_EXITED = "process/exited";
        public static final String PROCESS_CLOSED = "process/closed";
        public static final String FS_READ_FILE = "fs/readFile";
        public static final String FS_WRITE_FILE = "fs/writeFile";
        public static final String FS_CREATE_DIRECTORY = "fs/createDirectory";
        public static final String FS_GET_METADATA = "fs/getMetadata";
        public static final String FS_READ_DIRECTORY = "fs/readDirectory";
        public static final String FS_REMOVE = "fs/remove";
        public static final String FS_COPY = "fs/copy";

        private Methods() {}
    }

    /** Output stream names of {@code process/output} and {@code process/read} chunks. */
    public static final class Streams {
        public static final String STDOUT = "stdout";
        public static final String STDERR = "stderr";
        public static final String PTY = "pty";

        private Streams() {}
    }

    /** {@code status} values of {@link ProcessWriteResponse}. */
    public static final class WriteStatus {
        public static final String ACCEPTED = "accepted";
        public static final String UNKNOWN_PROCESS = "unknownProcess";
        public static final String STDIN_CLOSED = "stdinClosed";
        public static final String STARTING = "starting";

        private WriteStatus() {}
    }

    // ---- lifecycle ----

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record InitializeParams(String clientName, String resumeSessionId) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record InitializeResponse(String sessionId, EnvironmentInfo environmentInfo) {}

    /** What Codex reports about the executor; clients ignore what they do not know. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record EnvironmentInfo(
            ShellInfo shell,
            String executorVersion,
            String cwd,
            String platformOs,
            String tempDir,
            Map<String, Boolean> capabilities) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ShellInfo(String name, String path) {}

    /** The empty {@code initialized} notification params and every {@code {}} result. */
    public record Empty() {}

    // ---- process/start ----

    /**
     * @param cwd a plain absolute path or a {@code file://} URI (Codex 0.169 sends the URI); see {@link #cwdPath()}
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ProcessStartParams(
            String processId,
            List<String> argv,
            String cwd,
            Map<String, String> env,
            boolean tty,
            boolean pipeStdin,
            String arg0,
            EnvPolicyParams envPolicy,
            SandboxParams sandbox) {
        public ProcessStartParams {
            env = env == null ? Map.of() : env;
        }

        /** The working directory as a path: accepts a plain path or a {@code file://} URI. */
        public Path cwdPath() {
            if (cwd == null) {
                return null;
            }
            return cwd.startsWith("file:") ? Path.of(URI.create(cwd)) : Path.of(cwd);
        }
    }

    /** {@code envPolicy} of {@code process/start}: the shell environment policy on the wire. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record EnvPolicyParams(
            String inherit,
            Boolean ignoreDefaultExcludes,
            List<String> exclude,
            Map<String, String> set,
            List<String> includeOnly) {

        /** @throws IllegalArgumentException for an unknown {@code inherit} value */
        public ShellEnvironmentPolicy toPolicy() {
            ShellEnvironmentPolicy.Inherit inh;
            try {
                inh = inherit == null
                        ? ShellEnvironmentPolicy.Inherit.ALL
                        : ShellEnvironmentPolicy.Inherit.fromWireName(inherit);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("envPolicy.inherit: '" + inherit + "' is not all, core or none");
            }
            return new ShellEnvironmentPolicy(
                    inh,
                    Boolean.TRUE.equals(ignoreDefaultExcludes),
                    exclude == null ? List.of() : exclude,
                    includeOnly == null ? List.of() : includeOnly,
                    set == null ? Map.of() : set);
        }

        public static EnvPolicyParams from(ShellEnvironmentPolicy p) {
            return new EnvPolicyParams(
                    p.inherit().wireName(), p.ignoreDefaultExcludes(), p.exclude(), p.set(), p.includeOnly());
        }
    }

    /** The {@code sandbox} object: {@code {"type":"workspace-write","writableRoots":[...],"networkAccess":false}}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SandboxParams(String type, List<String> writableRoots, Boolean networkAccess, Boolean excludeTmp) {

        /** @throws IllegalArgumentException for an unknown type or a relative writable root */
        public SandboxPolicy toPolicy() {
            if (type == null) {
                throw new IllegalArgumentException("sandbox.type is missing");
            }
            SandboxPolicy.Type t = SandboxPolicy.Type.fromWireName(type);
            List<Path> roots = writableRoots == null
                    ? List.of()
                    : writableRoots.stream().map(SandboxParams::root).toList();
            boolean net = networkAccess != null ? networkAccess : t == SandboxPolicy.Type.DANGER_FULL_ACCESS;
            return new SandboxPolicy(t, roots, net, Boolean.TRUE.equals(excludeTmp));
        }

        private static Path root(String s) {
            Path p = s.startsWith("file:") ? Path.of(URI.create(s)) : Path.of(s);
            if (!p.isAbsolute()) {
                throw new IllegalArgumentException("sandbox.writableRoots: '" + s + "' is not an absolute path");
            }
            return p;
        }

        public static SandboxParams from(SandboxPolicy p) {
            if (p == null) {
                return null;
            }
            return new SandboxParams(
                    p.type().wireName(),
                    p.writableRoots().isEmpty()
                            ? null
                            : p.writableRoots().stream().map(Path::toString).toList(),
                    p.networkAccess(),
                    p.excludeTmp() ? Boolean.TRUE : null);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ProcessStartResponse(String processId, String sandboxType) {}

    // ---- process/read ----

    /** @param afterSeq only chunks with a greater seq (null = 0); @param maxBytes byte budget; @param waitMs long-poll */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ProcessReadParams(String processId, Long afterSeq, Long maxBytes, Long waitMs) {}

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record ProcessReadResponse(
            List<ProcessOutputChunk> chunks,
            long nextSeq,
            boolean exited,
            Integer exitCode,
            boolean closed,
            String failure,
            boolean sandboxDenied) {}

    /** One retained chunk in a {@code process/read} reply; {@code chunk} is base64. */
    public record ProcessOutputChunk(long seq, String stream, String chunk) {}

    // ---- process/write, signal, terminate ----

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ProcessWriteParams(String processId, String chunk, String writeId) {}

    /** @param status one of {@link WriteStatus} */
    public record ProcessWriteResponse(String status) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ProcessSignalParams(String processId, String signal) {}

    public record ProcessTerminateParams(String processId) {}

    public record ProcessTerminateResponse(boolean running) {}

    // ---- notifications ----

    public record ProcessOutputNotification(String processId, long seq, String stream, String chunk) {}

    /** @param sandboxDenied null only from legacy servers (a client then asks once with process/read) */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ProcessExitedNotification(String processId, long seq, int exitCode, Boolean sandboxDenied) {}

    public record ProcessClosedNotification(String processId, long seq) {}

    // ---- filesystem ----

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FsReadFileParams(String path, SandboxParams sandbox) {}

    public record FsReadFileResponse(String dataBase64) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FsWriteFileParams(String path, String dataBase64, SandboxParams sandbox) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FsCreateDirectoryParams(String path, Boolean recursive, SandboxParams sandbox) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FsGetMetadataParams(String path, SandboxParams sandbox) {}

    public record FsGetMetadataResponse(
            @JsonProperty("isDirectory") boolean isDirectory,
            @JsonProperty("isFile") boolean isFile,
            @JsonProperty("isSymlink") boolean isSymlink,
            long size,
            long createdAtMs,
            long modifiedAtMs) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FsReadDirectoryParams(String path, SandboxParams sandbox) {}

    public record FsReadDirectoryResponse(List<FsDirectoryEntry> entries) {}

    public record FsDirectoryEntry(
            String fileName,
            @JsonProperty("isDirectory") boolean isDirectory,
            @JsonProperty("isFile") boolean isFile) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FsRemoveParams(String path, Boolean recursive, Boolean force, SandboxParams sandbox) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FsCopyParams(String sourcePath, String destinationPath, Boolean recursive, SandboxParams sandbox) {}
}
