package dev.toolhost.mcp.client.modern;

/** The connection or the response stream broke before the request was answered: the request is lost. */
public final class WireBrokenException extends RuntimeException {
    public WireBrokenException(String message, Throwable cause) {
        super(message, cause);
    }
}
