package dev.toolhost.mcp.client.modern;

/**
 * A JSON-RPC error answer from a server, or an HTTP error status with no such answer.
 *
 * @param code       the JSON-RPC error code, or 0 when the server gave no JSON-RPC error (see {@code httpStatus})
 * @param data       the error's {@code data} (JSON values), or null
 * @param httpStatus the HTTP status it came with, or -1 (stdio, or a 200 carrying the error)
 */
public final class ServerErrorException extends RuntimeException {
    private final int code;
    private final transient Object data;
    private final int httpStatus;

    public ServerErrorException(int code, String message, Object data, int httpStatus) {
        super(message);
        this.code = code;
        this.data = data;
        this.httpStatus = httpStatus;
    }

    public int code() {
        return code;
    }

    public Object data() {
        return data;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** Whether the server answered with a JSON-RPC error (rather than only an HTTP status). */
    public boolean isRpcError() {
        return code != 0;
    }
}
