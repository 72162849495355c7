package dev.toolhost.mcp.server;

import dev.toolhost.mcp.server.modern.ModernHttpFront;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the SDK's session servlet gets wrong on the legacy (2025-11-25 and earlier) wire, fixed in front of it:
 * <ul>
 * <li>an {@code MCP-Protocol-Version} header naming a version this endpoint does not serve is refused with
 * 400 (2025-06-18 transports, "Protocol Version Header"; the SDK accepts any);</li>
 * <li>{@code initialize} without usable {@code params} gets 400 and an error naming the missing field (the SDK
 * answers 500 with a Java exception's text);</li>
 * <li>errors the SDK writes itself (unknown session, ...) carry the request's id ({@link #requestId()}, read
 * by {@link HttpTransportMapper});</li>
 * <li>{@code notifications/roots/list_changed} is accepted (202) and goes no further
 * ({@link HubServer#ROOTS_LIST_CHANGED});</li>
 * <li>SSE events get unique ids: the SDK uses the session id for every event of every stream. It cannot
 * resume a stream (its replay is empty), so nothing depends on those ids.</li>
 * </ul>
 */
final class LegacyHttpGuard implements Filter {
    private static final ThreadLocal<Object> REQUEST_ID = new ThreadLocal<>();
    private static final AtomicLong EVENTS = new AtomicLong();

    private final McpJsonMapper json;
    private final List<String> legacyVersions;

    LegacyHttpGuard(McpJsonMapper json, List<String> legacyVersions) {
        this.json = json;
        this.legacyVersions = List.copyOf(legacyVersions);
    }

    /** The id of the POST being handled on this thread, for errors the SDK writes without it; null if none. */
    static Object requestId() {
        return REQUEST_ID.get();
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = new UniqueEventIds((HttpServletResponse) res);
        if (!(request.getAttribute(ModernHttpFront.MESSAGE_ATTRIBUTE) instanceof Map<?, ?> message)) {
            chain.doFilter(req, response);
            return;
        }
        Object id =
                message.get("id") instanceof String || message.get("id") instanceof Number ? message.get("id") : null;
        String version = request.getHeader("MCP-Protocol-Version");
        if (version != null && !legacyVersions.contains(version.strip())) {
            refuse(
                    response,
                    id,
                    -32600,
                    "unsupported MCP-Protocol-Version header '" + version.strip()
                            + "': this endpoint serves " + String.join(", ", legacyVersions)
                            + " with a session (after initialize)");
            return;
        }
        String invalid = messageProblem(message);
        if (invalid != null) {
            refuse(response, id, -32600, invalid);
            return;
        }
        if (message.get("method") instanceof String method) {
            String problem = LegacyParams.problem(method, message.get("params"));
            if (problem != null) {
                refuse(response, id, McpSchema.ErrorCodes.INVALID_PARAMS, problem);
                return;
            }
        }
        if (HubServer.ROOTS_LIST_CHANGED.equals(message.get("method"))
                && !message.containsKey("id")
                && request.getHeader("Mcp-Session-Id") != null) {
            response.setStatus(HttpServletResponse.SC_ACCEPTED);
            return;
        }
        REQUEST_ID.set(id);
        try {
            boolean answer = message.get("method") == null;
            chain.doFilter(req, answer ? new AnswerAccepted(response) : response);
        } finally {
            REQUEST_ID.remove();
        }
    }

    /**
     * A client's answer to a request nobody waits for any more (a call cancelled while its elicitation was open, a
     * person answering late) is the client's normal business, not a server error: the SDK answers it 500
     * "internal error"; it is accepted (202) and dropped instead, as the transport does for answers it expects.
     */
    private static final class AnswerAccepted extends HttpServletResponseWrapper {
        private boolean dropped;

        AnswerAccepted(HttpServletResponse response) {
            super(response);
        }

        @Override
        public void setStatus(int sc) {
            dropped = sc == SC_INTERNAL_SERVER_ERROR;
            super.setStatus(dropped ? SC_ACCEPTED : sc);
        }

        @Override
        public void sendError(int sc, String msg) throws IOException {
            setStatus(sc);
            if (!dropped) {
                super.sendError(sc, msg);
            }
        }

        @Override
        public void sendError(int sc) throws IOException {
            sendError(sc, null);
        }

        @Override
        public PrintWriter getWriter() throws IOException {
            return dropped ? new PrintWriter(Writer.nullWriter()) : super.getWriter();
        }

        @Override
        public ServletOutputStream getOutputStream() throws IOException {
            return dropped ? new NullOutput() : super.getOutputStream();
        }

        @Override
        public void setContentType(String type) {
            if (!dropped) {
                super.setContentType(type);
            }
        }
    }

    private static final class NullOutput extends ServletOutputStream {
        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setWriteListener(WriteListener listener) {}

        @Override
        public void write(int b) {}
    }

    /** What makes {@code message} no JSON-RPC 2.0 message at all, or null. */
    private static String messageProblem(Map<?, ?> message) {
        if (!"2.0".equals(message.get("jsonrpc"))) {
            return "not a JSON-RPC 2.0 message: \"jsonrpc\" must be \"2.0\"";
        }
        Object id = message.get("id");
        if (id != null && !(id instanceof String) && !(id instanceof Number)) {
            return "the JSON-RPC id must be a string or a number";
        }
        Object method = message.get("method");
        if (method == null) {
            return message.containsKey("result") || message.containsKey("error")
                    ? (id == null ? "a JSON-RPC response needs the id of the request it answers" : null)
                    : "the JSON-RPC message has no \"method\" (nor \"result\" or \"error\")";
        }
        if (!(method instanceof String)) {
            return "the JSON-RPC \"method\" must be a string";
        }
        Object params = message.get("params");
        return params == null || params instanceof Map<?, ?> ? null : "\"params\" must be an object";
    }

    private void refuse(HttpServletResponse response, Object id, int code, String message) throws IOException {
        JsonRpcErrorResponses.write(
                response, json, HttpServletResponse.SC_BAD_REQUEST, JsonRpcErrorResponses.of(id, code, message));
    }

    /**
     * Gives each SSE event the SDK writes a unique id: the SDK writes {@code "id: SESSION\n"} as one string
     * per event, which becomes {@code "id: SESSION-N\n"}.
     */
    private static final class UniqueEventIds extends HttpServletResponseWrapper {
        private PrintWriter writer;

        UniqueEventIds(HttpServletResponse response) {
            super(response);
        }

        @Override
        public synchronized PrintWriter getWriter() throws IOException {
            if (writer == null) {
                writer = new PrintWriter(super.getWriter()) {
                    @Override
                    public void write(String s) {
                        if (s.startsWith("id: ") && s.endsWith("\n") && s.indexOf('\n') == s.length() - 1) {
                            s = s.substring(0, s.length() - 1) + "-" + EVENTS.incrementAndGet() + "\n";
                        }
                        super.write(s);
                    }
                };
            }
            return writer;
        }
    }
}
