package dev.toolhost.exec.server;

import dev.toolhost.exec.ChildEnvironment;
import dev.toolhost.exec.ExecException;
import dev.toolhost.exec.ExecRequest;
import dev.toolhost.exec.InvalidRequestException;
import dev.toolhost.exec.SandboxPolicy;
import dev.toolhost.exec.local.ManagedProcess;
import dev.toolhost.exec.local.SerialExecutor;
import dev.toolhost.exec.protocol.ExecProtocol.Empty;
import dev.toolhost.exec.protocol.ExecProtocol.InitializeParams;
import dev.toolhost.exec.protocol.ExecProtocol.InitializeResponse;
import dev.toolhost.exec.protocol.ExecProtocol.Methods;
import dev.toolhost.exec.protocol.ExecProtocol.ProcessOutputChunk;
import dev.toolhost.exec.protocol.ExecProtocol.ProcessReadParams;
import dev.toolhost.exec.protocol.ExecProtocol.ProcessReadResponse;
import dev.toolhost.exec.protocol.ExecProtocol.ProcessSignalParams;
import dev.toolhost.exec.protocol.ExecProtocol.ProcessStartParams;
import dev.toolhost.exec.protocol.ExecProtocol.ProcessStartResponse;
import dev.toolhost.exec.protocol.ExecProtocol.ProcessTerminateParams;
import dev.toolhost.exec.protocol.ExecProtocol.ProcessTerminateResponse;
import dev.toolhost.exec.protocol.ExecProtocol.ProcessWriteParams;
import dev.toolhost.exec.protocol.ExecProtocol.ProcessWriteResponse;
import dev.toolhost.exec.protocol.ExecProtocol.WriteStatus;
import dev.toolhost.exec.protocol.RpcCodec;
import dev.toolhost.exec.protocol.RpcError;
import dev.toolhost.exec.protocol.RpcException;
import dev.toolhost.exec.protocol.RpcMessage;
import dev.toolhost.exec.sandbox.BwrapSandbox;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/**
 * One client connection: enforces initialize → initialized, dispatches requests in arrival order
 * (long-polling reads answer later without holding the queue) and owns the outbound side.
 */
final class Connection {

    private static final long MAX_WAIT_MS = 300_000;

    private final ExecServer server;
    private final Transport transport;
    private final RpcCodec codec;
    private final Outbound outbound;
    private final SerialExecutor requests;
    private final FsHandler fs;
    private Session session;
    private boolean initializedNotified;

    Connection(ExecServer server, Transport transport) {
        this.server = server;
        this.transport = transport;
        this.codec = server.codec();
        this.outbound = new Outbound(transport, codec);
        this.requests = new SerialExecutor(server.io().pool());
        this.fs = new FsHandler(codec);
    }

    Outbound outbound() {
        return outbound;
    }

    /** One inbound message (a line or a text frame). */
    void onMessage(String text) {
        requests.execute(() -> handle(text));
    }

