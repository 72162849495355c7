package dev.toolhost.mcp.client;

import dev.toolhost.config.McpServerConfig;
import dev.toolhost.mcp.core.McpVersions;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpTransportException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

/**
 * Toolhost's stdio client transport: starts an MCP server process and exchanges newline-delimited
 * JSON-RPC messages with it, never dropping one.
 *
 * <p>Stands in for the SDK's {@code StdioClientTransport}, which emits outbound messages with
 * {@code tryEmitNext} on a unicast sink and fails with "Failed to enqueue message" when two threads
 * send at once (modelcontextprotocol/java-sdk issues #304, #686, #875; proposed fixes in PRs #834,
 * #935). Here every outbound message (request, notification, response to a server request), from
 * whatever thread, is serialized by its sender and written whole, in order, through one
 * {@link LineWriter}: bounded buffering, and a sender that finds it full waits (back-pressure)
 * instead of failing.
 *
 * <p>Loss is never silent: when the process exits, its stdout closes or a write fails, every queued
 * message and every request still waiting for its response fails at once with an error naming the
 * server (waiting requests get a JSON-RPC error response delivered to the session), and termination
 * listeners are told why.
 *
 * <p>Size: a line may be up to {@code max_message_bytes} long (64 MiB by default), and any valid
 * JSON-RPC message within that is read. A line that is too long, or that cannot be parsed, but has an
 * {@code id} fails the request it answers at once, with the parser's reason and the line's size, instead
 * of leaving it to time out; a request from the server that cannot be read gets a JSON-RPC error back.
 *
 * <p>The process and its children end when the connection closes, when it fails, and when the JVM
 * exits ({@link ChildProcesses}).
 */
public final class LosslessStdioClientTransport implements McpClientTransport {
    private static final Logger log = LoggerFactory.getLogger(LosslessStdioClientTransport.class);
    static final int QUEUE_CAPACITY = 4096;
    /** A sender blocked this long on a full queue means the server stopped reading its stdin. */
    private static final Duration STUCK_AFTER = Duration.ofSeconds(60);

    private final StdioLaunch launch;
    private final McpJsonMapper mapper;
    private final int maxMessageBytes;
    private final JsonMapper reader;
    /** Requests we sent whose response has not arrived: id to method. */
    private final Map<Object, String> awaiting = new ConcurrentHashMap<>();

    private final List<Consumer<String>> terminationListeners = new CopyOnWriteArrayList<>();
    private volatile Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler;
    private volatile Process process;
    private final LineWriter writer;
    private volatile String terminated;
    /** The process could not be started at all (its command does not exist or cannot be run). */
    private volatile boolean neverStarted;

    private volatile boolean closing;
    private volatile long logOffset;

    public LosslessStdioClientTransport(StdioLaunch launch) {
        this(launch, McpServerConfig.DEFAULT_MAX_MESSAGE_BYTES);
    }

    /** @param maxMessageBytes the longest line read from the server, in bytes ({@code max_message_bytes}) */
    public LosslessStdioClientTransport(StdioLaunch launch, int maxMessageBytes) {
        this(launch, McpJsonDefaults.getMapper(), maxMessageBytes);
    }

    public LosslessStdioClientTransport(StdioLaunch launch, McpJsonMapper mapper, int maxMessageBytes) {
        this.launch = launch;
        this.mapper = mapper;
        this.maxMessageBytes = maxMessageBytes;
        this.reader = JsonRpcMessages.readerFor(maxMessageBytes);
        this.writer = new LineWriter(QUEUE_CAPACITY, STUCK_AFTER, this::writeFailed);
    }

    /** Called once with the reason when the connection ends for any reason other than {@link #closeGracefully}. */
    public void addTerminationListener(Consumer<String> listener) {
        terminationListeners.add(listener);
    }

    /** The child's pid, or -1 before it started. */
    public long pid() {
        Process p = process;
        return p == null ? -1 : p.pid();
    }

    /** Why the connection ended, or null while it is up. */
    public String terminationReason() {
        return terminated;
    }

    /**
     * True when the process could not be started at all (its command does not exist or cannot be run): then
     * {@link #terminationReason()} says why, and nothing was ever spoken to the server.
     */
    public boolean neverStarted() {
        return neverStarted;
    }

    /** The last lines the server wrote to stderr in this run. */
    public List<String> stderrTail(int lines) {
        return ServerLogs.tail(launch.stderrLog(), logOffset, lines);
    }

    @Override
    public List<String> protocolVersions() {
        return McpVersions.LEGACY;
    }

