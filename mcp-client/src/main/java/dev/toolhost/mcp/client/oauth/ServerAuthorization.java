package dev.toolhost.mcp.client.oauth;

import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.oauth2.sdk.token.Tokens;
import com.nimbusds.oauth2.sdk.util.URLUtils;
import dev.toolhost.config.McpOAuthConfig;
import dev.toolhost.config.McpServerConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The client side of MCP authorization for one configured server (spec 2025-11-25 and 2026-07-28,
 * "Authorization"): discovery, client registration in the spec's order (configured client, Client ID
 * Metadata Document, dynamic registration), the authorization-code flow with PKCE S256, resource
 * indicators and RFC 9207 issuer checks, step-up on {@code insufficient_scope}, refresh, and the
 * client-credentials grant for headless use. Requests and responses are Nimbus's.
 *
 * <p>Thread-safe: the transport's request customizer and authorization-error handler call in from
 * several threads; everything that changes state is synchronized. Tokens and secrets are never put in
 * a message or log.
 */
public final class ServerAuthorization {
    /** Authorizations one process may start for a server before giving up (the spec's retry limit). */
    static final int MAX_AUTHORIZATIONS = 3;
    /** Refresh this long before the access token expires (at most a tenth of its lifetime). */
    static final Duration REFRESH_MARGIN = Duration.ofSeconds(30);

    static final Duration DEFAULT_REDIRECT_TIMEOUT = Duration.ofMinutes(5);

    private final String name;
    private final URI serverUrl;
    private final McpOAuthConfig oauth;
    private final Map<String, String> env;
    private final CredentialStore store;
    private final UserAgent userAgent;
    private final Duration redirectTimeout;
    private final Clock clock;
    private final Map<String, AuthorizationServerMetadata> metadata = new HashMap<>();

    private CredentialStore.Entry entry;
    private boolean loaded;
    private int authorizations;
    private List<String> requestedScopes = List.of();

    /**
     * @param userAgent who approves a sign-in when one is needed; null means nobody can (the hub): then a
     *                  needed sign-in fails with "run `toolhost mcp login NAME`"
     */
    public ServerAuthorization(
            McpServerConfig server,
            Map<String, String> env,
            CredentialStore store,
            UserAgent userAgent,
            Duration redirectTimeout) {
        this(server, env, store, userAgent, redirectTimeout, Clock.systemUTC());
    }

    ServerAuthorization(
            McpServerConfig server,
            Map<String, String> env,
            CredentialStore store,
            UserAgent userAgent,
            Duration redirectTimeout,
            Clock clock) {
        this.name = server.name();
        this.serverUrl = URI.create(server.url());
        this.oauth = server.oauth();
        this.env = env;
        this.store = store;
        this.userAgent = userAgent;
        this.redirectTimeout = redirectTimeout == null ? DEFAULT_REDIRECT_TIMEOUT : redirectTimeout;
        this.clock = clock;
    }

    /** What a finished sign-in got. */
    public record LoginResult(String issuer, List<String> scopes, Instant expiresAt, boolean refreshable) {}

    // ---------------------------------------------------------------- used by the transport

    /**
     * The access token to send, refreshed first when it expires within {@link #REFRESH_MARGIN}; null when
     * there is none (the request goes out without one, and the server's challenge starts discovery).
     */
    public synchronized String accessToken() {
        CredentialStore.Tokens t = tokens();
        if (t == null) {
            return null;
        }
        if (expiresSoon(t) && t.refreshToken() != null) {
            try {
                refresh(t);
                t = tokens();
            } catch (OAuthException e) {
                // the server's 401 will bring us back through recover(), which knows what to do next
            }
        }
        return t == null ? null : t.accessToken();
    }

    /** True when {@link #accessToken()} would first read the store or refresh (blocking I/O). */
    public synchronized boolean mayBlock() {
        if (!loaded) {
            return true;
        }
        CredentialStore.Tokens t = tokens();
        return t != null && t.refreshToken() != null && expiresSoon(t);
    }

