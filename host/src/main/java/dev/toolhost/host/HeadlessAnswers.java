package dev.toolhost.host;

import dev.toolhost.mcp.client.ServerRequestHandler;
import dev.toolhost.mcp.core.ArgumentValidator;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Answers form elicitations without a person, for scripts ({@code toolhost call --accept-defaults},
 * {@code --answers FILE}, or neither when no one is at an interactive terminal): each field takes its value from the answers file when it names the field, else the
 * schema's {@code default} (SEP-1034) when defaults are accepted. Values from the answers file are checked against
 * the form's {@code requestedSchema} first: one that does not fit fails the call as a usage error (exit 2) naming the
 * file and the field. The form is accepted when every required field has a value, else declined with the missing
 * fields named (on stderr and in {@code _meta.reason}); the same answers would be given again, so when the server
 * asks the same question after that decline the call fails at once, saying how to supply the value. URL elicitations
 * are declined (nobody can open them), and sampling is refused.
 */
final class HeadlessAnswers implements ServerRequestHandler {
    private final boolean acceptDefaults;
    private final Map<String, Object> answers;
    private final Path answersFile;
    private final PrintStream err;
    /** Questions declined so far: asker, message and requested schema. */
    private final Set<List<Object>> declined = ConcurrentHashMap.newKeySet();
    /** The first error thrown, which a legacy server may have turned into a tool error of its own. */
    private volatile UserError failure;

    /** @param answersFile where {@code answers} came from (named in errors), or null when there is none */
    HeadlessAnswers(boolean acceptDefaults, Map<String, Object> answers, Path answersFile, PrintStream err) {
        this.acceptDefaults = acceptDefaults;
        this.answers = Map.copyOf(answers);
        this.answersFile = answersFile;
        this.err = err;
    }

    /**
     * @throws UserError (usage) when a value from the answers file does not fit the requested schema, and (failed)
     *     when the server asks again a question already declined for want of a value
     */
    @Override
    public McpSchema.ElicitResult elicit(String serverName, McpSchema.ElicitRequest request) {
        String server = "MCP server '" + serverName + "'";
        if (!(request instanceof McpSchema.ElicitFormRequest form)) {
            return decline(server + " asked to open an address, which cannot be done without a terminal");
        }
        Map<String, Object> schema = form.requestedSchema() == null ? Map.of() : form.requestedSchema();
        Map<String, Object> properties = schema.get("properties") instanceof Map<?, ?> p ? cast(p) : Map.of();
        Map<String, Object> given = new LinkedHashMap<>();
        Map<String, Object> content = new LinkedHashMap<>();
        properties.forEach((field, definition) -> {
            if (answers.containsKey(field)) {
                given.put(field, answers.get(field));
                content.put(field, answers.get(field));
            } else if (acceptDefaults && definition instanceof Map<?, ?> d && d.containsKey("default")) {
                content.put(field, d.get("default"));
            }
        });
        checkAnswers(server, form, schema, given);
        List<String> missing = new ArrayList<>();
        if (schema.get("required") instanceof List<?> required) {
            required.forEach(r -> {
                if (!content.containsKey(String.valueOf(r))) {
                    missing.add(String.valueOf(r));
                }
            });
        }
        // With nothing to answer from (no one at a terminal, neither option), no form is accepted: the user agreed
        // to nothing, so even a form without required fields is declined, naming its fields.
        boolean unanswered = answersFile == null && !acceptDefaults;
        if (missing.isEmpty() && !unanswered) {
            return new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.ACCEPT, content);
        }
        if (missing.isEmpty()) {
            missing.addAll(properties.keySet());
        }
        String fields = missing.isEmpty() ? "its confirmation" : String.join(", ", missing);
        if (!declined.add(List.of(server, String.valueOf(form.message()), schema))) {
            throw fail(UserError.failed(
                    server + " asked again for input (\"" + Terminal.visible(form.message()) + "\") after it was"
                            + " declined: it needs a value for " + fields + ", which "
                            + (answersFile == null ? "no answers file gives" : answersFile + " does not give")
                            + (acceptDefaults ? " and which has no default" : "") + "; give "
                            + (missing.size() == 1 ? "it" : "them") + " in a JSON file with --answers FILE, e.g. "
                            + example(missing)));
        }
        return decline(server + " asked for input (\"" + Terminal.visible(form.message()) + "\")"
                + (unanswered
                        ? ", but no one is at an interactive terminal to answer: no value for "
                        : " and the answers given have no value for ")
                + fields + " (give " + (missing.size() == 1 ? "it" : "them") + " with --answers FILE)");
    }

    /** The answers file's values for this form, checked against the form's schema (its {@code required} aside). */
    private void checkAnswers(
            String server, McpSchema.ElicitFormRequest form, Map<String, Object> schema, Map<String, Object> given) {
        Map<String, Object> shape = new LinkedHashMap<>(schema);
        shape.remove("required");
        List<String> problems = ArgumentValidator.validate(shape, given);
        if (!problems.isEmpty()) {
            throw fail(UserError.usage(
                    "--answers " + answersFile + ": the values do not fit the form " + server + " asked for (\""
                            + Terminal.visible(form.message()) + "\"):\n  " + String.join("\n  ", problems)));
        }
    }

    private UserError fail(UserError e) {
        if (failure == null) {
            failure = e;
        }
        return e;
    }

    /**
     * The first error {@link #elicit} threw, or null: the call's outcome, whatever the server made of the failed
     * answer (a legacy server gets it as an error reply and may go on to fail the call in words of its own).
     */
    UserError failure() {
        return failure;
    }

    private static String example(List<String> fields) {
        StringBuilder b = new StringBuilder("{");
        for (String f : fields) {
            b.append(b.length() == 1 ? "" : ", ").append('"').append(f).append("\": ...");
        }
        return b.append('}').toString();
    }

    @Override
    public McpSchema.CreateMessageResult sample(String server, McpSchema.CreateMessageRequest request) {
        throw new UnsupportedOperationException("sampling requested by MCP server '" + server
                + "' was declined: toolhost call has no model to answer it");
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
