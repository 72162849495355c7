package dev.toolhost.host;

import dev.toolhost.mcp.client.ServerRequestHandler;
import dev.toolhost.mcp.core.ArgumentValidator;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Answers servers' requests from a person at the terminal: an elicitation (for instance an approval
 * from the built-in server, whose {@code decision} enum is approved / approved_for_session / denied /
 * abort) becomes a prompt on stderr, answered on the terminal. Without a person at a terminal every
 * elicitation is declined, with the reason on stderr and in the result's {@code _meta.reason}.
 * Sampling is always refused: a terminal cannot write model completions.
 */
public final class TerminalRequestHandler implements ServerRequestHandler {
    /** What {@code ask} returns for a field left out. */
    private static final Object SKIPPED = new Object();

    private final Console console;
    private final BufferedReader input;
    private final PrintStream out;

    /** One reader of stdin for every handler, so that none keeps input buffered that another needs. */
    private static BufferedReader stdin;

    /**
     * Asks when a person is at the terminal ({@link Terminal#personPresent()}: stdin and stderr are terminals, stdout
     * may be a pipe): on {@link System#console()} when there is one, else prompting on stderr and reading stdin.
     * Declines when no one is there.
     */
    public TerminalRequestHandler() {
        this(Terminal.personPresent() ? System.console() : null, personWithoutConsole(), System.err);
    }

    private static synchronized BufferedReader personWithoutConsole() {
        if (!Terminal.personPresent() || System.console() != null) {
            return null;
        }
        if (stdin == null) {
            stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        }
        return stdin;
    }

    /** For tests: prompts on {@code out} and reads answers from {@code input}. */
    TerminalRequestHandler(BufferedReader input, PrintStream out) {
        this(null, input, out);
    }

    private TerminalRequestHandler(Console console, BufferedReader input, PrintStream out) {
        this.console = console;
        this.input = input;
        this.out = out;
    }

    private boolean interactive() {
        return console != null || input != null;
    }

