package dev.toolhost.mcp.server;

import dev.toolhost.mcp.server.modern.ModernHttpFront;
import io.modelcontextprotocol.json.McpJsonMapper;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Legacy session ids that name the replica that started them, so that a load balancer can send every request of
 * a session to that replica without shared state (for example nginx {@code map $http_mcp_session_id} to one
 * upstream per replica; see the module README, "Replicas behind a load balancer").
 *
 * <p>The SDK mints random UUIDs and never learns of this: its {@code Mcp-Session-Id} response header
 * becomes {@code ROUTE.UUID}, and a request's {@code ROUTE.UUID} is handed to it as {@code UUID}. A request whose
 * id names another route reached the wrong replica: it gets 404 with a JSON-RPC error saying which replica the
 * session lives on (the SDK would only say "Session not found"). Ids without a route are passed on unchanged:
 * the route only steers the load balancer, the UUID is what names (and guards) the session.
 */
final class ReplicaSessionIds implements Filter {
    /** What a replica id may be: it must be safe in a header, an nginx regex and a log line. */
    static final Pattern VALID = Pattern.compile("[A-Za-z0-9_-]{1,32}");

    private static final String HEADER = "Mcp-Session-Id";

    private final String prefix;
    private final String route;
    private final McpJsonMapper json;

    /** @param route this replica's id, matching {@link #VALID} */
    ReplicaSessionIds(String route, McpJsonMapper json) {
        if (!VALID.matcher(route).matches()) {
            throw new IllegalArgumentException(
                    "a replica id must be 1 to 32 letters, digits, '-' or '_', got '" + route + "'");
        }
        this.route = route;
        this.prefix = route + ".";
        this.json = json;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = new Prefixing((HttpServletResponse) res);
        String given = request.getHeader(HEADER);
        if (given == null) {
            chain.doFilter(request, response);
            return;
        }
        if (given.startsWith(prefix)) {
            chain.doFilter(new Stripped(request, given.substring(prefix.length())), response);
            return;
        }
        int dot = given.indexOf('.');
        if (dot > 0 && VALID.matcher(given.substring(0, dot)).matches()) {
            refuse(
                    request,
                    response,
                    "session " + given + " lives on Toolhost replica '" + given.substring(0, dot)
                            + "', and this is replica '" + route
                            + "': route each request to the replica its Mcp-Session-Id"
                            + " names (the part before the first '.')");
            return;
        }
        chain.doFilter(request, response);
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, String message) throws IOException {
        Object id = request.getAttribute(ModernHttpFront.MESSAGE_ATTRIBUTE) instanceof Map<?, ?> m
                        && (m.get("id") instanceof String || m.get("id") instanceof Number)
                ? m.get("id")
                : null;
        JsonRpcErrorResponses.write(
                response, json, HttpServletResponse.SC_NOT_FOUND, JsonRpcErrorResponses.of(id, -32600, message));
    }

    /** The request as the SDK must see it: its session id without the route. */
    private static final class Stripped extends HttpServletRequestWrapper {
        private final String sessionId;

        Stripped(HttpServletRequest request, String sessionId) {
            super(request);
            this.sessionId = sessionId;
        }

        @Override
        public String getHeader(String name) {
            return HEADER.equalsIgnoreCase(name) ? sessionId : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return HEADER.equalsIgnoreCase(name) ? Collections.enumeration(List.of(sessionId)) : super.getHeaders(name);
        }
    }

    /** The response as the client must see it: the session id the SDK sets, with the route in front. */
    private final class Prefixing extends HttpServletResponseWrapper {
        Prefixing(HttpServletResponse response) {
            super(response);
        }

        @Override
        public void setHeader(String name, String value) {
            super.setHeader(name, HEADER.equalsIgnoreCase(name) && value != null ? prefix + value : value);
        }

        @Override
        public void addHeader(String name, String value) {
            super.addHeader(name, HEADER.equalsIgnoreCase(name) && value != null ? prefix + value : value);
        }
    }
}