    /**
     * Handles a 401 or 403 from the MCP server: refresh, step-up, a new sign-in (when a user agent is
     * there), or the client-credentials grant.
     *
     * @param sentToken the access token the refused request carried, or null
     * @return true when the request should be sent again (with {@link #accessToken()})
     * @throws OAuthException with a message for the user when nothing can be done
     */
    public synchronized boolean recover(int status, List<String> wwwAuthenticate, String sentToken) {
        Challenge challenge = Challenge.parse(status, wwwAuthenticate);
        if (status == 403 && !challenge.insufficientScope()) {
            return false;
        }
        loaded = false; // another Toolhost process may have signed in or refreshed meanwhile
        CredentialStore.Tokens current = tokens();
        if (status == 401 && current != null && !current.accessToken().equals(sentToken) && !expiresSoon(current)) {
            return true;
        }
        Discovery.ProtectedResource prm = Discovery.protectedResource(serverUrl, challenge.resourceMetadata());
        Discovery.checkResource(serverUrl, prm);
        String issuer = prm.authorizationServers().get(0);
        String refused = null;
        if (status == 401 && current != null && current.refreshToken() != null && issuer.equals(current.issuer())) {
            try {
                refresh(current);
                return true;
            } catch (OAuthException.TokenRefused r) {
                refused = "the authorization server " + issuer + " refused to refresh the stored sign-in: " + r.error();
                dropTokens(current.accessToken());
            } catch (OAuthException e) {
                // Not a refusal (the authorization server unreachable, a server error): the sign-in is still good.
                throw new OAuthException("cannot refresh the sign-in of MCP server '" + name + "': " + e.getMessage()
                        + "; the stored sign-in is kept and the next call tries again");
            }
        }
        List<String> scopes;
        if (challenge.insufficientScope()) {
            Set<String> union = new LinkedHashSet<>(requestedScopes);
            if (current != null) {
                union.addAll(current.scopes());
            }
            union.addAll(challenge.scopes());
            scopes = List.copyOf(union);
        } else {
            scopes = challenge.scopes();
        }
        if (oauth.grantType() == McpOAuthConfig.GrantType.CLIENT_CREDENTIALS) {
            countAuthorization();
            clientCredentials(prm, issuer, scopes);
            return true;
        }
        if (userAgent == null) {
            if (challenge.insufficientScope()) {
                throw new OAuthException.LoginRequired("MCP server '" + name + "' needs more access (scope '"
                        + String.join(" ", scopes) + "'): run `toolhost mcp login " + name + " --scopes "
                        + String.join(",", scopes) + "`");
            }
            throw new OAuthException.LoginRequired("MCP server '" + name + "' requires login: run `toolhost mcp login "
                    + name + "`"
                    + (current == null
                            ? ""
                            : " (" + (refused != null ? refused : "the stored sign-in is no longer accepted") + ")"));
        }
        countAuthorization();
        authorizationCode(prm, issuer, scopes, List.of());
        return true;
    }

    // ---------------------------------------------------------------- used by `toolhost mcp login`

    /**
     * Signs in from scratch: asks the server for its challenge, then runs the authorization-code flow (or
     * the client-credentials grant when configured) and stores the result.
     *
     * @param scopes scopes to request instead of what the server and config suggest; empty for the default
     * @return null when the server answers without asking for authorization
     */
    public synchronized LoginResult login(List<String> scopes) {
        Challenge challenge = probe();
        if (challenge == null) {
            return null;
        }
        Discovery.ProtectedResource prm = Discovery.protectedResource(serverUrl, challenge.resourceMetadata());
        Discovery.checkResource(serverUrl, prm);
        String issuer = prm.authorizationServers().get(0);
        List<String> wanted = scopes.isEmpty() ? challenge.scopes() : scopes;
        if (oauth.grantType() == McpOAuthConfig.GrantType.CLIENT_CREDENTIALS) {
            clientCredentials(prm, issuer, wanted);
        } else {
            if (userAgent == null) {
                throw new IllegalStateException("login needs a user agent");
            }
            authorizationCode(prm, issuer, wanted, scopes);
        }
        CredentialStore.Tokens t = tokens();
        return new LoginResult(
                t.issuer(),
                t.scopes(),
                t.expiresAt() == null ? null : Instant.ofEpochSecond(t.expiresAt()),
                t.refreshToken() != null);
    }

