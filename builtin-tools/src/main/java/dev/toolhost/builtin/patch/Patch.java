package dev.toolhost.builtin.patch;

import java.util.List;

/** A parsed apply_patch input: file operations in the order they appear. */
public record Patch(List<FileOp> ops) {

    public Patch {
        ops = List.copyOf(ops);
    }

    /** One {@code *** Add/Delete/Update File} section. */
    public sealed interface FileOp permits AddFile, DeleteFile, UpdateFile {
        String path();
    }

    public record AddFile(String path, String contents) implements FileOp {}

    public record DeleteFile(String path) implements FileOp {}

    /** @param moveTo the {@code *** Move to} destination, or null */
    public record UpdateFile(String path, String moveTo, List<Chunk> chunks) implements FileOp {
        public UpdateFile {
            chunks = List.copyOf(chunks);
        }
    }

    /**
     * One hunk of an update.
     *
     * @param anchor    the text after {@code @@}, or null
     * @param oldLines  context and removed lines, in order
     * @param newLines  context and added lines, in order
     * @param endOfFile the hunk ended with {@code *** End of File}: it must match at the end
     * @param patchLine 1-based line of the patch where the hunk starts (for error messages)
     */
    public record Chunk(String anchor, List<String> oldLines, List<String> newLines, boolean endOfFile, int patchLine) {
        public Chunk {
            oldLines = List.copyOf(oldLines);
            newLines = List.copyOf(newLines);
        }
    }
}
