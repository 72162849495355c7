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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** {@code read_file}: numbered lines of a text file, a window at a time, streaming (never the whole file). */
public final class ReadFileTool implements BuiltinTool {
    static final int DEFAULT_LIMIT = 2000;
    static final int MAX_LIMIT = 20_000;
    static final int MAX_LINE_CHARS = 500;

    private final Path cwd;

    public ReadFileTool(Path cwd) {
        this.cwd = cwd;
    }

    @Override
    public McpSchema.Tool tool() {
        return McpSchema.Tool.builder()
                .name("read_file")
                .description("Reads a text file as numbered lines (L<n>: text), starting at line 'offset' (1-based)"
                        + " for at most 'limit' lines. Lines over 500 characters are cut. Binary files are refused.")
                .inputSchema(Schemas.inputWithAlias(
                        props(
                                "path", prop("string", "file to read, absolute or relative to the working directory"),
                                "file_path", prop("string", "the same as path (Codex's name for it); give one of them"),
                                "offset",
                                        Schemas.integer("first line to return, 1-based; default 1", 1, Long.MAX_VALUE),
                                "limit", Schemas.integer("maximum number of lines; default 2000", 1, MAX_LIMIT),
                                "mode",
                                        Map.of(
                                                "type",
                                                "string",
                                                "enum",
                                                List.of("slice"),
                                                "description",
                                                "Codex's read mode: only slice (the default, offset and limit) is"
                                                        + " supported")),
                        "path",
                        "file_path"))
                .annotations(new McpSchema.ToolAnnotations("Read a file", true, false, true, false, null))
                .build();
    }

    @Override
    public McpSchema.CallToolResult call(ToolCall call) throws ToolError {
        Args args = call.args();
        Path file = FilePaths.resolve(args, "read_file", "path", "file_path", cwd, null);
        long offset = args.optLong("offset", 1, 1, Long.MAX_VALUE);
        int limit = args.optInt("limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        FilePaths.requireFile("read_file", file);
        try {
            if (FilePaths.looksBinary(file)) {
                throw new ToolError("read_file: '" + file + "' looks like a binary file (it contains NUL bytes);"
                        + " use view_image for images");
            }
            StringBuilder out = new StringBuilder();
            long lineNo = 0;
            int taken = 0;
            boolean more = false;
            try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lineNo++;
                    if (lineNo < offset) {
                        continue;
                    }
                    if (taken == limit) {
                        more = true;
                        break;
                    }
                    if (line.length() > MAX_LINE_CHARS) {
                        line = line.substring(0, MAX_LINE_CHARS) + " [... line cut at " + MAX_LINE_CHARS
                                + " characters]";
                    }
                    out.append('L').append(lineNo).append(": ").append(line).append('\n');
                    taken++;
                }
            }
            if (taken == 0) {
                if (lineNo == 0) {
                    return ToolResults.text("(" + file + " is empty)");
                }
                throw new ToolError(
                        "read_file: offset " + offset + " is past the end of '" + file + "' (" + lineNo + " lines)");
            }
            if (more) {
                out.append("[... more lines follow; continue with offset=")
                        .append(offset + taken)
                        .append("]\n");
            }
            return ToolResults.text(out.toString());
        } catch (IOException e) {
            throw new ToolError("read_file: cannot read '" + file + "': " + FilePaths.ioMessage(e));
        }
    }
}
