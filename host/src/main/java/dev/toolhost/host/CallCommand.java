package dev.toolhost.host;

import dev.toolhost.builtin.exec.ExecCommandTool;
import dev.toolhost.config.LoadedConfig;
import dev.toolhost.mcp.client.CallContext;
import dev.toolhost.mcp.client.McpHub;
import dev.toolhost.mcp.client.ToolHub;
import dev.toolhost.mcp.client.ToolNames;
import dev.toolhost.mcp.core.ArgumentValidator;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.json.JsonMapper;

@Command(
        name = "call",
        mixinStandardHelpOptions = true,
        description = {
            "Call one tool headlessly and print its result.",
            "Exit 0 when the tool succeeded, 1 when it returned isError or failed, 2 on usage/config errors.",
            "A server's questions are asked on the terminal; with no one there and neither --answers nor"
                    + " --accept-defaults, they are declined, and one asked again fails the call (exit 1).",
            "Sampling requests are declined: toolhost call has no model.",
            "The built-in exec_command waits for its command to end (up to 300 s, ignoring yield_time_ms): a"
                    + " session left running would end with this process. A command still running then is stopped"
                    + " (exit 1), as it is when toolhost call gets Ctrl-C, SIGTERM or SIGHUP."
        })
final class CallCommand implements Callable<Integer>, JsonFailure {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Mixin
    GlobalOptions global;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TOOL", description = "Qualified tool name (see `toolhost tools`).")
    String tool;

    @Parameters(
            index = "1",
            arity = "0..1",
            paramLabel = "JSON_ARGS",
            description = "Arguments as a JSON object, or - to read them from stdin (default {}). null for an"
                    + " optional argument leaves it out.")
    String arguments;

    @Option(
            names = "--json",
            description = "Print the full CallToolResult as JSON on stdout. Every failure prints one too (isError,"
                    + " the message as its text); a failure of Toolhost's own (usage, a server down) also prints the"
                    + " message on stderr, a tool's isError result (a timeout included) only on stdout.")
    boolean json;

    @Option(
            names = "--accept-defaults",
            description = {
                "Answer the server's questions (form elicitations) without"
                        + " asking: accept each form with its fields' default values. A form whose required fields have no"
                        + " default (and no value from --answers) is declined; when the server asks the same"
                        + " question again, the call fails (exit 1) naming the fields to give with --answers."
            })
    boolean acceptDefaults;

    @Option(
            names = "--answers",
            paramLabel = "FILE",
            description = {
                "Answer the server's questions (form"
                        + " elicitations) without asking, from a JSON object of field values, e.g. {\"name\": \"Ada\"}; fields"
                        + " it does not name take their defaults with --accept-defaults. Each value is checked"
                        + " against the form's JSON Schema (type, enum, minimum/maximum, ...): one that does not fit"
                        + " fails the call (exit 2)."
            })
    Path answersFile;