    /**
     * The peer closed: stdio ends its session (after answering what was already received); a WebSocket
     * session waits for a resume. Completes once nothing more will be sent.
     */
    CompletableFuture<Void> onClosed() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        requests.execute(() -> {
            if (transport.resumable()) {
                outbound.close();
            }
            if (session != null) {
                Session s = session;
                s.detach(this, transport.resumable(), () -> server.removeSession(s));
            }
            outbound.finish().whenComplete((v, e) -> done.complete(null));
        });
        return done;
    }

    private void handle(String text) {
        RpcMessage message;
        try {
            message = codec.decode(text);
        } catch (RpcException e) {
            reply(codec.error(null, e.toError()));
            return;
        }
        if (message instanceof RpcMessage.Request r) {
            try {
                Object result = dispatch(r.method(), r.params());
                if (result instanceof CompletableFuture<?> later) {
                    later.whenComplete((value, error) -> reply(
                            error == null
                                    ? codec.response(r.id(), value)
                                    : codec.error(
                                            r.id(),
                                            new RpcError(
                                                    RpcError.INTERNAL_ERROR, String.valueOf(error.getMessage())))));
                } else if (result instanceof Started started) {
                    outbound.sendStartResponse(
                            codec.encode(codec.response(r.id(), started.response())), started.process());
                } else {
                    reply(codec.response(r.id(), result));
                }
            } catch (RpcException e) {
                reply(codec.error(r.id(), e.toError()));
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(Connection.class).warn("{} failed", r.method(), e);
                reply(codec.error(r.id(), new RpcError(RpcError.INTERNAL_ERROR, r.method() + " failed: " + e)));
            }
        } else if (message instanceof RpcMessage.Notification n) {
            if (Methods.INITIALIZED.equals(n.method()) && session != null) {
                initializedNotified = true;
            } else if (Methods.INITIALIZED.equals(n.method())) {
                reply(codec.error(
                        null, new RpcError(RpcError.INVALID_REQUEST, "'initialized' received before 'initialize'")));
            } else {
                reply(codec.error(
                        null,
                        new RpcError(
                                RpcError.INVALID_REQUEST,
                                "unexpected notification '" + n.method() + "' (only 'initialized' is accepted)")));
            }
        }
        // Responses from the client: the server sends no requests, so there is nothing to match.
    }

    private void reply(RpcMessage message) {
        outbound.sendResponse(codec.encode(message));
    }

    private Object dispatch(String method, JsonNode params) throws RpcException {
        if (Methods.INITIALIZE.equals(method)) {
            return initialize(codec.params(params, InitializeParams.class));
        }
        if (!isKnown(method)) {
            throw new RpcException(RpcError.METHOD_NOT_FOUND, "unknown method '" + method + "'");
        }
        if (session == null) {
            throw new RpcException(
                    RpcError.INVALID_REQUEST, "'" + method + "' before 'initialize': call initialize first");
        }
        if (!initializedNotified) {
            throw new RpcException(
                    RpcError.INVALID_REQUEST,
                    "'" + method + "' before the 'initialized' notification: send it after the initialize response");
        }
        return switch (method) {
            case Methods.PROCESS_START -> start(codec.params(params, ProcessStartParams.class));
            case Methods.PROCESS_READ -> read(codec.params(params, ProcessReadParams.class));
            case Methods.PROCESS_WRITE -> write(codec.params(params, ProcessWriteParams.class));
            case Methods.PROCESS_SIGNAL -> signal(codec.params(params, ProcessSignalParams.class));
            case Methods.PROCESS_TERMINATE -> terminate(codec.params(params, ProcessTerminateParams.class));
            default -> fs.handle(method, params);
        };
    }

    private static boolean isKnown(String method) {
        return switch (method) {
            case Methods.PROCESS_START,
                    Methods.PROCESS_READ,
                    Methods.PROCESS_WRITE,
                    Methods.PROCESS_SIGNAL,
                    Methods.PROCESS_TERMINATE -> true;
            default -> FsHandler.handles(method);
        };
    }

    // ---- lifecycle ----

    private InitializeResponse initialize(InitializeParams p) throws RpcException {
        if (session != null) {
            throw new RpcException(RpcError.INVALID_REQUEST, "'initialize' was already called on this connection");
        }
        if (p.resumeSessionId() != null) {
            Session old = server.session(p.resumeSessionId());
            if (old == null || old.ended()) {
                throw new RpcException(RpcError.INVALID_REQUEST, "unknown session id " + p.resumeSessionId());
            }
            if (!old.attach(this)) {
                throw new RpcException(
                        RpcError.SESSION_ATTACHED,
                        "session " + p.resumeSessionId() + " is attached to another live connection");
            }
            if (old.ended()) {
                throw new RpcException(RpcError.INVALID_REQUEST, "unknown session id " + p.resumeSessionId());
            }
            session = old;
        } else {
            session = server.newSession(UUID.randomUUID().toString());
            session.attach(this);
        }
        return new InitializeResponse(session.id(), server.environmentInfo());
    }

    // ---- processes ----

    /** A start result: its events are pushed only once the response was sent ahead of them. */
    private record Started(ProcessStartResponse response, ManagedProcess process) {}

    private Started start(ProcessStartParams p) throws RpcException {
        if (p.processId() == null || p.processId().isEmpty()) {
            throw invalidParams("processId is required");
        }
        if (p.argv() == null || p.argv().isEmpty()) {
            throw invalidParams("argv must be a non-empty array");
        }
        Path cwd;
        try {
            cwd = p.cwdPath();
        } catch (IllegalArgumentException e) {
            throw invalidParams("cwd '" + p.cwd() + "' is not a path or file:// URI");
        }
        if (cwd != null && !cwd.isAbsolute()) {
            throw invalidParams("cwd '" + p.cwd() + "' is not absolute");
        }
        SandboxPolicy sandbox;
        Map<String, String> env;
        try {
            sandbox = p.sandbox() == null ? null : p.sandbox().toPolicy();
            env = p.envPolicy() == null
                    ? p.env()
                    : overlay(ChildEnvironment.build(p.envPolicy().toPolicy()), p.env());
        } catch (IllegalArgumentException e) {
            throw invalidParams(e.getMessage());
        }
        if (!session.reserve(p.processId())) {
            throw new RpcException(RpcError.INVALID_REQUEST, "process id " + p.processId() + " already exists");
        }
        Session s = session;
        outbound.hold(p.processId());
        ManagedProcess process;
        try {
            process = ManagedProcess.start(
                    p.processId(),
                    new ExecRequest(p.argv(), cwd, env, p.tty(), p.pipeStdin(), sandbox),
                    p.arg0(),
                    server.io(),
                    s);
        } catch (ExecException e) {
            s.unreserve(p.processId());
            outbound.forget(p.processId());
            throw new RpcException(
                    e instanceof InvalidRequestException ? RpcError.INVALID_PARAMS : RpcError.INTERNAL_ERROR,
                    e.getMessage());
        }
        s.started(process);
        if (s.ended()) {
            process.terminate();
        }
        return new Started(
                new ProcessStartResponse(p.processId(), BwrapSandbox.confines(sandbox) ? "bwrap" : "none"), process);
    }

    private static Map<String, String> overlay(Map<String, String> base, Map<String, String> env) {
        Map<String, String> out = new HashMap<>(base);
        out.putAll(env);
        return out;
    }

    private ManagedProcess known(String processId) throws RpcException {
        ManagedProcess p = processId == null ? null : session.process(processId);
        if (p == null) {
            throw new RpcException(RpcError.INVALID_REQUEST, "unknown process id " + processId);
        }
        return p;
    }

    private CompletableFuture<ProcessReadResponse> read(ProcessReadParams p) throws RpcException {
        ManagedProcess process = known(p.processId());
        long after = p.afterSeq() == null ? 0 : p.afterSeq();
        if (p.maxBytes() != null && p.maxBytes() < 0) {
            throw invalidParams("maxBytes must not be negative");
        }
        long waitMs = p.waitMs() == null ? 0 : Math.min(Math.max(0, p.waitMs()), MAX_WAIT_MS);
        CompletableFuture<Void> ready = new CompletableFuture<>();
        awaitNews(process, after, ready);
        if (!ready.isDone()) {
            ready.completeOnTimeout(null, waitMs, TimeUnit.MILLISECONDS);
        }
        return ready.thenApply(v -> {
            ManagedProcess.ReadResult r = process.read(after, p.maxBytes());
            return new ProcessReadResponse(
                    r.chunks().stream()
                            .map(c -> new ProcessOutputChunk(
                                    c.seq(),
                                    c.stream(),
                                    c.base64() != null
                                            ? new String(c.base64(), StandardCharsets.ISO_8859_1)
                                            : RpcCodec.base64(c.data())))
                            .toList(),
                    r.nextSeq(),
                    r.exited(),
                    r.exitCode(),
                    r.closed(),
                    r.failure(),
                    r.sandboxDenied());
        });
    }

    private static void awaitNews(ManagedProcess process, long after, CompletableFuture<Void> ready) {
        CompletableFuture<Void> change = process.nextChange();
        if (process.hasNewsAfter(after)) {
            ready.complete(null);
        } else if (!ready.isDone()) {
            change.thenRun(() -> awaitNews(process, after, ready));
        }
    }

    private ProcessWriteResponse write(ProcessWriteParams p) throws RpcException {
        if (p.writeId() == null || p.writeId().isEmpty()) {
            throw invalidParams("writeId is required (a non-empty string)");
        }
        byte[] data = RpcCodec.unbase64("chunk", p.chunk());
        ManagedProcess process = p.processId() == null ? null : session.process(p.processId());
        if (process == null) {
            return new ProcessWriteResponse(
                    p.processId() != null && session.isStarting(p.processId())
                            ? WriteStatus.STARTING
                            : WriteStatus.UNKNOWN_PROCESS);
        }
        return new ProcessWriteResponse(process.write(data, p.writeId()).status());
    }

    private Empty signal(ProcessSignalParams p) throws RpcException {
        if (!"interrupt".equals(p.signal())) {
            throw invalidParams("unsupported signal '" + p.signal() + "' (supported: interrupt)");
        }
        ManagedProcess process = p.processId() == null ? null : session.process(p.processId());
        if (process != null) {
            process.interrupt();
        }
        return new Empty();
    }

    private ProcessTerminateResponse terminate(ProcessTerminateParams p) {
        ManagedProcess process = p.processId() == null ? null : session.process(p.processId());
        if (process == null) {
            return new ProcessTerminateResponse(p.processId() != null && session.isStarting(p.processId()));
        }
        return new ProcessTerminateResponse(process.terminate());
    }

    private static RpcException invalidParams(String message) {
        return new RpcException(RpcError.INVALID_PARAMS, "invalid params: " + message);
    }
}