    /** Sends the MCP initialize request without a token; the challenge, or null when none came. */
    private Challenge probe() {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        String body = "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                + "\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"toolhost\",\"version\":\"login\"}}}";
        try {
            HttpResponse<Void> r = http.send(
                    HttpRequest.newBuilder(serverUrl)
                            .timeout(Duration.ofSeconds(20))
                            .header("Content-Type", "application/json")
                            .header("Accept", "application/json, text/event-stream")
                            .header("MCP-Protocol-Version", "2025-11-25")
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() == 401 || r.statusCode() == 403) {
                return Challenge.parse(r.statusCode(), r.headers().allValues("WWW-Authenticate"));
            }
            if (r.statusCode() / 100 == 2) {
                return null;
            }
            throw new OAuthException(
                    "MCP server '" + name + "' answered HTTP " + r.statusCode() + " at " + Discovery.shown(serverUrl));
        } catch (IOException e) {
            throw new OAuthException(
                    "cannot reach MCP server '" + name + "' at " + Discovery.shown(serverUrl) + ": "
                            + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()),
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OAuthException("interrupted");
        }
    }

    // ---------------------------------------------------------------- the authorization-code flow

    private void authorizationCode(
            Discovery.ProtectedResource prm, String issuer, List<String> challengeScopes, List<String> explicitScopes) {
        AuthorizationServerMetadata as = metadata(issuer);
        URI resource = URI.create(prm.resource());
        CredentialStore.Client stored =
                entry() == null ? null : entry().clients().get(issuer);
        int preferredPort = oauth.callbackPort() != null
                ? oauth.callbackPort()
                : stored != null && stored.redirectUri() != null
                        ? URI.create(stored.redirectUri()).getPort()
                        : 0;
        try (LoopbackReceiver<CredentialStore.Entry> receiver = oauth.callbackPort() != null
                ? LoopbackReceiver.open(oauth.callbackPort())
                : LoopbackReceiver.openPreferring(preferredPort)) {
            URI redirect = receiver.redirectUri();
            ChosenClient chosen = client(as, issuer, redirect);
            CredentialStore.Client client = chosen.use();
            List<String> scopes = chooseScopes(as, prm, challengeScopes, explicitScopes);
            CodeVerifier verifier = new CodeVerifier();
            State state = new State();
            AuthorizationRequest.Builder request = new AuthorizationRequest.Builder(
                            ResponseType.CODE, new ClientID(client.clientId()))
                    .endpointURI(as.getAuthorizationEndpointURI())
                    .redirectionURI(redirect)
                    .state(state)
                    .codeChallenge(verifier, CodeChallengeMethod.S256)
                    .resource(resource);
            if (!scopes.isEmpty()) {
                request.scope(new Scope(scopes.toArray(String[]::new)));
            }
            if (scopes.contains("offline_access")) {
                request.customParameter("prompt", "consent");
            }
            requestedScopes = scopes;
            // The code is exchanged on the listener's thread, so that the browser's page tells the outcome. The
            // client is stored only together with the tokens it got: a login that does not finish leaves the
            // stored sign-in (its client and tokens) as it was.
            receiver.expect(state, callback -> {
                AuthorizationCode code = checkCallback(callback, as, issuer);
                Tokens tokens = TokenEndpoint.send(
                        TokenEndpoint.request(
                                as.getTokenEndpointURI(),
                                client,
                                new AuthorizationCodeGrant(code, redirect, verifier),
                                resource,
                                null),
                        issuer);
                CredentialStore.Tokens t = stored(issuer, as.getTokenEndpointURI(), resource, scopes, tokens, null);
                return store.update(
                        name,
                        serverUrl.toString(),
                        e -> e.withClient(issuer, chosen.recorded()).withTokens(t));
            });
            userAgent.open(request.build().toURI(), redirect);
            entry = receiver.await(redirectTimeout);
            loaded = true;
        }
    }

