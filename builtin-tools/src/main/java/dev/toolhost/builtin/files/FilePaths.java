package dev.toolhost.builtin.files;

import dev.toolhost.builtin.Args;
import dev.toolhost.builtin.ToolError;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Path arguments of the file tools: resolved against the working directory, checked, clearly reported. */
final class FilePaths {
    private FilePaths() {}

    /** The path in {@code name} (or its alias), resolved against {@code cwd}; {@code fallback} when absent. */
    static Path resolve(Args args, String tool, String name, String alias, Path cwd, Path fallback) throws ToolError {
        String raw = args.optString(name, null);
        String aliased = alias == null ? null : args.optString(alias, null);
        if (raw != null && aliased != null && !raw.equals(aliased)) {
            throw new ToolError(tool + ": '" + name + "' and '" + alias + "' name the same argument; give one");
        }
        if (raw == null) {
            raw = aliased;
        }
        if (raw == null) {
            if (fallback != null) {
                return fallback;
            }
            throw new ToolError(tool + ": missing required argument '" + name + "' (string)"
                    + (alias == null ? "" : " or its alias '" + alias + "'"));
        }
        if (raw.isBlank()) {
            throw new ToolError(tool + ": argument '" + name + "' is empty");
        }
        return cwd.resolve(raw).normalize();
    }

    static void requireFile(String tool, Path p) throws ToolError {
        if (!Files.exists(p)) {
            throw new ToolError(tool + ": '" + p + "' does not exist");
        }
        if (Files.isDirectory(p)) {
            throw new ToolError(
                    tool + ": '" + p + "' is a directory" + (tool.equals("read_file") ? "; use list_dir" : ""));
        }
        if (!Files.isReadable(p)) {
            throw new ToolError(tool + ": '" + p + "' is not readable (permission denied)");
        }
    }

    static void requireDirectory(String tool, Path p) throws ToolError {
        if (!Files.exists(p)) {
            throw new ToolError(tool + ": '" + p + "' does not exist");
        }
        if (!Files.isDirectory(p)) {
            throw new ToolError(tool + ": '" + p + "' is not a directory");
        }
    }

    /** True when the first 8 KiB hold a NUL byte, the usual sign of a binary file. */
    static boolean looksBinary(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            byte[] head = in.readNBytes(8192);
            for (byte b : head) {
                if (b == 0) {
                    return true;
                }
            }
            return false;
        }
    }

    static String ioMessage(IOException e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName().replace("Exception", "") + (m == null ? "" : ": " + m);
    }
}
