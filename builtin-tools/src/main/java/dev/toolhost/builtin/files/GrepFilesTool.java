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
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** {@code grep_files}: files whose content matches a regex, most recently modified first. */
public final class GrepFilesTool implements BuiltinTool {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 10_000;
    static final long MAX_FILE_BYTES = 16L << 20;

    private final Path cwd;

    public GrepFilesTool(Path cwd) {
        this.cwd = cwd;
    }

    @Override
    public McpSchema.Tool tool() {
        return McpSchema.Tool.builder()
                .name("grep_files")
                .description("Finds files whose content matches a regular expression (Java syntax), searching 'path'"
                        + " recursively (skipping .git and binary files). Returns matching file paths, most recently"
                        + " modified first.")
                .inputSchema(Schemas.input(
                        props(
                                "pattern", prop("string", "regular expression to search for"),
                                "path", prop("string", "file or directory to search; default the working directory"),
                                "include",
                                        prop("string", "glob the file name or relative path must match, e.g. *.java"),
                                "limit", Schemas.integer("maximum number of files; default 100", 1, MAX_LIMIT)),
                        List.of("pattern")))
                .annotations(new McpSchema.ToolAnnotations("Search file contents", true, false, true, false, null))
                .build();
    }

    private record Hit(Path path, long modified) {}

    @Override
    public McpSchema.CallToolResult call(ToolCall call) throws ToolError {
        Args args = call.args();
        String regex = args.string("pattern");
        Pattern pattern;
        try {
            pattern = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new ToolError("grep_files: invalid regular expression '" + regex + "': " + e.getDescription()
                    + " near index " + e.getIndex());
        }
        Path root = FilePaths.resolve(args, "grep_files", "path", null, cwd, cwd);
        if (!Files.exists(root)) {
            throw new ToolError("grep_files: '" + root + "' does not exist");
        }
        String include = args.optString("include", null);
        PathMatcher matcher;
        try {
            matcher = include == null ? null : FileSystems.getDefault().getPathMatcher("glob:" + include);
        } catch (IllegalArgumentException e) {
            throw new ToolError("grep_files: invalid include glob '" + include + "': " + e.getMessage());
        }
        int limit = args.optInt("limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        List<Hit> hits = new ArrayList<>();
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    return dir.getFileName() != null
                                    && dir.getFileName().toString().equals(".git")
                                    && !dir.equals(root)
                            ? FileVisitResult.SKIP_SUBTREE
                            : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile()
                            && attrs.size() <= MAX_FILE_BYTES
                            && included(matcher, root, file)
                            && matches(file, pattern)) {
                        hits.add(new Hit(file, attrs.lastModifiedTime().toMillis()));
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new ToolError("grep_files: cannot search '" + root + "': " + FilePaths.ioMessage(e));
        }
        if (hits.isEmpty()) {
            return ToolResults.text("No files matched '" + regex + "' under " + root);
        }
        hits.sort(Comparator.comparingLong(Hit::modified).reversed().thenComparing(Hit::path));
        StringBuilder out = new StringBuilder();
        hits.stream().limit(limit).forEach(h -> out.append(h.path()).append('\n'));
        if (hits.size() > limit) {
            out.append("[... ")
                    .append(hits.size() - limit)
                    .append(" more files matched; raise limit or narrow the search]\n");
        }
        return ToolResults.text(out.toString());
    }

    private static boolean included(PathMatcher matcher, Path root, Path file) {
        if (matcher == null) {
            return true;
        }
        return matcher.matches(file.getFileName()) || (file.startsWith(root) && matcher.matches(root.relativize(file)));
    }

    private static boolean matches(Path file, Pattern pattern) {
        try {
            if (FilePaths.looksBinary(file)) {
                return false;
            }
            try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (pattern.matcher(line).find()) {
                        return true;
                    }
                }
            }
            return false;
        } catch (IOException unreadable) {
            return false;
        }
    }
}
