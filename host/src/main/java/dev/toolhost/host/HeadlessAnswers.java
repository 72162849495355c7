package dev.toolhost.host;

import dev.toolhost.mcp.client.ServerRequestHandler;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Answers form elicitations without a person, for scripts ({@code toolhost call --accept-defaults} and
 * {@code --answers FILE}): each field takes its value from the answers file when it names the field, else the
 * schema's {@code default} (SEP-1034) when defaults are accepted. The form is accepted when every required
 * field has a value, else declined with the missing fields named (on stderr and in {@code _meta.reason}).
 * URL elicitations are declined (nobody can open them), and sampling is refused.
 */
final class HeadlessAnswers implements ServerRequestHandler {
    private final boolean acceptDefaults;
    private final Map<String, Object> answers;
    private final PrintStream err;

    HeadlessAnswers(boolean acceptDefaults, Map<String, Object> answers, PrintStream err) {
        this.acceptDefaults = acceptDefaults;
        this.answers = Map.copyOf(answers);
        this.err = err;
    }

    @Override
    public McpSchema.ElicitResult elicit(String server, McpSchema.ElicitRequest request) {
        if (!(request instanceof McpSchema.ElicitFormRequest form)) {
            return decline(server + " asked to open an address, which cannot be done without a terminal");
        }
        Map<String, Object> schema = form.requestedSchema() == null ? Map.of() : form.requestedSchema();
        Map<String, Object> properties = schema.get("properties") instanceof Map<?, ?> p ? cast(p) : Map.of();
        Map<String, Object> content = new LinkedHashMap<>();
        properties.forEach((field, definition) -> {
            if (answers.containsKey(field)) {
                content.put(field, answers.get(field));
            } else if (acceptDefaults && definition instanceof Map<?, ?> d && d.containsKey("default")) {
                content.put(field, d.get("default"));
            }
        });
        List<String> missing = new ArrayList<>();
        if (schema.get("required") instanceof List<?> required) {
            required.forEach(r -> {
                if (!content.containsKey(String.valueOf(r))) {
                    missing.add(String.valueOf(r));
                }
            });
        }
        if (!missing.isEmpty()) {
            return decline(server + " asked for input (\"" + form.message() + "\") and the answers given have no "
                    + "value for " + String.join(", ", missing) + " (give them with --answers FILE)");
        }
        return new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.ACCEPT, content);
    }

    @Override
    public McpSchema.CreateMessageResult sample(String server, McpSchema.CreateMessageRequest request) {
        throw new UnsupportedOperationException(
                "sampling requested by " + server + " was refused: toolhost call" + " has no model to sample");
    }

    private McpSchema.ElicitResult decline(String reason) {
        err.println("toolhost: " + reason + "; declined");
        return new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.DECLINE, null, Map.of("reason", reason));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }
}
