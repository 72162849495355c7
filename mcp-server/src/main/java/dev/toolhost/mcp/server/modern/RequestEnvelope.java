package dev.toolhost.mcp.server.modern;

import dev.toolhost.mcp.core.Caller;
import dev.toolhost.mcp.core.McpVersions;
import dev.toolhost.mcp.core.RequestMeta;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads a 2026-07-28 request's {@code params._meta} (spec {@code basic/index}, "_meta") into the request
 * model's {@link RequestMeta}. Nothing is carried over from earlier requests: a capability the request does
 * not declare is not there.
 */
final class RequestEnvelope {
    static final String PROTOCOL_VERSION = "io.modelcontextprotocol/protocolVersion";
    static final String CLIENT_INFO = "io.modelcontextprotocol/clientInfo";
    static final String CLIENT_CAPABILITIES = "io.modelcontextprotocol/clientCapabilities";
    static final String LOG_LEVEL = "io.modelcontextprotocol/logLevel";
    static final String SERVER_INFO = "io.modelcontextprotocol/serverInfo";
    static final String SUBSCRIPTION_ID = "io.modelcontextprotocol/subscriptionId";
    private static final List<String> TRACE_KEYS = List.of("traceparent", "tracestate", "baggage");
    /**
     * Decoded capabilities and client infos by their JSON: a client sends the same ones on every request, and
     * decoding them was a visible share of a cheap call. Bounded: only small values, cleared when it grows past
     * {@link #MEMO_SIZE}.
     */
    private static final Map<Object, Object> MEMO = new ConcurrentHashMap<>();

    private static final int MEMO_SIZE = 1024;
    private static final int MEMO_VALUE_CHARS = 2048;

    private RequestEnvelope() {}

    /**
     * @param meta        {@code params._meta}, or null when the request has none
     * @param bearerToken binds the caller (null without one)
     * @throws ModernError -32602 (400) when a required key is missing or a value is malformed; -32022 (400)
     *                     when the protocol version is not one served statelessly
     */
    static RequestMeta decode(Object meta, String bearerToken, McpJsonMapper json) throws ModernError {
        if (!(meta instanceof Map<?, ?> m)) {
            throw ModernError.badEnvelope("Invalid params: the request has no _meta; a 2026-07-28 request must carry "
                    + PROTOCOL_VERSION + " and " + CLIENT_CAPABILITIES + " in params._meta");
        }
        Object version = m.get(PROTOCOL_VERSION);
        if (!(version instanceof String v)) {
            throw ModernError.badEnvelope("Invalid params: _meta." + PROTOCOL_VERSION + " is "
                    + (version == null ? "missing" : "not a string") + "; every 2026-07-28 request must name its"
                    + " protocol version");
        }
        if (!McpVersions.MODERN.contains(v)) {
            throw unsupported(v);
        }
        Object caps = m.get(CLIENT_CAPABILITIES);
        if (!(caps instanceof Map<?, ?>)) {
            throw ModernError.badEnvelope("Invalid params: _meta." + CLIENT_CAPABILITIES + " is "
                    + (caps == null ? "missing" : "not an object") + "; send {} for a client with no capabilities");
        }
        McpSchema.ClientCapabilities capabilities;
        McpSchema.Implementation clientInfo = null;
        try {
            capabilities = memo(caps, json, McpSchema.ClientCapabilities.class);
        } catch (RuntimeException e) {
            throw ModernError.badEnvelope("Invalid params: _meta." + CLIENT_CAPABILITIES + " is not a valid"
                    + " ClientCapabilities object: " + firstLine(e));
        }
        Object info = m.get(CLIENT_INFO);
        if (info instanceof Map<?, ?>) {
            try {
                clientInfo = memo(info, json, McpSchema.Implementation.class);
            } catch (RuntimeException e) {
                // clientInfo is display-only and a server must not require it: a malformed one is ignored.
            }
        }
        McpSchema.LoggingLevel level = null;
        Object logLevel = m.get(LOG_LEVEL);
        if (logLevel != null) {
            level = logLevel instanceof String s ? level(s) : null;
            if (level == null) {
                throw ModernError.badEnvelope("Invalid params: _meta." + LOG_LEVEL + " is '" + logLevel
                        + "'; expected one of debug, info, notice, warning, error, critical, alert, emergency");
            }
        }
        Object token = m.get("progressToken");
        if (token != null && !(token instanceof String) && !(token instanceof Number)) {
            throw ModernError.badEnvelope("Invalid params: _meta.progressToken must be a string or a number");
        }
        Map<String, Object> trace = new HashMap<>();
        for (String key : TRACE_KEYS) {
            if (m.get(key) instanceof String s) {
                trace.put(key, s);
            }
        }
        return new RequestMeta(v, clientInfo, capabilities, level, trace, token, Caller.stateless(bearerToken));
    }

    private static <T> T memo(Object value, McpJsonMapper json, Class<T> type) {
        Object key = List.of(type, value);
        Object known = MEMO.get(key);
        if (type.isInstance(known)) {
            return type.cast(known);
        }
        T decoded = json.convertValue(value, type);
        if (value.toString().length() > MEMO_VALUE_CHARS) {
            return decoded; // a client cannot make the memo hold large values
        }
        if (MEMO.size() >= MEMO_SIZE) {
            MEMO.clear();
        }
        MEMO.put(key, decoded);
        return decoded;
    }

    static ModernError unsupported(String requested) {
        Map<String, Object> data = new HashMap<>();
        data.put("supported", McpVersions.MODERN);
        data.put("requested", requested);
        return new ModernError(
                ModernError.UNSUPPORTED_VERSION,
                "Unsupported protocol version '" + requested
                        + "': this server serves " + String.join(", ", McpVersions.MODERN) + " per request"
                        + " (older versions through an initialize handshake)",
                data,
                400);
    }

    private static McpSchema.LoggingLevel level(String name) {
        for (McpSchema.LoggingLevel l : McpSchema.LoggingLevel.values()) {
            if (l.name().toLowerCase(Locale.ROOT).equals(name)) {
                return l;
            }
        }
        return null;
    }

    private static String firstLine(Exception e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
