package dev.toolhost.host;

import dev.toolhost.config.LoadedConfig;
import dev.toolhost.config.McpServerConfig;
import dev.toolhost.mcp.client.oauth.CredentialStore;
import dev.toolhost.mcp.client.oauth.OAuthException;
import dev.toolhost.mcp.client.oauth.ServerAuthorization;
import dev.toolhost.mcp.client.oauth.UserAgent;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "login",
        mixinStandardHelpOptions = true,
        description = {
            "Sign in to an OAuth-protected MCP server (streamable HTTP) and store the tokens.",
            "Opens the system browser ($BROWSER, xdg-open or open) at the authorization server and receives "
                    + "the redirect on http://127.0.0.1:PORT/callback (PORT: oauth.callback_port, else "
                    + "mcp_oauth_callback_port, else a free port). The URL is printed too.",
            "With [mcp_servers.NAME.oauth] grant_type = \"client_credentials\", no browser is involved.",
            "Credentials go to $TOOLHOST_HOME/mcp-credentials.json (owner-only); they are never printed."
        })
final class McpLoginCommand implements Callable<Integer> {

    @Mixin
    GlobalOptions global;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "Server name.")
    String name;

    @Option(names = "--no-browser", description = "Only print the URL; do not open a browser.")
    boolean noBrowser;

    @Option(
            names = "--scopes",
            split = ",",
            paramLabel = "SCOPE",
            description = "Scopes to request (comma-separated, at least one) instead of what the server asks for.")
    List<String> scopes = List.of();

    @Option(
            names = "--timeout",
            paramLabel = "SECONDS",
            defaultValue = "300",
            description = "How long to wait for the redirect (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Override
    public Integer call() {
        if (timeoutSeconds <= 0) {
            throw UserError.usage("--timeout: expected a number of seconds > 0, got " + timeoutSeconds);
        }
        List<String> wanted = wantedScopes();
        LoadedConfig loaded = global.load();
        McpServerConfig server = McpLogoutCommand.httpServer(loaded, name, "log in to");
        if (server.bearerTokenEnvVar() != null
                || server.httpHeaders().keySet().stream().anyMatch("Authorization"::equalsIgnoreCase)
                || server.envHttpHeaders().keySet().stream().anyMatch("Authorization"::equalsIgnoreCase)) {
            throw UserError.usage("MCP server '" + name + "' is configured with its own Authorization header "
                    + "(bearer_token_env_var, http_headers or env_http_headers), which Toolhost always sends instead "
                    + "of a sign-in; remove it to use `toolhost mcp login`");
        }
        UserAgent agent = UserAgent.systemBrowser(System.err, System.getenv(), noBrowser);
        ServerAuthorization auth = new ServerAuthorization(
                server, System.getenv(), CredentialStore.atHome(), agent, Duration.ofSeconds(timeoutSeconds));
        ServerAuthorization.LoginResult result;
        try {
            result = auth.login(wanted);
        } catch (OAuthException.Misconfigured e) {
            throw UserError.usage("cannot log in to MCP server '" + name + "': " + e.getMessage());
        } catch (OAuthException e) {
            throw UserError.failed("login to MCP server '" + name + "' failed: " + e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        if (result == null) {
            out.println("MCP server '" + name + "' answered without asking for authorization; nothing to log in to.");
        } else {
            out.println("Logged in to MCP server '" + name + "' (authorization server " + result.issuer() + ")"
                    + (result.scopes().isEmpty() ? "" : "; scopes: " + String.join(" ", result.scopes()))
                    + (result.expiresAt() == null
                            ? ""
                            : "; token expires " + result.expiresAt()
                                    + (result.refreshable() ? ", refreshed automatically" : "")));
        }
        out.flush();
        return Cli.OK;
    }

    /** The --scopes given, each a scope token (RFC 6749 section 3.3); empty when the option is absent. */
    private List<String> wantedScopes() {
        if (!spec.commandLine().getParseResult().hasMatchedOption("--scopes")) {
            return List.of();
        }
        List<String> wanted = new ArrayList<>();
        for (String scope : scopes) {
            String s = scope.strip();
            if (s.isEmpty()) {
                throw UserError.usage("--scopes: an empty scope (between commas or the whole value); give scope names"
                        + " separated by commas, e.g. --scopes files:read,files:write");
            }
            if (s.chars().anyMatch(c -> c <= ' ' || c == '"' || c == '\\' || c >= 0x7f)) {
                throw UserError.usage("--scopes: '" + s + "' contains a space or a character a scope cannot have "
                        + "(RFC 6749 section 3.3); separate scopes with commas");
            }
            wanted.add(s);
        }
        if (wanted.isEmpty()) {
            throw UserError.usage("--scopes: no scope given; name at least one, or leave out --scopes to request "
                    + "what the server asks for");
        }
        return wanted;
    }
}
