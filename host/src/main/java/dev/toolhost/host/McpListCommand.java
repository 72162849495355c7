package dev.toolhost.host;

import dev.toolhost.config.ConfigJson;
import dev.toolhost.config.LoadedConfig;
import dev.toolhost.config.McpServerConfig;
import dev.toolhost.config.Redact;
import dev.toolhost.mcp.client.McpHub;
import dev.toolhost.mcp.client.ToolHub;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

@Command(
        name = "list",
        mixinStandardHelpOptions = true,
        description = {
            "List configured MCP servers with their live status (each enabled server is started).",
            "Status: ready (N tools), failed (reason) or disabled. ERA: 2026-07-28 (stateless, per-request"
                    + " _meta) or legacy (initialize), with the protocol version agreed (see `protocol` in"
                    + " [mcp_servers.NAME]; the era found is cached under TOOLHOST_HOME/cache).",
            "Secrets are not shown: env and http_headers values as *****, URLs without password and query values."
        })
final class McpListCommand implements Callable<Integer> {

    @Mixin
    GlobalOptions global;

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print the servers as a JSON array.")
    boolean json;

    @Option(names = "--no-connect", description = "Only show the configuration; start no server.")
    boolean noConnect;

    @Override
    public Integer call() {
        LoadedConfig loaded = global.load();
        PrintWriter out = spec.commandLine().getOut();
        Map<String, McpHub.ServerProtocol> protocols = new LinkedHashMap<>();
        Map<String, ToolHub.ServerStatus> status = noConnect ? null : liveStatus(loaded, protocols);
        if (json) {
            ArrayNode array = JsonNodeFactory.instance.arrayNode();
            for (McpServerConfig s : loaded.config().mcpServers().values()) {
                ObjectNode o = array.addObject();
                o.put("name", s.name());
                o.put("transport", s.isStdio() ? "stdio" : "streamable_http");
                o.setAll(ConfigJson.server(s));
                ToolHub.ServerStatus st = status == null ? null : status.get(s.name());
                AuthStatus.put(o, s, st);
                if (st != null) {
                    o.put("status", st.state().name().toLowerCase(Locale.ROOT));
                    o.put("tools", st.toolCount());
                    if (st.detail() != null) {
                        o.put("error", st.detail());
                    }
                    McpHub.ServerProtocol p = protocols.get(s.name());
                    o.put("era", p == null ? null : p.era());
                    o.put("protocol_version", p == null ? null : p.protocolVersion());
                }
            }
            out.println(PrettyJson.pretty(array));
        } else if (loaded.config().mcpServers().isEmpty()) {
            out.println("No MCP servers configured. Add one with: toolhost mcp add NAME -- COMMAND [ARGS...]");
        } else {
            List<String[]> rows = new ArrayList<>();
            rows.add(
                    status == null
                            ? new String[] {"NAME", "TRANSPORT", "TARGET", "AUTH", "ENABLED"}
                            : new String[] {"NAME", "TRANSPORT", "TARGET", "AUTH", "ERA", "STATUS"});
            for (McpServerConfig s : loaded.config().mcpServers().values()) {
                if (status == null) {
                    rows.add(new String[] {
                        s.name(),
                        s.isStdio() ? "stdio" : "http",
                        target(s),
                        AuthStatus.describe(s),
                        s.enabled() ? "yes" : "no"
                    });
                    continue;
                }
                McpHub.ServerProtocol p = protocols.get(s.name());
                String era = p == null
                        ? "-"
                        : p.era().equals("legacy") ? "legacy (" + p.protocolVersion() + ")" : p.protocolVersion();
                rows.add(new String[] {
                    s.name(),
                    s.isStdio() ? "stdio" : "http",
                    target(s),
                    AuthStatus.describe(s, status.get(s.name())),
                    era,
                    describe(status.get(s.name()))
                });
            }
            printTable(out, rows);
        }
        out.flush();
        return Cli.OK;
    }

    /** Starts every enabled server (not the built-in tools) and reports how each one fared. */
    private Map<String, ToolHub.ServerStatus> liveStatus(
            LoadedConfig loaded, Map<String, McpHub.ServerProtocol> protocols) {
        Map<String, ToolHub.ServerStatus> status = new LinkedHashMap<>();
        if (loaded.config().mcpServers().isEmpty()) {
            return status;
        }
        List<String> names = new ArrayList<>(loaded.config().mcpServers().keySet());
        // Failures are shown in the table; the hub's warnings would only repeat them.
        try (McpHub hub = HubLauncher.launch(
                loaded,
                HubLauncher.Options.defaults().only(names).warnings(false).requiredFatal(false))) {
            hub.servers().forEach(s -> {
                status.put(s.name(), s);
                McpHub.ServerProtocol p = hub.protocol(s.name());
                if (p != null) {
                    protocols.put(s.name(), p);
                }
            });
        }
        return status;
    }

    private static String describe(ToolHub.ServerStatus s) {
        return switch (s.state()) {
            case READY -> "ready (" + s.toolCount() + (s.toolCount() == 1 ? " tool)" : " tools)");
            case DISABLED -> "disabled";
            case STARTING -> "starting";
            case FAILED -> "failed: " + firstLine(s.detail());
        };
    }

    /** The reason on one line, plus the server's last stderr line when there is one. */
    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        List<String> lines = s.lines().toList();
        String line = lines.isEmpty() ? "" : lines.get(0);
        String marker = "failed to start: ";
        int cut = line.indexOf(marker);
        if (line.startsWith("MCP server '") && cut > 0) {
            line = line.substring(cut + marker.length());
        }
        int stderr = lines.indexOf("  last stderr lines:");
        if (stderr >= 0 && stderr + 1 < lines.size()) {
            String last = lines.get(lines.size() - 1).strip();
            for (int i = lines.size() - 1; i > stderr; i--) {
                if (lines.get(i).startsWith("    ")) {
                    last = lines.get(i).strip();
                    break;
                }
            }
            line = line + "; stderr: " + last;
        }
        return line;
    }

    private static String target(McpServerConfig s) {
        if (!s.isStdio()) {
            return Redact.url(s.url());
        }
        StringBuilder b = new StringBuilder(s.command());
        for (String a : s.args()) {
            b.append(' ').append(a.isEmpty() || a.contains(" ") ? "'" + a + "'" : a);
        }
        return b.toString();
    }

    private static void printTable(PrintWriter out, List<String[]> rows) {
        int[] widths = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                widths[i] = Math.max(widths[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                line.append(i == r.length - 1 ? r[i] : String.format("%-" + (widths[i] + 2) + "s", r[i]));
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
