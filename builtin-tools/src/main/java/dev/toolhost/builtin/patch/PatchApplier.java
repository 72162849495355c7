package dev.toolhost.builtin.patch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a parsed {@link Patch} into a {@link PatchPlan}: reads the files it updates, locates every
 * hunk and computes the new contents, without writing anything. Operations on the same file later in
 * the patch see the result of earlier ones.
 */
public final class PatchApplier {
    private final Path cwd;
    /** Virtual file system: absolute path -> contents (null = deleted) as of the operations so far. */
    private final Map<Path, String> state = new LinkedHashMap<>();

    private final Map<Path, Boolean> loaded = new HashMap<>();
    private final List<String> summary = new ArrayList<>();

    private PatchApplier(Path cwd) {
        this.cwd = cwd;
    }

    /** Resolves patch paths against {@code cwd} and computes every change. */
    public static PatchPlan plan(Patch patch, Path cwd) throws PatchException {
        PatchApplier a = new PatchApplier(cwd);
        for (Patch.FileOp op : patch.ops()) {
            if (op instanceof Patch.AddFile add) {
                a.add(add);
            } else if (op instanceof Patch.DeleteFile del) {
                a.delete(del);
            } else if (op instanceof Patch.UpdateFile upd) {
                a.update(upd);
            }
        }
        return new PatchPlan(a.state, a.summary);
    }

    public static Path resolve(Path cwd, String patchPath) {
        return cwd.resolve(patchPath).normalize();
    }

    private void add(Patch.AddFile add) throws PatchException {
        Path p = resolve(cwd, add.path());
        if (Files.isDirectory(p)) {
            throw new PatchException("Add File '" + add.path() + "': a directory with that name exists");
        }
        state.put(p, add.contents());
        summary.add("A " + add.path());
    }

    private void delete(Patch.DeleteFile del) throws PatchException {
        Path p = resolve(cwd, del.path());
        if (current(p, del.path(), "Delete File") == null) {
            throw new PatchException("Delete File '" + del.path() + "': no such file");
        }
        state.put(p, null);
        summary.add("D " + del.path());
    }

    private void update(Patch.UpdateFile upd) throws PatchException {
        Path p = resolve(cwd, upd.path());
        String original = current(p, upd.path(), "Update File");
        if (original == null) {
            throw new PatchException("Update File '" + upd.path() + "': no such file");
        }
        String updated = applyChunks(original, upd);
        if (upd.moveTo() != null) {
            Path dest = resolve(cwd, upd.moveTo());
            if (Files.isDirectory(dest)) {
                throw new PatchException("Move to '" + upd.moveTo() + "': a directory with that name exists");
            }
            state.put(p, null);
            state.put(dest, updated);
            summary.add("M " + upd.moveTo());
        } else {
            state.put(p, updated);
            summary.add("M " + upd.path());
        }
    }

    /** The file as earlier operations left it (null when absent), read from disk the first time. */
    private String current(Path p, String shown, String op) throws PatchException {
        if (state.containsKey(p)) {
            return state.get(p);
        }
        if (loaded.containsKey(p) || !Files.exists(p)) {
            return null;
        }
        if (!Files.isRegularFile(p)) {
            throw new PatchException(op + " '" + shown + "': not a regular file");
        }
        try {
            byte[] bytes = Files.readAllBytes(p);
            String text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
            loaded.put(p, true);
            state.put(p, text);
            return text;
        } catch (CharacterCodingException e) {
            throw new PatchException(op + " '" + shown + "': the file is not UTF-8 text");
        } catch (IOException e) {
            throw new PatchException(op + " '" + shown + "': cannot read: " + PatchPlan.describe(e));
        }
    }

    private record Replacement(int start, int length, List<String> lines) {}

    static String applyChunks(String original, Patch.UpdateFile upd) throws PatchException {
        // A CRLF file stays CRLF: match on LF lines, write the line endings back as they were.
        if (original.contains("\r\n")) {
            return applyChunks(original.replace("\r\n", "\n"), upd).replace("\n", "\r\n");
        }
        List<String> lines = new ArrayList<>(Arrays.asList(original.split("\n", -1)));
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        List<Replacement> replacements = new ArrayList<>();
        int index = 0;
        int hunkNo = 0;
        for (Patch.Chunk chunk : upd.chunks()) {
            hunkNo++;
            if (chunk.anchor() != null) {
                LineMatcher.Match at = LineMatcher.find(lines, List.of(chunk.anchor()), index, false);
                if (at == null) {
                    throw new PatchException(hunkFailure(upd, hunkNo, chunk)
                            + ": the @@ anchor line '" + chunk.anchor() + "' was not found"
                            + (index > 0 ? " after line " + index : ""));
                }
                index = at.index() + 1;
            }
            if (chunk.oldLines().isEmpty()) {
                replacements.add(new Replacement(lines.size(), 0, chunk.newLines()));
                continue;
            }
            List<String> pattern = chunk.oldLines();
            List<String> replacement = chunk.newLines();
            LineMatcher.Match at = LineMatcher.find(lines, pattern, index, chunk.endOfFile());
            if (at == null && pattern.get(pattern.size() - 1).isEmpty()) {
                // A trailing empty context line usually stands for the file's final newline.
                pattern = pattern.subList(0, pattern.size() - 1);
                if (!replacement.isEmpty()
                        && replacement.get(replacement.size() - 1).isEmpty()) {
                    replacement = replacement.subList(0, replacement.size() - 1);
                }
                at = pattern.isEmpty() ? null : LineMatcher.find(lines, pattern, index, chunk.endOfFile());
            }
            if (at == null) {
                int matched = LineMatcher.longestMatchingPrefix(lines, chunk.oldLines(), index);
                int failing = Math.min(matched, chunk.oldLines().size() - 1);
                throw new PatchException(hunkFailure(upd, hunkNo, chunk) + ": line " + (failing + 1) + " of the hunk, '"
                        + chunk.oldLines().get(failing) + "', did not match"
                        + (chunk.endOfFile() ? " at the end of the file" : index > 0 ? " after line " + index : "")
                        + " (expected " + chunk.oldLines().size() + " lines in order: "
                        + String.join(" | ", chunk.oldLines()) + ")");
            }
            replacements.add(new Replacement(at.index(), pattern.size(), replacement));
            index = at.index() + pattern.size();
        }
        replacements.sort(Comparator.comparingInt(Replacement::start));
        for (int i = replacements.size() - 1; i >= 0; i--) {
            Replacement r = replacements.get(i);
            for (int k = 0; k < r.length(); k++) {
                lines.remove(r.start());
            }
            lines.addAll(r.start(), r.lines());
        }
        if (lines.isEmpty()) {
            return "";
        }
        return String.join("\n", lines) + "\n";
    }

    private static String hunkFailure(Patch.UpdateFile upd, int hunkNo, Patch.Chunk chunk) {
        return "apply_patch: hunk " + hunkNo + " of '" + upd.path() + "' (patch line " + chunk.patchLine()
                + ") did not apply, no file was changed";
    }
}