    /**
     * This sign-in's response (the receiver has matched its state): RFC 9207 first (a mixed-up response is
     * ignored whole, errors included), then the result.
     */
    private AuthorizationCode checkCallback(URI callback, AuthorizationServerMetadata as, String issuer) {
        Map<String, List<String>> params = URLUtils.parseParameters(callback.getRawQuery());
        String iss = first(params, "iss");
        if ("".equals(iss)) {
            throw new OAuthException("the sign-in response carries no iss (its 'iss' parameter is empty), so it "
                    + "cannot be shown to come from " + issuer + " (RFC 9207); nothing was sent");
        }
        if (iss != null && !iss.equals(issuer)) {
            throw new OAuthException("the sign-in response names issuer '" + iss + "', not '" + issuer
                    + "' (RFC 9207): it did not come from the expected authorization server; nothing was sent");
        }
        if (iss == null && as.supportsAuthorizationResponseIssuerParam()) {
            throw new OAuthException("the sign-in response has no 'iss' although " + issuer + " promises one "
                    + "(authorization_response_iss_parameter_supported, RFC 9207); nothing was sent");
        }
        AuthorizationResponse response;
        try {
            response = AuthorizationResponse.parse(callback);
        } catch (ParseException e) {
            throw new OAuthException("the sign-in response is invalid: " + e.getMessage());
        }
        if (!response.indicatesSuccess()) {
            ErrorObject error = response.toErrorResponse().getErrorObject();
            String code = error.getCode() == null ? "error" : error.getCode();
            throw new OAuthException(("access_denied".equals(code)
                            ? "sign-in was denied at " + issuer
                            : "the authorization server " + issuer + " refused the sign-in")
                    + " (" + code
                    + (error.getDescription() == null ? "" : ": " + error.getDescription()) + ")");
        }
        return response.toSuccessResponse().getAuthorizationCode();
    }

    /**
     * Scope selection ("Scope Selection Strategy"): explicit, else the challenge, else the config, else the
     * resource's {@code scopes_supported}, else none; plus {@code offline_access} when the authorization
     * server offers it.
     */
    private List<String> chooseScopes(
            AuthorizationServerMetadata as,
            Discovery.ProtectedResource prm,
            List<String> challengeScopes,
            List<String> explicitScopes) {
        List<String> scopes = !explicitScopes.isEmpty()
                ? explicitScopes
                : !challengeScopes.isEmpty()
                        ? challengeScopes
                        : !oauth.scopes().isEmpty() ? oauth.scopes() : prm.scopesSupported();
        List<String> out = new ArrayList<>(scopes);
        if (!out.isEmpty()
                && !out.contains("offline_access")
                && as.getScopes() != null
                && as.getScopes().contains("offline_access")) {
            out.add("offline_access");
        }
        return out;
    }

    // ---------------------------------------------------------------- client registration

    /**
     * The client a sign-in uses, and what is stored of it together with the tokens it gets (a configured
     * client's secret stays in the environment).
     */
    private record ChosenClient(CredentialStore.Client use, CredentialStore.Client recorded) {
        ChosenClient(CredentialStore.Client client) {
            this(client, client);
        }
    }

    /**
     * Registration order (MCP "Client Registration"): configured client, metadata document, stored, dynamic.
     * Nothing is stored here: see {@link #authorizationCode}.
     */
    private ChosenClient client(AuthorizationServerMetadata as, String issuer, URI redirect) {
        if (oauth.clientId() != null) {
            return configuredClient(as, issuer, redirect);
        }
        if (oauth.clientMetadataUrl() != null
                && Boolean.TRUE.equals(as.getCustomParameter("client_id_metadata_document_supported"))) {
            return new ChosenClient(
                    new CredentialStore.Client(oauth.clientMetadataUrl(), null, "none", redirect.toString()));
        }
        CredentialStore.Client stored =
                entry() == null ? null : entry().clients().get(issuer);
        if (stored != null && redirect.toString().equals(stored.redirectUri())) {
            return new ChosenClient(stored);
        }
        if (as.getRegistrationEndpointURI() == null) {
            throw new OAuthException("the authorization server " + issuer + " offers no way for Toolhost to register "
                    + "(no registration_endpoint and no Client ID Metadata Document support): set "
                    + "[mcp_servers." + name + ".oauth] client_id (and client_secret_env_var) to a client registered "
                    + "there" + (oauth.clientMetadataUrl() == null ? ", or client_metadata_url" : ""));
        }
        return new ChosenClient(DynamicRegistration.register(as, issuer, redirect));
    }

