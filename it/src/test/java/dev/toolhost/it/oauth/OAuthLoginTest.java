package dev.toolhost.it.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.config.McpServerConfig;
import dev.toolhost.it.Peers;
import dev.toolhost.mcp.client.oauth.CredentialStore;
import dev.toolhost.mcp.client.oauth.ServerAuthorization;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.CookieManager;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code toolhost mcp login/logout} and the hub's use of the stored sign-in, against a real authorization
 * server (oidc-provider) in front of an MCP server that checks JWT bearer tokens. The test plays the
 * browser: it follows the authorization URL Toolhost prints through oidc-provider's login and consent
 * pages to the loopback redirect.
 */
class OAuthLoginTest {
    private static final int TOKEN_TTL_SECONDS = 12;
    private static final Pattern AUTH_URL = Pattern.compile("(http://127\\.0\\.0\\.1:\\d+/auth\\?\\S+)");
    private static OAuthPeer peer;

    @TempDir
    Path home;

    @BeforeAll
    static void startPeer() throws IOException {
        peer = OAuthPeer.start(TOKEN_TTL_SECONDS);
    }

    @AfterAll
    static void stopPeer() {
        if (peer != null) {
            peer.close();
        }
    }

    record Run(int exit, String out, String err) {
        String all() {
            return out + err;
        }
    }

    @Test
    void loginCallRefreshAndLogout() throws Exception {
        config(peer.mcp());
        Run before = toolhost("call", "mcp__s__whoami");
        assertNotEquals(0, before.exit(), before.all());
        assertTrue(before.err().contains("run `toolhost mcp login s`"), before.err());
        assertNoStackTrace(before);

        List<HttpResponse<String>> page = new ArrayList<>();
        Run login = login(browser -> page.add(browser.approve("alice")));
        assertEquals(0, login.exit(), login.all());
        assertEquals(200, page.get(0).statusCode());
        assertTrue(page.get(0).body().startsWith("Signed in:"), page.get(0).body());
        assertTrue(
                login.out().contains("Logged in to MCP server 's' (authorization server " + peer.issuer() + ")"),
                login.out());
        Path file = home.resolve("mcp-credentials.json");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        JsonNode tokens = storedTokens();
        assertNotNull(tokens.get("refreshToken").asString(null), "offline_access should bring a refresh token");
        assertFalse(login.all().contains(tokens.get("accessToken").asString()), "the access token was printed");
        assertFalse(login.all().contains(tokens.get("refreshToken").asString()), "the refresh token was printed");

        Run call = toolhost("call", "mcp__s__whoami");
        assertEquals(0, call.exit(), call.all());
        assertTrue(call.out().contains("subject=alice"), call.out());
        Run list = toolhost("mcp", "list", "--no-connect");
        assertTrue(list.out().contains("logged in (expires "), list.out());

        // Expiry: the next use refreshes without the user noticing.
        String first = tokens.get("accessToken").asString();
        long expiresAt = tokens.get("expiresAt").asLong();
        Awaitility.await()
                .atMost(Duration.ofSeconds(TOKEN_TTL_SECONDS + 10))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> Instant.now().getEpochSecond() > expiresAt);
        assertTrue(toolhost("mcp", "list", "--no-connect").out().contains("expired (refreshed on next use)"));
        Run afterExpiry = toolhost("call", "mcp__s__whoami");
        assertEquals(0, afterExpiry.exit(), afterExpiry.all());
        assertTrue(afterExpiry.out().contains("subject=alice"), afterExpiry.out());
        String second = storedTokens().get("accessToken").asString();
        assertNotEquals(first, second, "the expired token should have been refreshed");

        // A token the server no longer accepts (revoked, say): the 401 leads to a refresh and a retry.
        ObjectNode content = (ObjectNode) JsonMapper.shared().readTree(Files.readString(file));
        ((ObjectNode) content.get("servers").get("s").get("tokens")).put("accessToken", "revoked-token");
        Files.writeString(file, content.toString());
        Run afterRevoke = toolhost("call", "mcp__s__whoami");
        assertEquals(0, afterRevoke.exit(), afterRevoke.all());
        assertNotEquals("revoked-token", storedTokens().get("accessToken").asString());