    @Override
    public Mono<Void> connect(Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler) {
        return Mono.<Void>fromRunnable(() -> {
                    this.handler = handler;
                    ProcessBuilder pb = new ProcessBuilder(launch.command());
                    pb.environment().clear();
                    pb.environment().putAll(launch.env());
                    if (launch.cwd() != null) {
                        pb.directory(launch.cwd().toFile());
                    }
                    if (launch.stderrLog() != null) {
                        logOffset = ServerLogs.begin(launch.stderrLog(), launch.command());
                        pb.redirectError(Redirect.appendTo(launch.stderrLog().toFile()));
                    } else {
                        pb.redirectError(Redirect.DISCARD);
                    }
                    try {
                        process = pb.start();
                        ChildProcesses.track(process);
                    } catch (IOException e) {
                        // Not an error of connect(): the SDK subscribes to it without an error handler. The
                        // first message sent (initialize) fails with this reason instead.
                        neverStarted = true;
                        terminate("could not start MCP server '" + launch.server() + "' with command "
                                + launch.command() + ": " + e.getMessage());
                        return;
                    }
                    Process p = process;
                    writer.start(p.getOutputStream());
                    daemon("mcp-" + launch.server() + "-reader", () -> readLoop(p));
                    p.onExit()
                            .thenRun(() -> terminate(
                                    "MCP server '" + launch.server() + "' exited with code " + p.exitValue()));
                })
                .subscribeOn(Schedulers.boundedElastic());
    }