    /**
     * The pre-registered client. It belongs to the first authorization server it was used with (recorded,
     * without its secret, which stays in the environment); when the server later names another one, the
     * client id is not sent there.
     */
    private ChosenClient configuredClient(AuthorizationServerMetadata as, String issuer, URI redirect) {
        String boundTo = entry() == null
                ? null
                : entry().clients().entrySet().stream()
                        .filter(e -> e.getValue().clientId().equals(oauth.clientId())
                                && !e.getKey().equals(issuer))
                        .map(Map.Entry::getKey)
                        .findFirst()
                        .orElse(null);
        if (boundTo != null) {
            throw new OAuthException("MCP server '" + name + "' now names the authorization server " + issuer
                    + ", but the configured client_id '" + oauth.clientId() + "' was registered at " + boundTo
                    + "; set [mcp_servers." + name + ".oauth] client_id to a client registered at " + issuer
                    + " (then run `toolhost mcp logout " + name + "` and log in again)");
        }
        String secret = configuredSecret();
        String method = TokenEndpoint.authMethod(as, secret, null);
        return new ChosenClient(
                new CredentialStore.Client(oauth.clientId(), secret, method, redirect.toString()),
                new CredentialStore.Client(oauth.clientId(), null, method, redirect.toString()));
    }

    private String configuredSecret() {
        if (oauth.clientSecretEnvVar() == null) {
            return null;
        }
        String secret = env.get(oauth.clientSecretEnvVar());
        if (secret == null || secret.isEmpty()) {
            throw new OAuthException.Misconfigured("[mcp_servers." + name + ".oauth] client_secret_env_var names "
                    + oauth.clientSecretEnvVar() + ", which is not set in the environment");
        }
        return secret;
    }

    // ---------------------------------------------------------------- tokens

    private void saveTokens(
            String issuer,
            URI tokenEndpoint,
            URI resource,
            List<String> requested,
            Tokens tokens,
            String previousRefresh) {
        CredentialStore.Tokens t = stored(issuer, tokenEndpoint, resource, requested, tokens, previousRefresh);
        entry = store.update(name, serverUrl.toString(), e -> e.withTokens(t));
        loaded = true;
    }

    /** The token response as stored; a response without a refresh token keeps {@code previousRefresh}. */
    private CredentialStore.Tokens stored(
            String issuer,
            URI tokenEndpoint,
            URI resource,
            List<String> requested,
            Tokens tokens,
            String previousRefresh) {
        AccessToken at = tokens.getAccessToken();
        RefreshToken rt = tokens.getRefreshToken();
        long now = clock.instant().getEpochSecond();
        Long expiresAt = at.getLifetime() > 0 ? now + at.getLifetime() : null;
        List<String> granted = at.getScope() != null ? at.getScope().toStringList() : requested;
        return new CredentialStore.Tokens(
                issuer,
                at.getValue(),
                rt != null ? rt.getValue() : previousRefresh,
                now,
                expiresAt,
                granted,
                tokenEndpoint.toString(),
                resource == null ? null : resource.toString());
    }

    /**
     * Refresh (RFC 6749 section 6) of {@code expired} with the client that got it; a rotated refresh token
     * replaces the old. Other Toolhost processes share the credentials file and refresh the same sign-in: an
     * authorization server that rotates refresh tokens revokes the whole grant when a used one comes back. So
     * the refresh happens under the file lock, from the stored tokens: when their access token is no longer
     * the one found expired, another process has refreshed, and its tokens are taken without a request. The
     * lock is held across the token request only (bounded by the HTTP timeouts; nobody is asked anything).
     */
    private void refresh(CredentialStore.Tokens expired) {
        entry = store.update(name, serverUrl.toString(), current -> {
            CredentialStore.Tokens t = current.tokens();
            if (t == null) {
                throw new OAuthException("the sign-in of MCP server '" + name + "' was removed meanwhile");
            }
            if (!t.accessToken().equals(expired.accessToken()) || t.refreshToken() == null) {
                return current;
            }
            CredentialStore.Client client = current.clients().get(t.issuer());
            if (client == null) {
                throw new OAuthException("no client stored for " + t.issuer());
            }
            if (client.clientId().equals(oauth.clientId()) && client.clientSecret() == null) {
                client = new CredentialStore.Client(
                        client.clientId(), configuredSecret(), client.tokenEndpointAuthMethod(), client.redirectUri());
            }
            URI endpoint = URI.create(t.tokenEndpoint());
            URI resource = t.resource() == null ? null : URI.create(t.resource());
            Tokens fresh = TokenEndpoint.send(
                    TokenEndpoint.request(
                            endpoint,
                            client,
                            new RefreshTokenGrant(new RefreshToken(t.refreshToken())),
                            resource,
                            null),
                    t.issuer());
            return current.withTokens(stored(t.issuer(), endpoint, resource, t.scopes(), fresh, t.refreshToken()));
        });
        loaded = true;
    }