        Run logout = toolhost("mcp", "logout", "s");
        assertEquals(0, logout.exit(), logout.all());
        assertTrue(logout.out().contains("Logged out of MCP server 's'"), logout.out());
        Run afterLogout = toolhost("call", "mcp__s__whoami");
        assertNotEquals(0, afterLogout.exit(), afterLogout.all());
        assertTrue(afterLogout.err().contains("requires login: run `toolhost mcp login s`"), afterLogout.err());
        assertTrue(toolhost("mcp", "list", "--no-connect").out().contains("not logged in"));
    }

    /**
     * Processes sharing one TOOLHOST_HOME (replicas, parallel {@code toolhost call}s) refresh one sign-in.
     * oidc-provider rotates refresh tokens and revokes the whole grant when a used one comes back, so each
     * expiry may bring exactly one refresh: the others must take the tokens it stored. Two hubs in this JVM
     * hold the first tokens in memory while a {@code toolhost call} refreshes them; then the two hubs and two
     * more calls all need a token at once. After the next expiry the sign-in must still refresh.
     */
    @Test
    void processesSharingAHomeRefreshOnceAndKeepTheSignIn() throws Exception {
        config(peer.mcp());
        Run login = login(browser -> browser.approve("alice"));
        assertEquals(0, login.exit(), login.all());
        ServerAuthorization a = hubAuthorization();
        ServerAuthorization b = hubAuthorization();
        String first = a.accessToken();
        assertTrue(first.equals(b.accessToken()));

        awaitExpiry();
        Run refreshing = toolhost("call", "mcp__s__whoami");
        assertEquals(0, refreshing.exit(), refreshing.all());
        String refreshed = storedTokens().get("accessToken").asString();
        assertFalse(first.equals(refreshed));
        List<CompletableFuture<Run>> calls = List.of(
                CompletableFuture.supplyAsync(() -> toolhostUnchecked("call", "mcp__s__whoami")),
                CompletableFuture.supplyAsync(() -> toolhostUnchecked("call", "mcp__s__whoami")));
        CompletableFuture<String> fromA = CompletableFuture.supplyAsync(a::accessToken);
        CompletableFuture<String> fromB = CompletableFuture.supplyAsync(b::accessToken);
        // (compared without assertEquals, which would print the tokens)
        assertTrue(refreshed.equals(fromA.get()), "a hub with stale tokens must take the ones another process stored");
        assertTrue(refreshed.equals(fromB.get()), "a hub with stale tokens must take the ones another process stored");
        for (CompletableFuture<Run> call : calls) {
            assertEquals(0, call.get().exit(), call.get().all());
            assertTrue(call.get().out().contains("subject=alice"), call.get().out());
        }

        awaitExpiry();
        Run later = toolhost("call", "mcp__s__whoami");
        assertEquals(0, later.exit(), later.all());
        assertTrue(later.out().contains("subject=alice"), later.out());
    }

    @Test
    void deniedConsentIsReported() throws Exception {
        config(peer.mcp());
        List<HttpResponse<String>> page = new ArrayList<>();
        Run login = login(browser -> page.add(browser.deny()));
        assertEquals(1, login.exit(), login.all());
        assertTrue(login.err().contains("sign-in was denied at " + peer.issuer() + " (access_denied"), login.err());
        assertNoStackTrace(login);
        // The browser is told too, not thanked for a sign-in that did not happen.
        assertEquals(400, page.get(0).statusCode());
        assertTrue(
                page.get(0)
                        .body()
                        .startsWith("The sign-in failed: sign-in was denied at " + peer.issuer() + " (access_denied"),
                page.get(0).body());
    }

    /**
     * Requests to the callback that are not this sign-in's response (a browser prefetch, a stray curl, a
     * redirect carrying another sign-in's state) get a 400 page and do not end the wait; the code such a
     * redirect carries is never sent.
     */
    @Test
    void strayRequestsToTheCallbackAreAnsweredAndIgnored() throws Exception {
        config(peer.mcp());
        List<HttpResponse<String>> pages = new ArrayList<>();
        Run login = login(browser -> {
            pages.add(browser.deliver(""));
            pages.add(browser.deliver("foo=bar"));
            pages.add(browser.deliver("code=stolen&state=not-the-one&iss=" + enc(peer.issuer())));
            pages.add(browser.deliver("error=access_denied&state=not-the-one"));
            pages.add(browser.approve("alice"));
        });
        assertEquals(0, login.exit(), login.all());
        for (HttpResponse<String> stray : pages.subList(0, 4)) {
            assertEquals(400, stray.statusCode(), stray.uri().toString());
            assertTrue(
                    stray.body().startsWith("This is not the sign-in response Toolhost is waiting for"), stray.body());
        }
        assertEquals(200, pages.get(4).statusCode());
        assertTrue(pages.get(4).body().startsWith("Signed in:"), pages.get(4).body());
        assertTrue(toolhost("call", "mcp__s__whoami").out().contains("subject=alice"));
    }

    @Test
    void redirectFromAnotherIssuerIsRejected() throws Exception {
        config(peer.mcp());
        List<HttpResponse<String>> page = new ArrayList<>();
        Run login = login(browser -> page.add(
                browser.deliver("code=x&state=" + browser.state() + "&iss=" + enc("https://evil.example.com"))));
        assertEquals(1, login.exit(), login.all());
        assertTrue(
                login.err().contains("names issuer 'https://evil.example.com', not '" + peer.issuer() + "'"),
                login.err());
        assertEquals(400, page.get(0).statusCode());
        assertTrue(page.get(0).body().startsWith("The sign-in failed: the sign-in response names issuer"));
    }

    /**
     * A login that does not complete leaves the stored client and tokens as they were, also when the stored
     * client's callback port is busy (so the login registers a new client) and when two logins run at once.
     * Before, the new client was stored at once: the stored tokens then belonged to another client, and the
     * next refresh was refused.
     */
    @Test
    void aLoginThatDoesNotCompleteKeepsTheStoredSignIn() throws Exception {
        config(peer.mcp());
        Run login = login(browser -> browser.approve("alice"));
        assertEquals(0, login.exit(), login.all());
        Path file = home.resolve("mcp-credentials.json");
        String before = Files.readString(file);
        JsonNode client = JsonMapper.shared()
                .readTree(before)
                .get("servers")
                .get("s")
                .get("clients")
                .get(peer.issuer());
        int port = URI.create(client.get("redirectUri").asString()).getPort();
        try (ServerSocket busy = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
            Run failed = toolhost("mcp", "login", "s", "--no-browser", "--timeout", "2");
            assertEquals(1, failed.exit(), failed.all());
            assertTrue(failed.err().contains("no sign-in redirect came back"), failed.err());
        }
        assertEquals(before, Files.readString(file), "a login that timed out changed the stored sign-in");
        List<CompletableFuture<Run>> twice = List.of(
                CompletableFuture.supplyAsync(
                        () -> toolhostUnchecked("mcp", "login", "s", "--no-browser", "--timeout", "3")),
                CompletableFuture.supplyAsync(
                        () -> toolhostUnchecked("mcp", "login", "s", "--no-browser", "--timeout", "3")));
        for (CompletableFuture<Run> r : twice) {
            assertEquals(1, r.get().exit(), r.get().all());
        }
        assertEquals(before, Files.readString(file), "two logins that timed out changed the stored sign-in");

        // The sign-in still refreshes.
        awaitExpiry();
        Run call = toolhost("call", "mcp__s__whoami");
        assertEquals(0, call.exit(), call.all());
        assertTrue(call.out().contains("subject=alice"), call.out());
    }

    /** A refresh the authorization server refuses is named as the reason to log in again. */
    @Test
    void aRefusedRefreshIsNamed() throws Exception {
        config(peer.mcp());
        Run login = login(browser -> browser.approve("alice"));
        assertEquals(0, login.exit(), login.all());
        Path file = home.resolve("mcp-credentials.json");
        ObjectNode content = (ObjectNode) JsonMapper.shared().readTree(Files.readString(file));
        ObjectNode tokens = (ObjectNode) content.get("servers").get("s").get("tokens");
        tokens.put("accessToken", "revoked-token");
        tokens.put("refreshToken", "no-such-refresh-token");
        Files.writeString(file, content.toString());
        Run call = toolhost("call", "mcp__s__whoami");
        assertNotEquals(0, call.exit(), call.all());
        assertTrue(
                call.err()
                        .contains("requires login: run `toolhost mcp login s` (the authorization server "
                                + peer.issuer() + " refused to refresh the stored sign-in: invalid_grant"),
                call.err());
        assertFalse(call.err().contains("no-such-refresh-token"), call.err());
        assertNoStackTrace(call);
    }

    /** The page is answered after the token request, with its outcome: a code the server refuses is a failure. */
    @Test
    void aCodeTheAuthorizationServerRefusesFailsThePageToo() throws Exception {
        config(peer.mcp());
        List<HttpResponse<String>> page = new ArrayList<>();
        Run login = login(browser ->
                page.add(browser.deliver("code=bogus&state=" + browser.state() + "&iss=" + enc(peer.issuer()))));
        assertEquals(1, login.exit(), login.all());
        assertTrue(login.err().contains("refused the token request: invalid_grant"), login.err());
        assertEquals(400, page.get(0).statusCode(), page.get(0).body());
        assertTrue(
                page.get(0)
                        .body()
                        .startsWith("The sign-in failed: the authorization server " + peer.issuer()
                                + " refused the token request: invalid_grant"),
                page.get(0).body());
        assertTrue(
                page.get(0).body().endsWith(".\nYou can close this window.\n"),
                page.get(0).body());
        assertFalse(
                Files.exists(home.resolve("mcp-credentials.json"))
                        && storedTokens() != null
                        && !storedTokens().isNull(),
                "a failed login stored tokens");
    }

    @Test
    void aRedirectWithAnEmptyIssSaysItCarriesNone() throws Exception {
        config(peer.mcp());
        List<HttpResponse<String>> page = new ArrayList<>();
        Run login = login(browser -> page.add(browser.deliver("code=x&state=" + browser.state() + "&iss=")));
        assertEquals(1, login.exit(), login.all());
        assertTrue(login.err().contains("the sign-in response carries no iss"), login.err());
        assertFalse(login.err().contains("names issuer ''"), login.err());
        assertEquals(400, page.get(0).statusCode());
    }

    /** A configured client whose secret variable is unset is a configuration error (exit 2), found before any browser. */
    @Test
    void clientSecretVariableThatIsUnsetIsAConfigurationError() throws Exception {
        Files.writeString(home.resolve("config.toml"), """
                [mcp_servers.s]
                url = "%s"

                [mcp_servers.s.oauth]
                client_id = "pre-registered"
                client_secret_env_var = "TOOLHOST_IT_UNSET_SECRET"
                """.formatted(peer.mcp()));
        Run login = toolhost("mcp", "login", "s", "--no-browser", "--timeout", "5");
        assertEquals(2, login.exit(), login.all());
        assertTrue(
                login.err()
                        .contains("[mcp_servers.s.oauth] client_secret_env_var names TOOLHOST_IT_UNSET_SECRET, which "
                                + "is not set in the environment"),
                login.err());
        assertFalse(login.err().contains("To sign in, open this URL"), login.err());
        assertNoStackTrace(login);
    }

    @Test
    void redirectThatNeverComesTimesOut() throws Exception {
        config(peer.mcp());
        Run login = toolhost("mcp", "login", "s", "--no-browser", "--timeout", "2");
        assertEquals(1, login.exit(), login.all());
        assertTrue(
                login.err().contains("no sign-in redirect came back")
                        && login.err().contains("within 2 s"),
                login.err());
    }

    @Test
    void unreachableAuthorizationServerIsNamed() throws Exception {
        config(peer.deadAs());
        Run login = toolhost("mcp", "login", "s", "--no-browser", "--timeout", "5");
        assertEquals(1, login.exit(), login.all());
        assertTrue(
                login.err().contains("cannot reach the authorization server at http://127.0.0.1:")
                        && login.err().contains("/.well-known/oauth-authorization-server: Connection refused"),
                login.err());
        assertNoStackTrace(login);
    }

    @Test
    void corruptCredentialsFileIsNamed() throws Exception {
        config(peer.mcp());
        Files.writeString(home.resolve("mcp-credentials.json"), "{\"servers\": {\"s\": ");
        Run call = toolhost("call", "mcp__s__whoami");
        assertNotEquals(0, call.exit(), call.all());
        assertTrue(
                call.err().contains("the MCP credentials file " + home.resolve("mcp-credentials.json") + " is corrupt"),
                call.err());
        assertNoStackTrace(call);
        assertTrue(toolhost("mcp", "list", "--no-connect").out().contains("unreadable credentials file"));
    }

    // ---------------------------------------------------------------- helpers

    private void config(String url) throws IOException {
        Files.writeString(home.resolve("config.toml"), "[mcp_servers.s]\nurl = \"" + url + "\"\n");
    }

    private JsonNode storedTokens() throws IOException {
        return JsonMapper.shared()
                .readTree(Files.readString(home.resolve("mcp-credentials.json")))
                .get("servers")
                .get("s")
                .get("tokens");
    }

    /** What a hub in this JVM uses for server 's': the shared credentials file, nobody to sign in. */
    private ServerAuthorization hubAuthorization() throws IOException {
        McpServerConfig server = McpServerConfig.http("s", peer.mcp());
        return new ServerAuthorization(
                server, Map.of(), new CredentialStore(home.resolve("mcp-credentials.json")), null, null);
    }

    /** Waits until the stored access token has expired. */
    private void awaitExpiry() throws IOException {
        long expiresAt = storedTokens().get("expiresAt").asLong();
        Awaitility.await()
                .atMost(Duration.ofSeconds(TOKEN_TTL_SECONDS + 10))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> Instant.now().getEpochSecond() > expiresAt);
    }

    private Run toolhostUnchecked(String... args) {
        try {
            return toolhost(args);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertNoStackTrace(Run r) {
        assertFalse(r.err().contains("\tat ") || r.err().contains("Exception:"), r.err());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private ProcessBuilder builder(String... args) {
        ProcessBuilder pb = new ProcessBuilder(Peers.toolhost(args));
        pb.environment().put("TOOLHOST_HOME", home.toString());
        pb.environment().remove("BROWSER");
        pb.environment().remove("TOOLHOST_IT_UNSET_SECRET");
        pb.environment().remove(dev.toolhost.mcp.client.oauth.McpAuthorization.HEADLESS_APPROVAL_ENV);
        return pb;
    }

    private Run toolhost(String... args) throws Exception {
        Process p = builder(args)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "toolhost " + String.join(" ", args) + " did not finish");
        return new Run(p.exitValue(), out.get(), err.get());
    }

    interface BrowserAction {
        void act(Browser browser) throws Exception;
    }

    /** Runs {@code mcp login s --no-browser}, hands the printed authorization URL to {@code action}. */
    private Run login(BrowserAction action) throws Exception {
        Process p =
                builder("mcp", "login", "s", "--no-browser", "--timeout", "30").start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
        List<String> errLines = new ArrayList<>();
        String url = null;
        for (String line; url == null && (line = err.readLine()) != null; ) {
            errLines.add(line);
            Matcher m = AUTH_URL.matcher(line);
            if (m.find()) {
                url = m.group(1);
            }
        }
        assertNotNull(url, "no authorization URL printed: " + errLines);
        action.act(new Browser(URI.create(url)));
        String rest = read(p.getErrorStream());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "login did not finish");
        return new Run(p.exitValue(), out.get(), String.join("\n", errLines) + "\n" + rest);
    }

    private static String read(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** The person at the browser, with oidc-provider's development login and consent pages. */
    static final class Browser {
        private final URI authorizationUrl;
        private final HttpClient http = HttpClient.newBuilder()
                .cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();

        Browser(URI authorizationUrl) {
            this.authorizationUrl = authorizationUrl;
        }

        String param(String name) {
            for (String pair : authorizationUrl.getRawQuery().split("&")) {
                String[] kv = pair.split("=", 2);
                if (kv[0].equals(name)) {
                    return URLDecoder.decode(kv[1], StandardCharsets.UTF_8);
                }
            }
            throw new AssertionError("no " + name + " in " + authorizationUrl);
        }

        String state() {
            return param("state");
        }

        /** Signs in as {@code user}, consents, and follows the redirect to Toolhost's listener; its page. */
        HttpResponse<String> approve(String user) throws Exception {
            URI interaction = redirect(get(authorizationUrl));
            URI resume = redirect(post(interaction, "prompt=login&login=" + user + "&password=secret"));
            URI consent = redirect(get(resume));
            URI resume2 = redirect(post(consent, "prompt=consent"));
            URI callback = redirect(get(resume2));
            assertTrue(callback.toString().startsWith(param("redirect_uri")), callback.toString());
            return get(callback);
        }

        /** Aborts at the login page (the "cancel" link), then follows the error redirect; Toolhost's page. */
        HttpResponse<String> deny() throws Exception {
            URI interaction = redirect(get(authorizationUrl));
            URI resume = redirect(get(URI.create(interaction + "/abort")));
            return get(redirect(get(resume)));
        }

        /** Sends Toolhost's listener a redirect with {@code query} of our own making; its page. */
        HttpResponse<String> deliver(String query) throws Exception {
            return get(URI.create(param("redirect_uri") + (query.isEmpty() ? "" : "?" + query)));
        }

        private HttpResponse<String> get(URI uri) throws Exception {
            return http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
        }

        private HttpResponse<String> post(URI uri, String form) throws Exception {
            return http.send(
                    HttpRequest.newBuilder(uri)
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString(form))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        private static URI redirect(HttpResponse<String> r) {
            String location = r.headers()
                    .firstValue("Location")
                    .orElseThrow(() -> new AssertionError(
                            "HTTP " + r.statusCode() + " without Location from " + r.uri() + ": " + r.body()));
            return r.uri().resolve(location);
        }
    }
}
