package dev.toolhost.exec.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import tools.jackson.databind.JsonNode;

/** The {@code error} member of an error response. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RpcError(int code, String message, JsonNode data) {

    public RpcError(int code, String message) {
        this(code, message, null);
    }

    /** Error codes of the exec protocol. */
    public static final int INVALID_REQUEST = -32600;

    public static final int METHOD_NOT_FOUND = -32601;
    public static final int INVALID_PARAMS = -32602;
    public static final int INTERNAL_ERROR = -32603;
    /** {@code initialize} with a {@code resumeSessionId} whose session is attached to another live connection. */
    public static final int SESSION_ATTACHED = -32010;
    /** The id of the error reply to a line that could not be parsed. */
    public static final long UNPARSEABLE_ID = -1;
}