    @Override
    public synchronized McpSchema.ElicitResult elicit(String server, McpSchema.ElicitRequest request) {
        if (!interactive()) {
            String reason = "MCP server '" + Terminal.visible(server) + "' asked for input (\""
                    + oneLine(request.message()) + "\"), but no one is at an interactive terminal to answer; declined";
            out.println("toolhost: " + reason);
            return new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.DECLINE, null, Map.of("reason", reason));
        }
        out.println();
        out.println("[" + Terminal.visible(server) + "] " + Terminal.visible(request.message()));
        if (request instanceof McpSchema.ElicitUrlRequest url) {
            out.println("Open this address to continue: " + Terminal.visible(url.url()));
            return new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.ACCEPT, null);
        }
        Map<String, Object> schema = ((McpSchema.ElicitFormRequest) request).requestedSchema();
        Map<String, Object> properties = properties(schema);
        List<?> required = schema != null && schema.get("required") instanceof List<?> r ? r : List.of();
        Map<String, Object> content = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, Object> e : properties.entrySet()) {
                Object value = ask(e.getKey(), asMap(e.getValue()), required.contains(e.getKey()));
                if (value == null) {
                    out.println("(cancelled)");
                    return new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.CANCEL, null);
                }
                if (value != SKIPPED) {
                    content.put(e.getKey(), value);
                }
            }
        } catch (IOException e) {
            return new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.CANCEL, null);
        }
        return new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.ACCEPT, content);
    }

    @Override
    public McpSchema.CreateMessageResult sample(String server, McpSchema.CreateMessageRequest request) {
        throw new UnsupportedOperationException("sampling requested by MCP server '" + server
                + "' was declined: this Toolhost command has no model to answer it");
    }

    /**
     * Asks for one field. Enter takes the field's {@code default} when it has one, else leaves an optional field out
     * ({@link #SKIPPED}) and asks a required one again. Returns null when the person cancels (end of input).
     */
    private Object ask(String name, Map<String, Object> schema, boolean required) throws IOException {
        String title = Terminal.visible(schema.get("title") instanceof String t ? t : name);
        String description = schema.get("description") instanceof String d ? " - " + Terminal.visible(d) : "";
        List<?> choices = schema.get("enum") instanceof List<?> l ? l : null;
        String type = schema.get("type") instanceof String t ? t : "string";
        boolean hasDefault = schema.containsKey("default");
        Object fallback = schema.get("default");
        String onEnter = hasDefault
                ? ", Enter for "
                        + (type.equals("boolean")
                                ? (Boolean.TRUE.equals(fallback) ? "y" : "n")
                                : Terminal.visible(String.valueOf(fallback)))
                : required ? "" : ", Enter to skip";
        while (true) {
            String line;
            if (choices != null) {
                out.println(title + description + ":");
                for (int i = 0; i < choices.size(); i++) {
                    out.println("  " + (i + 1) + ") " + Terminal.visible(String.valueOf(choices.get(i))));
                }
                line = readLine("choose 1-" + choices.size() + bracketed(" (", onEnter, ")") + ": ");
            } else if (type.equals("boolean")) {
                line = readLine(title + description + " [y/n" + onEnter + "]: ");
            } else {
                line = readLine(title + description + bracketed(" [", onEnter, "]") + ": ");
            }
            if (line == null) {
                return null;
            }
            String v = line.trim();
            if (v.isEmpty()) {
                if (hasDefault) {
                    return fallback;
                }
                if (!required) {
                    return SKIPPED;
                }
                out.println("please answer: " + title + " is required (end of input cancels)");
                continue;
            }
            if (choices != null) {
                try {
                    int k = Integer.parseInt(v);
                    if (k >= 1 && k <= choices.size()) {
                        return choices.get(k - 1);
                    }
                } catch (NumberFormatException e) {
                    if (choices.contains(v)) {
                        return v;
                    }
                }
                out.println("please answer with a number from 1 to " + choices.size());
                continue;
            }
            Object typed;
            switch (type) {
                case "boolean":
                    if (v.equalsIgnoreCase("y") || v.equalsIgnoreCase("yes") || v.equalsIgnoreCase("true")) {
                        return true;
                    }
                    if (v.equalsIgnoreCase("n") || v.equalsIgnoreCase("no") || v.equalsIgnoreCase("false")) {
                        return false;
                    }
                    out.println("please answer y or n");
                    continue;
                case "integer":
                    try {
                        typed = Long.parseLong(v);
                    } catch (NumberFormatException e) {
                        out.println("please enter an integer");
                        continue;
                    }
                    break;
                case "number":
                    try {
                        typed = Double.parseDouble(v);
                    } catch (NumberFormatException e) {
                        out.println("please enter a number");
                        continue;
                    }
                    break;
                default:
                    typed = v;
            }
            // The rest of the field's schema (minimum, pattern, lengths ...), as --answers is checked.
            List<String> problems = ArgumentValidator.validate(schema, typed);
            if (problems.isEmpty()) {
                return typed;
            }
            out.println("please answer again: "
                    + Terminal.visible(String.join(
                            "; ",
                            problems.stream()
                                    .map(p -> p.startsWith(ArgumentValidator.WHOLE_VALUE + ": ")
                                            ? p.substring(ArgumentValidator.WHOLE_VALUE.length() + 2)
                                            : p)
                                    .toList())));
        }
    }

    /** ", Enter to skip" as " (Enter to skip)"; nothing for nothing. */
    private static String bracketed(String open, String onEnter, String close) {
        return onEnter.isEmpty() ? "" : open + onEnter.substring(2) + close;
    }

    private String readLine(String prompt) throws IOException {
        if (console != null) {
            return console.readLine("%s", prompt);
        }
        out.print(prompt);
        out.flush();
        return input.readLine();
    }

    private static Map<String, Object> properties(Map<String, Object> schema) {
        if (schema == null) {
            return Map.of();
        }
        Map<String, Object> props = asMap(schema.get("properties"));
        return props == null ? Map.of() : props;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : new LinkedHashMap<>();
    }

    private static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        String line = Terminal.visible(s).replaceAll("\\s+", " ").trim();
        return line.length() > 120 ? line.substring(0, 120) + "..." : line;
    }
}
