package dev.toolhost.builtin.files;

import static dev.toolhost.builtin.Schemas.prop;
import static dev.toolhost.builtin.Schemas.props;

import dev.toolhost.builtin.BuiltinTool;
import dev.toolhost.builtin.Schemas;
import dev.toolhost.builtin.ToolCall;
import dev.toolhost.builtin.ToolError;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

/** {@code view_image}: a local PNG, JPEG, GIF or WebP as MCP image content. */
public final class ViewImageTool implements BuiltinTool {
    static final long MAX_BYTES = 20L << 20;

    private final Path cwd;

    public ViewImageTool(Path cwd) {
        this.cwd = cwd;
    }

    @Override
    public McpSchema.Tool tool() {
        return McpSchema.Tool.builder()
                .name("view_image")
                .description(
                        "Returns a local image file (PNG, JPEG, GIF or WebP, up to 20 MiB) so the model can look at it.")
                .inputSchema(Schemas.input(
                        props("path", prop("string", "image file, absolute or relative to the" + " working directory")),
                        List.of("path")))
                .annotations(new McpSchema.ToolAnnotations("View an image", true, false, true, false, null))
                .build();
    }

    @Override
    public McpSchema.CallToolResult call(ToolCall call) throws ToolError {
        Path file = FilePaths.resolve(call.args(), "view_image", "path", null, cwd, null);
        FilePaths.requireFile("view_image", file);
        try {
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw new ToolError("view_image: '" + file + "' is " + size + " bytes; the limit is " + MAX_BYTES);
            }
            String mime = mimeType(file);
            if (mime == null) {
                throw new ToolError("view_image: '" + file + "' is not a PNG, JPEG, GIF or WebP image");
            }
            String data = Base64.getEncoder().encodeToString(Files.readAllBytes(file));
            return McpSchema.CallToolResult.builder()
                    .addContent(new McpSchema.ImageContent(null, data, mime))
                    .isError(false)
                    .build();
        } catch (IOException e) {
            throw new ToolError("view_image: cannot read '" + file + "': " + FilePaths.ioMessage(e));
        }
    }

    /** Decided by the file's magic bytes, not its name. */
    static String mimeType(Path file) throws IOException {
        byte[] h;
        try (InputStream in = Files.newInputStream(file)) {
            h = in.readNBytes(12);
        }
        if (h.length >= 8 && (h[0] & 0xFF) == 0x89 && h[1] == 'P' && h[2] == 'N' && h[3] == 'G') {
            return "image/png";
        }
        if (h.length >= 3 && (h[0] & 0xFF) == 0xFF && (h[1] & 0xFF) == 0xD8 && (h[2] & 0xFF) == 0xFF) {
            return "image/jpeg";
        }
        if (h.length >= 6 && h[0] == 'G' && h[1] == 'I' && h[2] == 'F' && h[3] == '8') {
            return "image/gif";
        }
        if (h.length >= 12
                && h[0] == 'R'
                && h[1] == 'I'
                && h[2] == 'F'
                && h[3] == 'F'
                && h[8] == 'W'
                && h[9] == 'E'
                && h[10] == 'B'
                && h[11] == 'P') {
            return "image/webp";
        }
        return null;
    }
}