    @Override
    public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
        return Mono.create(sink -> {
            String reason = terminated;
            if (reason != null) {
                if (closing && !(message instanceof McpSchema.JSONRPCRequest)) {
                    sink.success(); // we chose to close: late responses and notifications have no reader
                } else {
                    sink.error(notRunning(reason));
                }
                return;
            }
            byte[] bytes;
            try {
                bytes = mapper.writeValueAsBytes(message);
            } catch (IOException | RuntimeException e) {
                // One message that cannot be encoded fails alone; the connection is fine.
                sink.error(new McpTransportException(
                        "could not encode a message for MCP server '" + launch.server() + "': " + e.getMessage(), e));
                return;
            }
            Object requestId = message instanceof McpSchema.JSONRPCRequest request ? request.id() : null;
            if (requestId != null) {
                awaiting.put(requestId, ((McpSchema.JSONRPCRequest) message).method());
            }
            LineWriter.Receipt receipt = new LineWriter.Receipt() {
                @Override
                public void written() {
                    sink.success();
                }

                @Override
                public void failed(IOException e) {
                    if (requestId != null) {
                        awaiting.remove(requestId);
                    }
                    sink.error(notRunning(
                            terminated != null
                                    ? terminated
                                    : "writing to MCP server '" + launch.server() + "' failed: " + e.getMessage()));
                }
            };
            try {
                writer.write(bytes, receipt);
            } catch (IOException e) {
                receipt.failed(e);
            }
        });
    }

    private McpTransportException notRunning(String reason) {
        return new McpTransportException(reason);
    }

    /** A broken pipe usually means the server exited: say so, with its exit code. */
    private void writeFailed(IOException e) {
        Process p = process;
        if (terminated != null || p == null) {
            return;
        }
        try {
            if (e instanceof LineWriter.StuckException) {
                terminate("MCP server '" + launch.server() + "' stopped reading its stdin (" + QUEUE_CAPACITY
                        + " messages waited " + STUCK_AFTER.toSeconds() + " s)");
            } else if (p.waitFor(500, TimeUnit.MILLISECONDS)) {
                terminate("MCP server '" + launch.server() + "' exited with code " + p.exitValue());
            } else {
                terminate("writing to MCP server '" + launch.server() + "' failed: " + e.getMessage());
            }
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            terminate("writing to MCP server '" + launch.server() + "' failed: " + e.getMessage());
        }
    }

    private void readLoop(Process p) {
        try (InputStream stdout = p.getInputStream()) {
            LineReader in = new LineReader(stdout);
            byte[] line;
            JsonRpcMessages.Outline[] overLimit = new JsonRpcMessages.Outline[1];
            while ((line = in.readLine(maxMessageBytes, rest -> overLimit[0] = JsonRpcMessages.outline(rest)))
                    != null) {
                if (line == LineReader.OVER_LIMIT) {
                    unreadable(
                            overLimit[0],
                            in.lastLength(),
                            "it is longer than max_message_bytes (" + maxMessageBytes + " bytes)",
                            null);
                    continue;
                }
                if (LineReader.isBlank(line)) {
                    continue;
                }
                List<McpSchema.JSONRPCMessage> messages;
                try {
                    messages = JsonRpcMessages.fromJson(reader.readValue(line, Object.class));
                } catch (Exception e) {
                    unreadable(
                            JsonRpcMessages.outline(new ByteArrayInputStream(line)),
                            line.length,
                            firstLine(e.getMessage()),
                            line);
                    continue;
                }
                for (McpSchema.JSONRPCMessage message : messages) {
                    if (message instanceof McpSchema.JSONRPCResponse response) {
                        awaiting.remove(response.id());
                    }
                    deliver(message);
                }
            }
        } catch (IOException e) {
            if (!closing) {
                terminate("reading from MCP server '" + launch.server() + "' failed: " + e.getMessage());
            }
        }
        if (!closing) {
            try {
                if (p.waitFor(1, TimeUnit.SECONDS)) {
                    terminate("MCP server '" + launch.server() + "' exited with code " + p.exitValue());
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            terminate("MCP server '" + launch.server() + "' closed its stdout");
        }
    }

    /**
     * A line that is no message. With an id it answers (or asks) something, so the other side hears at
     * once why it failed; without one it is a banner or log line some servers print, and is skipped.
     */
    private void unreadable(JsonRpcMessages.Outline outline, long size, String reason, byte[] line) {
        String what = "MCP server '" + launch.server() + "' sent a line of " + size + " bytes that could not be"
                + " read: " + reason;
        if (outline == null || outline.id() == null) {
            log.warn(
                    "{} (no id; ignored){}",
                    what,
                    line == null ? "" : ": " + abbreviate(new String(line, StandardCharsets.UTF_8)));
            return;
        }
        McpSchema.JSONRPCResponse.JSONRPCError error =
                new McpSchema.JSONRPCResponse.JSONRPCError(McpSchema.ErrorCodes.PARSE_ERROR, what, null);
        if (outline.hasMethod()) {
            // A request of the server's: tell it why it gets no proper answer.
            log.warn("{} (a request, id {}; answered with a parse error)", what, outline.id());
            sendMessage(new McpSchema.JSONRPCResponse(
                            McpSchema.JSONRPC_VERSION,
                            outline.id(),
                            null,
                            new McpSchema.JSONRPCResponse.JSONRPCError(
                                    McpSchema.ErrorCodes.PARSE_ERROR,
                                    "Toolhost could not read this request (" + size + " bytes): " + reason,
                                    null)))
                    .subscribe(null, e -> {});
            return;
        }
        // The request fails with this text, so its caller hears it; the log only keeps a trace.
        log.debug("{} (the reply to request {}; that request fails)", what, outline.id());
        Object id = awaitedId(outline.id());
        awaiting.remove(id);
        deliver(new McpSchema.JSONRPCResponse(McpSchema.JSONRPC_VERSION, id, null, error));
    }

    /** The id as we sent it (a number read back may be a Long where we sent an Integer). */
    private Object awaitedId(Object id) {
        if (id instanceof Number n) {
            for (Object sent : awaiting.keySet()) {
                if (sent instanceof Number m && m.longValue() == n.longValue()) {
                    return sent;
                }
            }
        }
        return id;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private void deliver(McpSchema.JSONRPCMessage message) {
        try {
            handler.apply(Mono.just(message)).subscribe(v -> {}, e -> log.debug("handler failed", e));
        } catch (RuntimeException e) {
            log.warn("MCP server '{}': handling a message failed: {}", launch.server(), e.toString());
        }
    }

    /** Ends the connection once: fails queued messages and waiting requests, then tells listeners. */
    private void terminate(String reason) {
        synchronized (this) {
            if (terminated != null) {
                return;
            }
            terminated = reason;
        }
        // Listeners first: the hub marks the server failed before any caller sees an error.
        if (!closing) {
            terminationListeners.forEach(l -> l.accept(reason));
        }
        writer.abort(new IOException(reason));
        if (handler != null) {
            for (Object id : awaiting.keySet()) {
                String method = awaiting.remove(id);
                if (method != null) {
                    deliver(new McpSchema.JSONRPCResponse(
                            McpSchema.JSONRPC_VERSION,
                            id,
                            null,
                            new McpSchema.JSONRPCResponse.JSONRPCError(
                                    McpSchema.ErrorCodes.INTERNAL_ERROR,
                                    reason + " (" + method + " was in flight)",
                                    null)));
                }
            }
        }
        Process p = process;
        if (p != null && p.isAlive() && !closing) {
            ChildProcesses.endLater(p);
        }
    }

    /** Ends the connection and the process (with its children) now, without waiting for it to exit on its own. */
    @Override
    public void close() {
        closing = true;
        terminate("MCP server '" + launch.server() + "' connection was closed");
        Process p = process;
        if (p != null) {
            ChildProcesses.end(p);
        }
    }

    @Override
    public Mono<Void> closeGracefully() {
        return Mono.<Void>fromRunnable(() -> {
                    closing = true;
                    Process p = process;
                    terminate("MCP server '" + launch.server() + "' connection was closed");
                    if (p == null) {
                        return;
                    }
                    List<ProcessHandle> children = p.descendants().toList();
                    try {
                        p.getOutputStream().close();
                    } catch (IOException ignored) {
                        // already gone
                    }
                    try {
                        if (!p.waitFor(1, TimeUnit.SECONDS)) {
                            ChildProcesses.end(p);
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        ChildProcesses.end(p);
                    }
                    children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
                })
                .subscribeOn(Schedulers.boundedElastic());
    }

    @Override
    public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
        return mapper.convertValue(data, typeRef);
    }

    private static void daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }
}
