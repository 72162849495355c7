package dev.toolhost.host.agent;

import dev.toolhost.config.ToolhostHome;
import dev.toolhost.host.model.ConversationItem;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Threads as JSONL files under {@code TOOLHOST_HOME/sessions}: one header line, then one line per item. */
public final class ThreadStore {
    private static final Pattern THREAD_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,127}");

    private final Path dir;

    public ThreadStore(Path dir) {
        this.dir = dir;
    }

    /** The store under {@code ToolhostHome.dir()/sessions}. */
    public static ThreadStore inToolhostHome() {
        return new ThreadStore(ToolhostHome.dir().resolve("sessions"));
    }

    public Path dir() {
        return dir;
    }

    public AgentThread create(Path cwd, String model) {
        String id = UUID.randomUUID().toString();
        Path file = dir.resolve(id + ".jsonl");
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("type", "thread");
        header.put("thread_id", id);
        header.put("created_at", Instant.now().toString());
        header.put("cwd", cwd.toString());
        header.put("model", model);
        try {
            createPrivate(file);
            Files.writeString(file, AgentJson.write(header) + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create thread file " + file + ": " + e.getMessage(), e);
        }
        return new AgentThread(id, file, cwd, model, List.of());
    }

    /**
     * Creates {@code file} readable by its owner only (0600), in a directory only its owner can list (0700):
     * a transcript holds everything the agent read and said.
     */
    private void createPrivate(Path file) throws IOException {
        if (!dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createDirectories(dir);
            Files.createFile(file);
            return;
        }
        Files.createDirectories(dir);
        // Also a directory made before transcripts were private.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }

    /**
     * Loads a saved thread.
     *
     * @throws ThreadNotFoundException naming the id and the directory searched
     */
    public AgentThread load(String id) throws ThreadNotFoundException {
        if (id == null || !THREAD_ID.matcher(id).matches()) {
            throw new ThreadNotFoundException("'" + id + "' is not a thread id (thread ids are printed as"
                    + " thread_id by exec --json and the agent tool)");
        }
        Path file = dir.resolve(id + ".jsonl");
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ThreadNotFoundException("thread " + id + " was not found in " + dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read thread file " + file + ": " + e.getMessage(), e);
        }
        List<ConversationItem> items = new ArrayList<>();
        Path cwd = null;
        String model = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            Map<String, Object> m;
            try {
                m = AgentJson.toMap(AgentJson.MAPPER.readTree(line));
            } catch (RuntimeException e) {
                if (i == lines.size() - 1) {
                    break; // a line cut short by a crash mid-write: keep what came before
                }
                throw new ThreadNotFoundException(
                        file + ":" + (i + 1) + ": not a JSON object; the thread file is" + " damaged");
            }
            if ("thread".equals(m.get("type")) && m.get("cwd") instanceof String dir) {
                cwd = Path.of(dir);
            }
            if ("thread".equals(m.get("type")) && m.get("model") instanceof String name) {
                model = name;
            }
            ConversationItem item = AgentThread.item(m);
            if (item != null) {
                items.add(item);
            }
        }
        return new AgentThread(id, file, cwd, model, answerDanglingCalls(items));
    }

    /**
     * The id of the most recently updated thread (by its file's modification time), optionally only among
     * threads started in {@code cwd}; empty when there is none.
     */
    public Optional<String> latest(Path cwd) {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jsonl"))
                    .filter(f -> cwd == null || cwd.toString().equals(headerCwd(f)))
                    .max(Comparator.comparing(ThreadStore::modified))
                    .map(f -> f.getFileName().toString().replaceFirst("\\.jsonl$", ""));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list threads in " + dir + ": " + e.getMessage(), e);
        }
    }

    private static String headerCwd(Path file) {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String first = r.readLine();
            Map<String, Object> header = first == null ? Map.of() : AgentJson.toMap(AgentJson.MAPPER.readTree(first));
            return header.get("cwd") instanceof String s ? s : null;
        } catch (IOException | RuntimeException e) {
            return null; // unreadable or damaged: not a candidate
        }
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    /** A call whose turn was cut off before its result was saved gets a result saying so; APIs require one. */
    private static List<ConversationItem> answerDanglingCalls(List<ConversationItem> items) {
        Set<String> answered = new HashSet<>();
        for (ConversationItem item : items) {
            if (item instanceof ConversationItem.FunctionCallOutput o) {
                answered.add(o.callId());
            }
        }
        List<ConversationItem> repaired = new ArrayList<>();
        for (ConversationItem item : items) {
            repaired.add(item);
            if (item instanceof ConversationItem.FunctionCall c && !answered.contains(c.callId())) {
                repaired.add(new ConversationItem.FunctionCallOutput(c.callId(), "the call was interrupted"));
            }
        }
        return repaired;
    }

    /** The named thread does not exist or cannot be read. */
    public static final class ThreadNotFoundException extends Exception {
        public ThreadNotFoundException(String message) {
            super(message);
        }
    }
}
