package dev.toolhost.builtin.patch;

import java.util.ArrayList;
import java.util.List;

/** Parses the apply_patch language (see docs/tools-and-config.md). Lenient only where Codex is. */
public final class PatchParser {
    private static final String BEGIN = "*** Begin Patch";
    private static final String END = "*** End Patch";
    private static final String ADD = "*** Add File: ";
    private static final String DELETE = "*** Delete File: ";
    private static final String UPDATE = "*** Update File: ";
    private static final String MOVE = "*** Move to: ";
    private static final String EOF_MARKER = "*** End of File";

    private final String[] lines;
    private int pos;

    private PatchParser(String input) {
        this.lines = input.replace("\r\n", "\n").split("\n", -1);
    }

    public static Patch parse(String input) throws PatchException {
        return new PatchParser(input).parse();
    }

    private Patch parse() throws PatchException {
        int first = 0;
        int last = lines.length - 1;
        while (first <= last && lines[first].isBlank()) {
            first++;
        }
        while (last >= first && lines[last].isBlank()) {
            last--;
        }
        if (first > last || !lines[first].strip().equals(BEGIN)) {
            throw new PatchException("invalid patch: the first line must be '" + BEGIN + "'");
        }
        if (!lines[last].strip().equals(END)) {
            throw new PatchException("invalid patch: the last line must be '" + END + "'");
        }
        pos = first + 1;
        List<Patch.FileOp> ops = new ArrayList<>();
        while (pos < last) {
            String line = lines[pos];
            String header = line.strip();
            if (header.startsWith(ADD)) {
                pos++;
                ops.add(parseAdd(path(header, ADD), last));
            } else if (header.startsWith(DELETE)) {
                pos++;
                ops.add(new Patch.DeleteFile(path(header, DELETE)));
            } else if (header.startsWith(UPDATE)) {
                pos++;
                ops.add(parseUpdate(path(header, UPDATE), last));
            } else if (line.isBlank()) {
                pos++;
            } else {
                throw new PatchException(
                        "invalid patch line " + (pos + 1) + ": '" + line
                                + "' is not a file header (expected '*** Add File: ', '*** Delete File: ' or '*** Update File: ')");
            }
        }
        if (ops.isEmpty()) {
            throw new PatchException("invalid patch: no file operations between '" + BEGIN + "' and '" + END + "'");
        }
        return new Patch(ops);
    }

    private String path(String header, String prefix) throws PatchException {
        String p = header.substring(prefix.length()).strip();
        if (p.isEmpty()) {
            throw new PatchException(
                    "invalid patch line " + (pos + 1) + ": missing path after '" + prefix.strip() + "'");
        }
        return p;
    }

    private Patch.AddFile parseAdd(String path, int last) throws PatchException {
        StringBuilder contents = new StringBuilder();
        while (pos < last && !lines[pos].startsWith("***")) {
            String line = lines[pos];
            if (!line.startsWith("+")) {
                throw new PatchException("invalid patch line " + (pos + 1) + " in Add File '" + path
                        + "': every line of an added file must start with '+', got '" + line + "'");
            }
            contents.append(line, 1, line.length()).append('\n');
            pos++;
        }
        return new Patch.AddFile(path, contents.toString());
    }

    private Patch.UpdateFile parseUpdate(String path, int last) throws PatchException {
        String moveTo = null;
        if (pos < last && lines[pos].strip().startsWith(MOVE)) {
            moveTo = path(lines[pos].strip(), MOVE);
            pos++;
        }
        List<Patch.Chunk> chunks = new ArrayList<>();
        while (pos < last) {
            String line = lines[pos];
            if (line.startsWith("***") && !line.strip().equals(EOF_MARKER)) {
                break;
            }
            if (line.isBlank() && !chunks.isEmpty() && nextIsHeaderOrEnd(last)) {
                pos++;
                continue;
            }
            chunks.add(parseChunk(path, chunks.isEmpty(), last, chunks.size() + 1));
        }
        if (chunks.isEmpty()) {
            throw new PatchException("invalid patch: Update File '" + path + "' has no hunks");
        }
        return new Patch.UpdateFile(path, moveTo, chunks);
    }

    private boolean nextIsHeaderOrEnd(int last) {
        int i = pos;
        while (i < last && lines[i].isBlank()) {
            i++;
        }
        return i >= last || lines[i].startsWith("***");
    }

    private Patch.Chunk parseChunk(String path, boolean first, int last, int hunkNo) throws PatchException {
        int start = pos + 1;
        String anchor = null;
        String line = lines[pos];
        if (line.equals("@@")) {
            pos++;
        } else if (line.startsWith("@@ ")) {
            anchor = line.substring(3);
            pos++;
        } else if (!first) {
            throw new PatchException("invalid patch line " + (pos + 1) + " in hunk " + hunkNo + " of '" + path
                    + "': expected '@@' to start a hunk, got '" + line + "'");
        }
        List<String> oldLines = new ArrayList<>();
        List<String> newLines = new ArrayList<>();
        boolean endOfFile = false;
        int changeLines = 0;
        while (pos < last) {
            line = lines[pos];
            if (line.strip().equals(EOF_MARKER)) {
                endOfFile = true;
                pos++;
                break;
            }
            if (line.startsWith("***") || (line.startsWith("@@") && changeLines > 0)) {
                break;
            }
            if (line.isEmpty()) {
                oldLines.add("");
                newLines.add("");
            } else {
                switch (line.charAt(0)) {
                    case ' ' -> {
                        oldLines.add(line.substring(1));
                        newLines.add(line.substring(1));
                    }
                    case '-' -> oldLines.add(line.substring(1));
                    case '+' -> newLines.add(line.substring(1));
                    default ->
                        throw new PatchException("invalid patch line " + (pos + 1) + " in hunk " + hunkNo + " of '"
                                + path + "': a hunk line must start with ' ', '-' or '+', got '" + line + "'");
                }
            }
            changeLines++;
            pos++;
        }
        if (changeLines == 0) {
            throw new PatchException(
                    "invalid patch line " + start + ": hunk " + hunkNo + " of '" + path + "' is empty");
        }
        return new Patch.Chunk(anchor, oldLines, newLines, endOfFile, start);
    }
}
