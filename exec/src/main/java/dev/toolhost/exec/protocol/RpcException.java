package dev.toolhost.exec.protocol;

/** A request failed with a JSON-RPC error; thrown by handlers and by the codec on bad input. */
public class RpcException extends Exception {
    private final int code;

    public RpcException(int code, String message) {
        super(message);
        this.code = code;
    }

    public int code() {
        return code;
    }

    public RpcError toError() {
        return new RpcError(code, getMessage());
    }
}
