package dev.toolhost.mcp.server.modern;

import dev.toolhost.mcp.server.JsonRpcErrorResponses;
import java.util.Map;

/**
 * A JSON-RPC error a 2026-07-28 request ends with, and the HTTP status it maps to (spec
 * {@code basic/transports/streamable-http}: 400 for envelope errors, -32020, -32021 and -32022; 404 for
 * -32601; errors raised while handling a valid request travel in-band at 200).
 */
final class ModernError extends Exception {
    static final int METHOD_NOT_FOUND = -32601;
    static final int INVALID_PARAMS = -32602;
    static final int INTERNAL_ERROR = -32603;
    static final int INVALID_REQUEST = -32600;
    /** HeaderMismatch: a header disagrees with the body. */
    static final int HEADER_MISMATCH = -32020;
    /** MissingRequiredClientCapability: {@code data.requiredCapabilities}. */
    static final int MISSING_CAPABILITY = -32021;
    /** UnsupportedProtocolVersion: {@code data.supported}, {@code data.requested}. */
    static final int UNSUPPORTED_VERSION = -32022;

    final int code;
    final transient Object data;
    final int httpStatus;

    ModernError(int code, String message, Object data, int httpStatus) {
        super(message, null, false, false);
        this.code = code;
        this.data = data;
        this.httpStatus = httpStatus;
    }

    /** The HTTP status an error of {@code code} raised while handling a well-formed request travels with. */
    static int httpStatus(int code) {
        return code == HEADER_MISMATCH || code == MISSING_CAPABILITY || code == UNSUPPORTED_VERSION ? 400 : 200;
    }

    /** A malformed request envelope ({@code _meta}, params that are not an object): 400. */
    static ModernError badEnvelope(String message) {
        return new ModernError(INVALID_PARAMS, message, null, 400);
    }

    /** Invalid params of a well-formed request (unknown tool, bad cursor): in-band, 200. */
    static ModernError invalidParams(String message) {
        return new ModernError(INVALID_PARAMS, message, null, 200);
    }

    static ModernError invalidParams(String message, Map<String, Object> data) {
        return new ModernError(INVALID_PARAMS, message, data, 200);
    }

    static ModernError methodNotFound(String message) {
        return new ModernError(METHOD_NOT_FOUND, message, null, 404);
    }

    static ModernError internal(String message) {
        return new ModernError(INTERNAL_ERROR, message, null, 200);
    }

    /** The JSON-RPC error response for request {@code id}. */
    Map<String, Object> response(Object id) {
        return JsonRpcErrorResponses.of(id, code, getMessage(), data);
    }
}
