package dev.toolhost.exec;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where a process's program ({@code argv[0]}) is, decided once before it starts so that pipes, PTYs and the
 * sandbox all run the same file and a missing program is an error naming it. A bare name is looked up on the
 * request's {@code PATH}, then on the server's (where {@link ProcessBuilder} looks); a name with a {@code /} is
 * taken relative to the cwd.
 */
public final class ProgramPath {

    private ProgramPath() {}

    /**
     * @param program {@code argv[0]}
     * @param cwd the process's absolute working directory
     * @param env the process's environment (its {@code PATH}, if any, is searched first)
     * @param serverPath this server's {@code PATH}, or null
     * @return the absolute path of an executable regular file
     * @throws InvalidRequestException when there is none, naming {@code program}
     */
    public static Path resolve(String program, Path cwd, Map<String, String> env, String serverPath)
            throws InvalidRequestException {
        String prefix = "failed to start '" + program + "': ";
        if (program.isEmpty()) {
            throw new InvalidRequestException("failed to start '': argv[0] is empty");
        }
        if (program.contains("/")) {
            Path p = cwd.resolve(program).normalize();
            if (!Files.exists(p)) {
                throw new InvalidRequestException(prefix + "no such file"
                        + (Path.of(program).isAbsolute() ? "" : " (relative to cwd " + cwd + ")"));
            }
            if (!Files.isRegularFile(p) || !Files.isExecutable(p)) {
                throw new InvalidRequestException(prefix + p + " is not an executable file");
            }
            return p;
        }
        String requestPath = env.get("PATH");
        Optional<Path> found = onPath(program, requestPath).or(() -> onPath(program, serverPath));
        if (found.isEmpty()) {
            throw new InvalidRequestException(prefix
                    + (requestPath == null
                            ? "not found on Toolhost's PATH (the process's environment has no PATH)"
                            : "not found on the PATH given for the process nor on Toolhost's own PATH"));
        }
        return found.get();
    }

    /** The first executable regular file named {@code name} in the directories of {@code path} (empty ones skipped). */
    public static Optional<Path> onPath(String name, String path) {
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty() || !Path.of(dir).isAbsolute()) {
                continue;
            }
            Path p = Path.of(dir, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
