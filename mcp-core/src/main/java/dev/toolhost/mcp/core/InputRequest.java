package dev.toolhost.mcp.core;

import java.util.Map;

/**
 * One request a server needs answered before it can finish (an entry of {@code inputRequests}):
 * a server-to-client request in the legacy era, an MRTR input request in 2026-07-28.
 *
 * @param method {@value #ELICITATION}, {@value #SAMPLING} or {@value #ROOTS}
 * @param params the request's params as JSON values
 */
public record InputRequest(String method, Map<String, Object> params) {
    public static final String ELICITATION = "elicitation/create";
    public static final String SAMPLING = "sampling/createMessage";
    public static final String ROOTS = "roots/list";

    public InputRequest {
        params = params == null ? Map.of() : params;
    }

    /** A form elicitation: {@code requestedSchema} is a flat object schema of primitive properties. */
    public static InputRequest elicitation(String message, Map<String, Object> requestedSchema) {
        return new InputRequest(
                ELICITATION, Map.of("mode", "form", "message", message, "requestedSchema", requestedSchema));
    }
}
