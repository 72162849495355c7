package dev.toolhost.host;

import dev.toolhost.config.PrivateFiles;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Where library log lines go (the SDK, Reactor, Jetty and Toolhost's own modules log through SLF4J, bound to
 * java.util.logging): warnings and errors are appended to {@code TOOLHOST_HOME/logs/toolhost.log}, with time,
 * process id, level, logger and stack trace. Nothing reaches stderr, which carries only what Toolhost says in
 * user terms (set {@code TOOLHOST_DEBUG=1} to see the log lines there too). Exceptions left uncaught on a
 * thread are logged there too, instead of being printed on stderr by the JVM.
 *
 * <p>The file is opened on the first record, so a run that logs nothing creates nothing; it is opened for
 * append, since several Toolhost processes (one per MCP client session) share it, and moved to
 * {@code toolhost.log.1} once it passes {@value #MAX_BYTES} bytes. It is private: the directory is 0700 and the
 * file 0600 (as the agent transcripts in {@code sessions/}), and no id that works as a credential reaches it:
 * every UUID in a line (legacy MCP session ids, {@code NAME.UUID} with a replica id, agent thread ids,
 * exec-server session ids) is written as {@value #REDACTED}, and what the SDK logs when a legacy client went away
 * without {@code DELETE} (an ordinary end, not an error) is dropped.
 */
final class LogFile extends Handler {
    static final long MAX_BYTES = 10L << 20;
    static final String REDACTED = "<id>";

    /** A UUID, with the {@code NAME.} route a replica puts in front of its session ids. */
    private static final Pattern ID = Pattern.compile(
            "(?:[A-Za-z0-9_-]{1,32}\\.)?\\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\\b");

    /** The SDK's transport logger: it names the session in what it logs. */
    private static final String SDK_TRANSPORT = "io.modelcontextprotocol.spec.McpTransport";

    /** The SDK's keep-alive pings: it logs each ping a session did not answer. */
    private static final String SDK_KEEP_ALIVE = "io.modelcontextprotocol.util.KeepAliveScheduler";

    private final Path file;
    private Writer out;
    private boolean failed;

    LogFile(Path file) {
        this.file = file;
        setLevel(Level.WARNING);
        setFormatter(new LineFormatter());
        setFilter(LogFile::worthLogging);
    }

    /** Routes java.util.logging (and so SLF4J) to {@code logDir/toolhost.log}; call before anything logs. */
    static void install(Path logDir) {
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        root.setLevel(Level.WARNING);
        root.addHandler(new LogFile(logDir.resolve("toolhost.log")));
        // An exception nothing caught on a library's thread would otherwise be printed on stderr by the JVM.
        Thread.setDefaultUncaughtExceptionHandler((thread, e) ->
                Logger.getLogger("toolhost").log(Level.SEVERE, "uncaught on thread " + thread.getName(), e));
        if (System.getenv("TOOLHOST_DEBUG") != null) {
            ConsoleHandler console = new ConsoleHandler();
            console.setFormatter(new LineFormatter());
            console.setFilter(LogFile::worthLogging);
            root.addHandler(console);
        }
    }

    @Override
    public synchronized void publish(LogRecord record) {
        if (!isLoggable(record) || failed) {
            return;
        }
        try {
            if (out == null) {
                out = open();
            }
            out.write(getFormatter().format(record));
            out.flush();
        } catch (IOException | RuntimeException e) {
            failed = true; // a log that cannot be written must not break the command; stop trying
        }
    }

    private Writer open() throws IOException {
        if (Files.exists(file) && Files.size(file) > MAX_BYTES) {
            Files.move(file, file.resolveSibling(file.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
        }
        // Also a directory (and file) made before the log was private.
        PrivateFiles.ensure(file);
        return new OutputStreamWriter(
                Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND),
                StandardCharsets.UTF_8);
    }

    /**
     * Drops what the SDK logs when a legacy HTTP client went away without {@code DELETE}, an ordinary end and not a
     * fault: its transport's "Failed to send message to session ID: Client disconnected" (SEVERE, naming the
     * session) and its keep-alive's "Keep-alive ping to session ... failed" for a server session (the ping that
     * found the client gone, or that it never answered). Also a session's "Unexpected response for unknown id": a
     * client answering a request nobody waits for any more, which the HTTP endpoint accepts and drops.
     */
    static boolean worthLogging(LogRecord r) {
        String m = r.getMessage();
        if (m == null) {
            return true;
        }
        if (m.startsWith("Unexpected response for unknown id")
                && r.getLoggerName() != null
                && r.getLoggerName().startsWith("io.modelcontextprotocol.spec.Mcp")) {
            return false; // a client's late answer (its call was cancelled meanwhile): accepted and dropped
        }
        return !(SDK_TRANSPORT.equals(r.getLoggerName()) && m.startsWith("Failed to send message to session "))
                && !(SDK_KEEP_ALIVE.equals(r.getLoggerName())
                        && m.startsWith("Keep-alive ping to session ")
                        && m.contains("ServerSession@"));
    }

    /** {@code text} with every UUID (and its replica route) replaced by {@value #REDACTED}. */
    static String redact(String text) {
        return ID.matcher(text).replaceAll(REDACTED);
    }

    @Override
    public synchronized void flush() {
        try {
            if (out != null) {
                out.flush();
            }
        } catch (IOException ignored) {
            // nothing more to do for a log file
        }
    }

    @Override
    public synchronized void close() {
        try {
            if (out != null) {
                out.close();
            }
        } catch (IOException ignored) {
            // nothing more to do for a log file
        }
    }

    /**
     * {@code 2026-01-01T10:00:00Z pid=123 WARNING logger: message}, then the stack trace if any, with ids
     * {@linkplain #redact redacted} (exception messages included).
     */
    private static final class LineFormatter extends Formatter {
        /** Looked up at the first record, not at install: ProcessHandle's set-up costs ~5 ms of every start. */
        private static final class Pid {
            static final long VALUE = ProcessHandle.current().pid();
        }

        @Override
        public String format(LogRecord r) {
            StringBuilder b = new StringBuilder()
                    .append(Instant.ofEpochMilli(r.getMillis()))
                    .append(" pid=")
                    .append(Pid.VALUE)
                    .append(' ')
                    .append(r.getLevel().getName())
                    .append(' ')
                    .append(r.getLoggerName())
                    .append(": ")
                    .append(formatMessage(r))
                    .append(System.lineSeparator());
            if (r.getThrown() != null) {
                StringWriter trace = new StringWriter();
                r.getThrown().printStackTrace(new PrintWriter(trace));
                b.append(trace);
            }
            return redact(b.toString());
        }
    }
}
