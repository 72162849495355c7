package dev.toolhost.mcp.client.modern;

import java.util.Set;

/**
 * Names and codes of the 2026-07-28 revision that the client side uses (spec {@code basic/index},
 * {@code basic/versioning}, {@code basic/transports/streamable-http}).
 */
public final class ModernProtocol {
    public static final String META_PROTOCOL_VERSION = "io.modelcontextprotocol/protocolVersion";
    public static final String META_CLIENT_INFO = "io.modelcontextprotocol/clientInfo";
    public static final String META_CLIENT_CAPABILITIES = "io.modelcontextprotocol/clientCapabilities";
    public static final String META_LOG_LEVEL = "io.modelcontextprotocol/logLevel";
    public static final String META_SERVER_INFO = "io.modelcontextprotocol/serverInfo";
    public static final String META_SUBSCRIPTION_ID = "io.modelcontextprotocol/subscriptionId";
    /** W3C trace context keys, passed through unprefixed (SEP-414). */
    public static final Set<String> TRACE_KEYS = Set.of("traceparent", "tracestate", "baggage");

    public static final int HEADER_MISMATCH = -32020;
    public static final int MISSING_CAPABILITY = -32021;
    public static final int UNSUPPORTED_VERSION = -32022;
    public static final int METHOD_NOT_FOUND = -32601;

    public static final String DISCOVER = "server/discover";
    public static final String LISTEN = "subscriptions/listen";

    private ModernProtocol() {}

    /** Whether an error code is one only a 2026-07-28 server sends: evidence of a modern server. */
    public static boolean isModernError(int code) {
        return code == HEADER_MISMATCH || code == MISSING_CAPABILITY || code == UNSUPPORTED_VERSION;
    }
}
