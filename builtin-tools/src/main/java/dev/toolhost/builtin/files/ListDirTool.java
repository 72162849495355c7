package dev.toolhost.builtin.files;

import static dev.toolhost.builtin.Schemas.prop;
import static dev.toolhost.builtin.Schemas.props;

import dev.toolhost.builtin.Args;
import dev.toolhost.builtin.BuiltinTool;
import dev.toolhost.builtin.Schemas;
import dev.toolhost.builtin.ToolCall;
import dev.toolhost.builtin.ToolError;
import dev.toolhost.builtin.ToolResults;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** {@code list_dir}: a directory tree to a depth, directories marked with '/', symlinks with '@'. */
public final class ListDirTool implements BuiltinTool {
    static final int DEFAULT_LIMIT = 200;
    static final int MAX_LIMIT = 10_000;
    static final int MAX_DEPTH = 20;

    private final Path cwd;

    public ListDirTool(Path cwd) {
        this.cwd = cwd;
    }

    @Override
    public McpSchema.Tool tool() {
        return McpSchema.Tool.builder()
                .name("list_dir")
                .description("Lists a directory as an indented tree, sorted by name; directories end with '/',"
                        + " symlinks with '@' (not followed).")
                .inputSchema(Schemas.input(
                        props(
                                "path",
                                        prop(
                                                "string",
                                                "directory, absolute or relative to the working directory; default ."),
                                "dir_path", prop("string", "the same as path (Codex's name for it); give one of them"),
                                "offset",
                                        Schemas.integer(
                                                "first entry to show, 1-based, in listing order; default 1",
                                                1,
                                                Long.MAX_VALUE),
                                "depth", Schemas.integer("how many levels to descend; default 2", 1, MAX_DEPTH),
                                "limit", Schemas.integer("maximum number of entries; default 200", 1, MAX_LIMIT)),
                        List.of()))
                .annotations(new McpSchema.ToolAnnotations("List a directory", true, false, true, false, null))
                .build();
    }

    @Override
    public McpSchema.CallToolResult call(ToolCall call) throws ToolError {
        Args args = call.args();
        Path dir = FilePaths.resolve(args, "list_dir", "path", "dir_path", cwd, cwd);
        int depth = args.optInt("depth", 2, 1, MAX_DEPTH);
        int limit = args.optInt("limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        long offset = args.optLong("offset", 1, 1, Long.MAX_VALUE);
        FilePaths.requireDirectory("list_dir", dir);
        StringBuilder out = new StringBuilder("Absolute path: ").append(dir).append('\n');
        // count[0]: entries shown; count[1]: entries still to skip before the first shown (Codex's 1-based offset).
        long[] count = {0, offset - 1};
        boolean complete;
        try {
            complete = list(dir, 1, depth, limit, count, out);
        } catch (IOException e) {
            throw new ToolError("list_dir: cannot list '" + dir + "': " + FilePaths.ioMessage(e));
        }
        if (!complete) {
            out.append("[... more than ")
                    .append(limit)
                    .append(" entries; raise limit or offset, lower depth or list a subdirectory]\n");
        } else if (count[0] == 0) {
            out.append(offset > 1 ? "(no entries from offset " + offset + ")\n" : "(empty)\n");
        }
        return ToolResults.text(out.toString());
    }

    /** Appends the entries of {@code dir}; false when the limit cut the listing short. */
    private static boolean list(Path dir, int level, int maxDepth, int limit, long[] count, StringBuilder out)
            throws IOException {
        List<Path> children;
        try (Stream<Path> s = Files.list(dir)) {
            children = s.sorted().toList();
        }
        for (Path child : children) {
            if (count[0] == limit) {
                return false;
            }
            boolean link = Files.isSymbolicLink(child);
            boolean directory = !link && Files.isDirectory(child);
            if (count[1] > 0) {
                count[1]--;
            } else {
                count[0]++;
                out.append("  ".repeat(level - 1))
                        .append(child.getFileName())
                        .append(link ? "@" : directory ? "/" : "")
                        .append('\n');
            }
            if (directory && level < maxDepth) {
                try {
                    if (!list(child, level + 1, maxDepth, limit, count, out)) {
                        return false;
                    }
                } catch (IOException unreadable) {
                    out.append("  ".repeat(level))
                            .append("[unreadable: ")
                            .append(FilePaths.ioMessage(unreadable))
                            .append("]\n");
                }
            }
        }
        return true;
    }
}