    @Override
    public Integer call() throws IOException {
        Map<String, Object> args = parseArguments(arguments);
        Map<String, Object> answers = readAnswers();
        LoadedConfig loaded = global.load();
        List<String> servers = serversFor(tool, loaded);
        if (servers.isEmpty()) {
            // Nothing to start: no configured server's tools can have this name.
            throw UserError.usage(unknownServer());
        }
        // Held back until we know whether the call can go ahead: when the tool's server is down, the error says
        // why, and a warning saying it first would only repeat it.
        List<String> warnings = new ArrayList<>();
        // A signal (SIGTERM, SIGHUP, SIGINT) ends the JVM without reaching the finally below: the hook closes the
        // hub too, so a command exec_command started (unsandboxed, nothing else ends it) goes with this process.
        List<AutoCloseable> opened = Collections.synchronizedList(new ArrayList<>());
        Thread onSignal = new Thread(() -> McpServerCommand.closeAll(opened), "toolhost-call-close-hub");
        Runtime.getRuntime().addShutdownHook(onSignal);
        McpHub hub;
        try {
            hub = HubLauncher.launch(
                    loaded, HubLauncher.Options.defaults().only(servers).warningsTo(warnings::add));
            opened.add(hub);
            ToolHub.HubTool found = hub.tool(tool);
            if (found == null) {
                requireServerUp(hub);
            }
            warnings.forEach(err()::println);
            err().flush();
            if (found == null) {
                throw UserError.usage(unknownTool(hub));
            }
            McpHub owner = hub;
            // null for an optional argument means "not given" (MCP: a null value gets no Mcp-Param header either).
            List<?> required = found.tool().inputSchema() != null
                            && found.tool().inputSchema().get("required") instanceof List<?> r
                    ? r
                    : List.of();
            args.entrySet().removeIf(e -> e.getValue() == null && !required.contains(e.getKey()));
            List<String> problems =
                    ArgumentValidator.validateArguments(found.tool().inputSchema(), args);
            if (!problems.isEmpty()) {
                throw UserError.usage(ArgumentValidator.describe(tool, problems));
            }
            // One process, one call: a write_stdin session dies with this process, so exec_command waits as long
            // as it can for its command to end instead of yielding.
            boolean builtinExec =
                    HubLauncher.BUILTIN.equals(found.server()) && "exec_command".equals(found.originalName());
            if (builtinExec) {
                args.put("yield_time_ms", ExecCommandTool.MAX_YIELD_MS);
            }
            // A person is there when stdin and stderr are terminals: stdout may well be a pipe (| jq).
            boolean watching = Terminal.personPresent();
            // Without a person at the terminal the questions are answered as --answers/--accept-defaults answer
            // them (here: with nothing), so a question asked again after its decline fails the call at once.
            HeadlessAnswers headless = acceptDefaults || answersFile != null || !watching
                    ? new HeadlessAnswers(acceptDefaults, answers, answersFile, System.err)
                    : null;
            CallContext context = new CallContext(
                    p -> {
                        if (watching) {
                            err().println("progress: " + p.progress()
                                    + (p.total() == null ? "" : "/" + p.total())
                                    + (p.message() == null ? "" : " " + p.message()));
                        }
                    },
                    l -> {
                        // Server log messages: all of them for a person watching, warnings and worse for scripts.
                        if (watching || l.level().ordinal() >= McpSchema.LoggingLevel.WARNING.ordinal()) {
                            err().println("[" + l.level().name().toLowerCase() + "] "
                                    + (l.logger() == null ? "" : l.logger() + ": ") + l.data());
                        }
                    },
                    headless != null ? headless : new TerminalRequestHandler());
            McpSchema.CallToolResult result;
            try {
                result = owner.call(tool, args, context).join();
            } catch (CompletionException e) {
                if (headless != null && headless.failure() != null) {
                    throw headless.failure();
                }
                throw UserError.failed(
                        e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
            }
            if (headless != null && headless.failure() != null) {
                throw headless.failure();
            }
            print(result);
            if (builtinExec && result.structuredContent() instanceof Map<?, ?> m && m.get("session_id") != null) {
                err().println("error: the command was still running after " + ExecCommandTool.MAX_YIELD_MS / 1000
                        + " s (the longest exec_command waits) and was stopped because toolhost call ends; run"
                        + " longer commands with toolhost exec (a command detached with nohup ... & survives only"
                        + " without a sandbox: -s danger-full-access)");
                err().flush();
                return Cli.FAILED;
            }
            return Boolean.TRUE.equals(result.isError()) ? Cli.FAILED : Cli.OK;
        } finally {
            McpServerCommand.closeAll(opened);
            try {
                Runtime.getRuntime().removeShutdownHook(onSignal);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs (or ran) anyway; closeAll is done by now
            }
        }
    }

    /**
     * A tool whose server is down is not an unknown tool: the operation failed (exit 1), and the message says
     * which server and why, once.
     */
    private void requireServerUp(McpHub hub) {
        for (ToolHub.ServerStatus s : hub.servers()) {
            if (HubLauncher.BUILTIN.equals(s.name())
                    || s.state() == ToolHub.ServerStatus.State.READY
                    || !tool.startsWith(ToolNames.PREFIX + ToolNames.sanitize(s.name()) + ToolNames.DELIMITER)) {
                continue;
            }
            if (s.state() == ToolHub.ServerStatus.State.DISABLED) {
                throw UserError.usage("cannot call '" + tool + "': MCP server '" + s.name() + "' is disabled in the"
                        + " config (enabled = false)");
            }
            String why = s.detail() == null ? "MCP server '" + s.name() + "' is not running" : s.detail();
            throw UserError.failed("cannot call '" + tool + "': " + why
                    + (why.startsWith("MCP server '") ? "" : " (MCP server '" + s.name() + "')"));
        }
    }

    @Override
    public boolean jsonRequested() {
        return json;
    }

    /** A failure as the result a tool timeout gives: {@code isError} with the message as its text. */
    @Override
    public String jsonFailure(String message, int exitCode) {
        try {
            return McpJsonDefaults.getMapper()
                    .writeValueAsString(McpSchema.CallToolResult.builder()
                            .addTextContent(message)
                            .isError(true)
                            .build());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void print(McpSchema.CallToolResult result) throws IOException {
        if (json) {
            out().println(McpJsonDefaults.getMapper().writeValueAsString(result));
            return;
        }
        List<String> parts = new ArrayList<>();
        if (result.content() != null) {
            for (McpSchema.Content c : result.content()) {
                parts.add(render(c));
            }
        }
        if (parts.isEmpty() && result.structuredContent() != null) {
            parts.add(McpJsonDefaults.getMapper().writeValueAsString(result.structuredContent()));
        }
        String text = String.join("\n", parts);
        PrintWriter w = Boolean.TRUE.equals(result.isError()) ? err() : out();
        w.print(text.endsWith("\n") || text.isEmpty() ? text : text + "\n");
        w.flush();
    }

    private static String render(McpSchema.Content c) {
        if (c instanceof McpSchema.TextContent t) {
            return t.text();
        }
        if (c instanceof McpSchema.ImageContent i) {
            return "[image " + i.mimeType() + ", " + base64Bytes(i.data()) + " bytes]";
        }
        if (c instanceof McpSchema.AudioContent a) {
            return "[audio " + a.mimeType() + ", " + base64Bytes(a.data()) + " bytes]";
        }
        if (c instanceof McpSchema.EmbeddedResource r) {
            if (r.resource() instanceof McpSchema.TextResourceContents t) {
                return t.text();
            }
            return "[resource " + r.resource().uri() + "]";
        }
        if (c instanceof McpSchema.ResourceLink l) {
            return "[resource link " + l.uri() + (l.name() == null ? "" : " (" + l.name() + ")") + "]";
        }
        return String.valueOf(c);
    }

    private static long base64Bytes(String data) {
        return data == null ? 0 : data.length() * 3L / 4;
    }

    /** The --answers file as a JSON object (empty without one). */
    private Map<String, Object> readAnswers() {
        if (answersFile == null) {
            return Map.of();
        }
        String text;
        try {
            text = Files.readString(answersFile);
        } catch (NoSuchFileException e) {
            throw UserError.usage("--answers " + answersFile + ": no such file");
        } catch (AccessDeniedException e) {
            throw UserError.usage("--answers " + answersFile + ": permission denied");
        } catch (IOException e) {
            throw UserError.usage("--answers " + answersFile + ": cannot read the file: " + e);
        }
        return jsonObject(text, "--answers " + answersFile, "a JSON object of field values, e.g. {\"name\": \"Ada\"}");
    }

    private static Map<String, Object> parseArguments(String text) throws IOException {
        String source = text == null ? "{}" : text;
        if ("-".equals(source)) {
            try (InputStream in = System.in) {
                source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (source.isBlank()) {
                source = "{}";
            }
        }
        return jsonObject(
                source,
                "-".equals(text) ? "JSON_ARGS from stdin" : "JSON_ARGS",
                "a JSON object, e.g. '{\"message\":\"hi\"}'");
    }

    /**
     * {@code text} as a JSON object; otherwise a usage error naming {@code source} and, for a syntax error, the line
     * and column and what was found there (Jackson's own words, without its excerpt of the input).
     */
    static Map<String, Object> jsonObject(String text, String source, String expected) {
        Object parsed;
        try {
            parsed = JSON.readValue(text, Object.class);
        } catch (JacksonException e) {
            TokenStreamLocation at = e.getLocation();
            String where = at == null || at.getLineNr() < 1
                    ? ""
                    : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
            String what = String.valueOf(e.getOriginalMessage()).startsWith("Trailing token")
                    ? "something follows the first JSON value; give exactly one"
                    : firstLine(e.getOriginalMessage());
            throw UserError.usage(source + " is not valid JSON" + where + ": " + what);
        }
        if (!(parsed instanceof Map<?, ?> map)) {
            throw UserError.usage(source + " must be " + expected);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }

    /**
     * Only the servers the name can belong to ({@code mcp__<server>__...}, disabled ones included, so that the error
     * can say so; or, for a name {@link ToolNames} cut and hashed at {@value ToolNames#MAX_LENGTH} characters, each
     * server whose prefix it starts with), or only the built-in tools for a plain name; empty when no configured
     * server's tools can have this name.
     */
    private static List<String> serversFor(String tool, LoadedConfig loaded) {
        if (!tool.startsWith(ToolNames.PREFIX)) {
            return List.of(HubLauncher.BUILTIN);
        }
        // A hashed name keeps this many characters of the sanitized raw name, then "_" and 12 hex digits.
        int kept = ToolNames.MAX_LENGTH - 13;
        List<String> matches = new ArrayList<>();
        loaded.config().mcpServers().values().forEach(s -> {
            String prefix = ToolNames.PREFIX + ToolNames.sanitize(s.name()) + ToolNames.DELIMITER;
            if (tool.startsWith(prefix)
                    || (tool.length() == ToolNames.MAX_LENGTH
                            && prefix.length() > kept
                            && prefix.startsWith(tool.substring(0, kept)))) {
                matches.add(s.name());
            }
        });
        return matches;
    }

    /** The error for {@code mcp__SERVER__...} when no server named SERVER is configured. */
    private String unknownServer() {
        String rest = tool.substring(ToolNames.PREFIX.length());
        int end = rest.indexOf(ToolNames.DELIMITER);
        return "unknown tool '" + tool + "'"
                + (end > 0 ? ": no MCP server named '" + rest.substring(0, end) + "' is configured" : "")
                + "; run `toolhost tools` to list the available tools";
    }

    /** Failed servers are not mentioned: their warnings were printed, and the name points into none of them. */
    private String unknownTool(McpHub hub) {
        StringBuilder b = new StringBuilder("unknown tool '" + tool + "'");
        List<String> close = hub.tools().stream()
                .map(ToolHub.HubTool::qualifiedName)
                .filter(n -> n.endsWith(tool) || n.contains(tool) || tool.contains(n))
                .limit(5)
                .toList();
        if (!close.isEmpty()) {
            b.append("; did you mean: ").append(String.join(", ", close));
        } else {
            b.append("; run `toolhost tools` to list the available tools");
        }
        return b.toString();
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    private PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
