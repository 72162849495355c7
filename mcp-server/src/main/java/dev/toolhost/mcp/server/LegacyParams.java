package dev.toolhost.mcp.server;

import java.util.List;
import java.util.Map;

/**
 * What the SDK cannot decode in the params of the legacy methods it serves: it answers -32603 with a Java
 * exception's text (stdio), 500 (HTTP), or never. Both legacy transports ({@link LegacyHttpGuard},
 * {@link LosslessStdioServerTransportProvider}) refuse such a request with -32602 and this message instead.
 * Protocol 2025-11-25 schema: InitializeRequest, CallToolRequest, GetPromptRequest, ReadResourceRequest,
 * SubscribeRequest, SetLevelRequest, CompleteRequest.
 */
final class LegacyParams {
    private static final List<String> LOG_LEVELS =
            List.of("debug", "info", "notice", "warning", "error", "critical", "alert", "emergency");

    private LegacyParams() {}

    /** {@code "METHOD: what is wrong"} when the SDK cannot decode {@code params} for {@code method}, else null. */
    static String problem(String method, Object params) {
        String problem = paramsProblem(method, params);
        return problem == null ? null : method + ": " + problem;
    }

    private static String paramsProblem(String method, Object params) {
        Map<?, ?> p = params instanceof Map<?, ?> m ? m : Map.of();
        return switch (method) {
            case "initialize" ->
                params == null
                        ? "params is missing (it needs protocolVersion, capabilities and clientInfo)"
                        : !(p.get("protocolVersion") instanceof String)
                                ? "params.protocolVersion is missing or not a string"
                                : !(p.get("capabilities") instanceof Map<?, ?>)
                                        ? "params.capabilities is missing or not an object"
                                        : !(p.get("clientInfo") instanceof Map<?, ?> info)
                                                        || !(info.get("name") instanceof String)
                                                ? "params.clientInfo is missing or has no name"
                                                : null;
            case "tools/call", "prompts/get" ->
                !(p.get("name") instanceof String)
                        ? "params.name is missing or not a string"
                        : p.get("arguments") != null && !(p.get("arguments") instanceof Map<?, ?>)
                                ? "params.arguments must be an object"
                                : null;
            case "resources/read", "resources/subscribe", "resources/unsubscribe" ->
                p.get("uri") instanceof String ? null : "params.uri is missing or not a string";
            case "completion/complete" -> completeProblem(p);
            case "logging/setLevel" ->
                LOG_LEVELS.contains(p.get("level"))
                        ? null
                        : "params.level must be one of " + String.join(", ", LOG_LEVELS);
            default -> null;
        };
    }

    /** CompleteRequest: {@code ref} (a prompt by name or a resource template by uri) and {@code argument}. */
    private static String completeProblem(Map<?, ?> p) {
        if (!(p.get("ref") instanceof Map<?, ?> ref)) {
            return "params.ref is missing or not an object ({\"type\": \"ref/prompt\", \"name\": ...} or"
                    + " {\"type\": \"ref/resource\", \"uri\": ...})";
        }
        if ("ref/prompt".equals(ref.get("type"))) {
            if (!(ref.get("name") instanceof String)) {
                return "params.ref.name is missing or not a string";
            }
        } else if ("ref/resource".equals(ref.get("type"))) {
            if (!(ref.get("uri") instanceof String)) {
                return "params.ref.uri is missing or not a string";
            }
        } else {
            return "params.ref.type must be ref/prompt or ref/resource";
        }
        if (!(p.get("argument") instanceof Map<?, ?> argument)
                || !(argument.get("name") instanceof String)
                || !(argument.get("value") instanceof String)) {
            return "params.argument must be an object with string name and value";
        }
        return null;
    }
}
