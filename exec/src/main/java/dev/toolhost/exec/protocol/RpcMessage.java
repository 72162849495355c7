package dev.toolhost.exec.protocol;

import tools.jackson.databind.JsonNode;

/**
 * One JSON-RPC message of the exec protocol. Ids are kept as the JSON value that was sent (number or
 * string) so they can be echoed unchanged; compare numeric ids with {@code id.asLong()}.
 */
public sealed interface RpcMessage {

    /** A call that expects a {@link Response} or {@link ErrorResponse} with the same id. */
    record Request(JsonNode id, String method, JsonNode params) implements RpcMessage {}

    /** A one-way message (no id). */
    record Notification(String method, JsonNode params) implements RpcMessage {}

    record Response(JsonNode id, JsonNode result) implements RpcMessage {}

    /** @param id the request's id, or {@code -1} when the input could not be parsed */
    record ErrorResponse(JsonNode id, RpcError error) implements RpcMessage {}
}
