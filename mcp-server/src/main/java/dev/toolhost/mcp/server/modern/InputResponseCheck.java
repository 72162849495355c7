package dev.toolhost.mcp.server.modern;

import dev.toolhost.mcp.core.InputRequest;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Map;

/**
 * Checks a 2026-07-28 caller's answer to a parked call's input request (one {@code inputResponses} entry) against
 * the result its kind needs, before anything reaches the legacy server that asked: {@code elicitation/create} an
 * ElicitResult ({@code action} accept, decline or cancel; {@code content} an object when present),
 * {@code sampling/createMessage} a CreateMessageResult ({@code role}, {@code content} {type, ...}, {@code model}),
 * {@code roots/list} a ListRootsResult ({@code roots} an array of {uri: file://..., name?}). Spec
 * {@code basic/patterns/mrtr}: a malformed answer is an error.
 */
final class InputResponseCheck {
    private static final List<String> ACTIONS = List.of("accept", "decline", "cancel");
    private static final List<String> ROLES = List.of("user", "assistant");

    private InputResponseCheck() {}

    /**
     * @return the answer as the typed result the server's request waits for
     * @throws ModernError -32602 naming the key and what is wrong with its answer
     */
    static Object typed(String key, InputRequest asked, Object answer, McpJsonMapper json) throws ModernError {
        String problem = problem(asked.method(), answer);
        Class<?> type = switch (asked.method()) {
            case InputRequest.ELICITATION -> McpSchema.ElicitResult.class;
            case InputRequest.SAMPLING -> McpSchema.CreateMessageResult.class;
            default -> McpSchema.ListRootsResult.class;
        };
        if (problem == null) {
            try {
                return json.convertValue(answer, type);
            } catch (RuntimeException e) {
                // What the checks above let through and the SDK's type does not take; its text names Java classes.
                problem = "it is not a valid " + type.getSimpleName() + " (see the spec's schema for " + asked.method()
                        + " results)";
            }
        }
        throw ModernError.invalidParams("Invalid params: inputResponses['" + key + "'] answers " + asked.method()
                + ", but " + problem + "; retry with a corrected answer and the same requestState");
    }

    /** What is wrong with {@code answer} as a result of {@code method}, or null. */
    private static String problem(String method, Object answer) {
        if (!(answer instanceof Map<?, ?> a)) {
            return "it is " + (answer == null ? "null" : "not an object");
        }
        return switch (method) {
            case InputRequest.ELICITATION -> {
                if (!(a.get("action") instanceof String action && ACTIONS.contains(action))) {
                    yield "'action' is " + shown(a.get("action")) + ", not \"accept\", \"decline\" or \"cancel\"";
                }
                yield a.get("content") == null || a.get("content") instanceof Map<?, ?>
                        ? null
                        : "'content' is not an object";
            }
            case InputRequest.SAMPLING -> {
                if (!(a.get("role") instanceof String role && ROLES.contains(role))) {
                    yield "'role' is " + shown(a.get("role")) + ", not \"assistant\" or \"user\"";
                }
                if (!(a.get("content") instanceof Map<?, ?> c && c.get("type") instanceof String)) {
                    yield "'content' is not a content object with a 'type'";
                }
                yield a.get("model") instanceof String ? null : "'model' is missing or not a string";
            }
            default -> {
                if (!(a.get("roots") instanceof List<?> roots)) {
                    yield "'roots' is missing or not an array";
                }
                for (int i = 0; i < roots.size(); i++) {
                    if (!(roots.get(i) instanceof Map<?, ?> root
                            && root.get("uri") instanceof String uri
                            && uri.startsWith("file://")
                            && (root.get("name") == null || root.get("name") instanceof String))) {
                        yield "'roots[" + i + "]' is not a root {uri: \"file://...\", name?: string}";
                    }
                }
                yield null;
            }
        };
    }

    private static String shown(Object value) {
        return value instanceof String s ? "\"" + s + "\"" : value == null ? "missing" : "not a string";
    }
}