    // ---------------------------------------------------------------- client credentials

    /** The client-credentials grant (OAuth 2.1 section 4.2, MCP extension SEP-1046): secret or signed JWT. */
    private void clientCredentials(Discovery.ProtectedResource prm, String issuer, List<String> challengeScopes) {
        AuthorizationServerMetadata as = metadata(issuer);
        URI resource = URI.create(prm.resource());
        List<String> scopes = !challengeScopes.isEmpty()
                ? challengeScopes
                : !oauth.scopes().isEmpty() ? oauth.scopes() : prm.scopesSupported();
        ClientID id = new ClientID(oauth.clientId());
        ClientAuthentication auth;
        if (oauth.privateKeyFile() != null) {
            auth = TokenEndpoint.privateKeyJwt(
                    id,
                    issuer,
                    Path.of(oauth.privateKeyFile()),
                    oauth.signingAlgorithm(),
                    "[mcp_servers." + name + ".oauth] private_key_file");
        } else {
            String secret = configuredSecret();
            auth = "client_secret_post".equals(TokenEndpoint.authMethod(as, secret, null))
                    ? new ClientSecretPost(id, new Secret(secret))
                    : new ClientSecretBasic(id, new Secret(secret));
        }
        TokenRequest.Builder b = new TokenRequest.Builder(as.getTokenEndpointURI(), auth, new ClientCredentialsGrant())
                .resource(resource);
        if (!scopes.isEmpty()) {
            b.scope(new Scope(scopes.toArray(String[]::new)));
        }
        requestedScopes = scopes;
        Tokens tokens = TokenEndpoint.send(b.build(), issuer);
        saveTokens(issuer, as.getTokenEndpointURI(), resource, scopes, tokens, null);
    }

    // ---------------------------------------------------------------- state

    private AuthorizationServerMetadata metadata(String issuer) {
        return metadata.computeIfAbsent(issuer, Discovery::authorizationServer);
    }

    private void countAuthorization() {
        if (++authorizations > MAX_AUTHORIZATIONS) {
            throw new OAuthException("MCP server '" + name + "' still refuses access after " + MAX_AUTHORIZATIONS
                    + " authorizations; giving up (the granted scopes may never satisfy it)");
        }
    }

    private CredentialStore.Entry entry() {
        if (!loaded) {
            entry = store.load(name, serverUrl.toString()).orElse(null);
            loaded = true;
        }
        return entry;
    }

    private CredentialStore.Tokens tokens() {
        CredentialStore.Entry e = entry();
        return e == null ? null : e.tokens();
    }

    /** Forgets the stored tokens when they are still {@code accessToken}'s (not another process's newer ones). */
    private void dropTokens(String accessToken) {
        if (entry() != null) {
            entry = store.update(
                    name,
                    serverUrl.toString(),
                    e -> e.tokens() != null && e.tokens().accessToken().equals(accessToken) ? e.withTokens(null) : e);
        }
    }

    private boolean expiresSoon(CredentialStore.Tokens t) {
        if (t.expiresAt() == null) {
            return false;
        }
        long margin = Math.min(REFRESH_MARGIN.toSeconds(), Math.max(0, t.expiresAt() - t.obtainedAt()) / 10);
        return clock.instant().getEpochSecond() + margin >= t.expiresAt();
    }

    private static String first(Map<String, List<String>> params, String key) {
        List<String> v = params.get(key);
        return v == null || v.isEmpty() ? null : v.get(0);
    }
}
