package dev.toolhost.mcp.core;

import java.util.HashMap;
import java.util.Map;

/**
 * One request, in either protocol era: the method, its params (without {@code _meta},
 * {@code inputResponses} and {@code requestState}), what it says about its caller, and, when it is a
 * retry of an input-required result (2026-07-28 {@code basic/patterns/mrtr}), the answers and the
 * server's state echoed back.
 *
 * @param inputResponses the answers keyed as the server's {@code inputRequests} were (JSON values), or empty
 * @param requestState   the opaque state of the previous round, byte-exact, or null
 */
public record McpRequest(
        String method,
        Map<String, Object> params,
        RequestMeta meta,
        Map<String, Object> inputResponses,
        String requestState) {

    public McpRequest {
        params = params == null ? Map.of() : params;
        inputResponses = inputResponses == null ? Map.of() : inputResponses;
    }

    /** A first-round {@code tools/call}. */
    public static McpRequest toolCall(String name, Map<String, Object> arguments, RequestMeta meta) {
        Map<String, Object> params = new HashMap<>();
        params.put("name", name);
        params.put("arguments", arguments == null ? Map.of() : arguments);
        return new McpRequest("tools/call", params, meta, Map.of(), null);
    }

    /** {@code params.name} of {@code tools/call} and {@code prompts/get}, else null. */
    public String name() {
        return params.get("name") instanceof String s ? s : null;
    }

    /** {@code params.arguments}, or an empty map. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> arguments() {
        return params.get("arguments") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    /** The same request under another name (the hub strips its namespace before going downstream). */
    public McpRequest withName(String name) {
        Map<String, Object> p = new HashMap<>(params);
        p.put("name", name);
        return new McpRequest(method, p, meta, inputResponses, requestState);
    }

    /** The next round: same params, the answers to the previous round, and its state echoed. */
    public McpRequest retry(Map<String, Object> answers, String state) {
        return new McpRequest(method, params, meta, answers, state);
    }

    public boolean isRetry() {
        return requestState != null || !inputResponses.isEmpty();
    }
}
