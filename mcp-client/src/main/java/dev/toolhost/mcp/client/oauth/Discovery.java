package dev.toolhost.mcp.client.oauth;

import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.util.JSONObjectUtils;
import dev.toolhost.config.Redact;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import net.minidev.json.JSONObject;

/**
 * Finds the authorization server of an MCP server: protected-resource metadata (RFC 9728) from the
 * challenge's {@code resource_metadata}, else the path-aware then the root well-known URL; then the
 * authorization-server metadata (RFC 8414 and OpenID Connect Discovery, path-insertion and path-appended
 * variants, MCP authorization "Authorization Server Metadata Discovery"). Metadata parsing is Nimbus's.
 */
final class Discovery {
    static final int TIMEOUT_MS = 10_000;

    /** RFC 9728 protected-resource metadata: the fields MCP uses. */
    record ProtectedResource(
            URI url, String resource, List<String> authorizationServers, List<String> scopesSupported) {}

    private Discovery() {}

    static ProtectedResource protectedResource(URI serverUrl, URI fromChallenge) {
        List<URI> candidates = new ArrayList<>();
        if (fromChallenge != null) {
            candidates.add(fromChallenge);
        } else {
            String origin = origin(serverUrl);
            String path = serverUrl.getRawPath() == null ? "" : serverUrl.getRawPath();
            if (!path.isEmpty() && !path.equals("/")) {
                candidates.add(URI.create(origin + "/.well-known/oauth-protected-resource" + stripSlash(path)));
            }
            candidates.add(URI.create(origin + "/.well-known/oauth-protected-resource"));
        }
        for (URI url : candidates) {
            HTTPResponse r = get(url, "the protected-resource metadata of the MCP server");
            if (r.getStatusCode() >= 400 && r.getStatusCode() < 500 && url != candidates.get(candidates.size() - 1)) {
                continue;
            }
            if (r.getStatusCode() != 200 && fromChallenge == null) {
                throw new OAuthException(
                        shown(serverUrl) + " refused the request (HTTP 401/403) but publishes no OAuth "
                                + "protected-resource metadata (tried "
                                + candidates.stream().map(Discovery::shown).toList()
                                + "); if it wants a fixed token, set "
                                + "bearer_token_env_var or http_headers");
            }
            if (r.getStatusCode() != 200) {
                throw new OAuthException("no protected-resource metadata for " + shown(serverUrl) + ": GET "
                        + shown(url) + " answered HTTP " + r.getStatusCode());
            }
            try {
                JSONObject o = JSONObjectUtils.parse(r.getBody());
                String resource = JSONObjectUtils.getString(o, "resource", null);
                List<String> servers = JSONObjectUtils.getStringList(o, "authorization_servers", List.of());
                List<String> scopes = JSONObjectUtils.getStringList(o, "scopes_supported", List.of());
                if (resource == null) {
                    throw new OAuthException("the protected-resource metadata at " + shown(url) + " has no 'resource'");
                }
                if (servers.isEmpty()) {
                    throw new OAuthException("the protected-resource metadata at " + shown(url)
                            + " names no authorization server ('authorization_servers')");
                }
                return new ProtectedResource(url, resource, servers, scopes);
            } catch (ParseException e) {
                throw new OAuthException("the protected-resource metadata at " + shown(url)
                        + " is not valid JSON metadata: " + e.getMessage());
            }
        }
        throw new IllegalStateException("unreachable");
    }

    /**
     * RFC 9728 section 3.3 / MCP "Canonical Server URI": the metadata's {@code resource} must name this
     * server: same scheme, host and port, and the server's path at or under the resource's path.
     */
    static void checkResource(URI serverUrl, ProtectedResource prm) {
        URI resource;
        try {
            resource = URI.create(prm.resource());
        } catch (IllegalArgumentException e) {
            throw new OAuthException(
                    "the protected-resource metadata names resource '" + prm.resource() + "', which is not a URL");
        }
        String want = stripSlash(resource.getRawPath() == null ? "" : resource.getRawPath());
        String have = stripSlash(serverUrl.getRawPath() == null ? "" : serverUrl.getRawPath());
        boolean pathOk = want.isEmpty() || have.equals(want) || have.startsWith(want + "/");
        if (!origin(resource).equalsIgnoreCase(origin(serverUrl)) || !pathOk) {
            throw new OAuthException("the protected-resource metadata at " + shown(prm.url()) + " is for '"
                    + prm.resource() + "', not for " + shown(serverUrl)
                    + "; refusing to sign in (a server may only claim its own resource)");
        }
    }

    /** The issuer's metadata, from the first well-known URL that answers; its {@code issuer} must match. */
    static AuthorizationServerMetadata authorizationServer(String issuer) {
        URI issuerUrl;
        try {
            issuerUrl = URI.create(issuer);
        } catch (IllegalArgumentException e) {
            throw new OAuthException("the authorization server '" + issuer + "' is not a URL");
        }
        checkEndpointScheme(issuerUrl, "authorization server");
        String origin = origin(issuerUrl);
        String path = stripSlash(issuerUrl.getRawPath() == null ? "" : issuerUrl.getRawPath());
        List<URI> candidates = path.isEmpty()
                ? List.of(
                        URI.create(origin + "/.well-known/oauth-authorization-server"),
                        URI.create(origin + "/.well-known/openid-configuration"))
                : List.of(
                        URI.create(origin + "/.well-known/oauth-authorization-server" + path),
                        URI.create(origin + "/.well-known/openid-configuration" + path),
                        URI.create(origin + path + "/.well-known/openid-configuration"));
        for (URI url : candidates) {
            HTTPResponse r = get(url, "the authorization server");
            int status = r.getStatusCode();
            if ((status >= 400 && status < 500) || status == 502) {
                continue;
            }
            if (status != 200) {
                throw new OAuthException(
                        "the authorization server " + issuer + " failed: GET " + url + " answered HTTP " + status);
            }
            AuthorizationServerMetadata m;
            try {
                m = AuthorizationServerMetadata.parse(r.getBody());
            } catch (ParseException e) {
                throw new OAuthException(
                        "the authorization server metadata at " + url + " is invalid: " + e.getMessage());
            }
            // RFC 8414 section 3.3: a document for another issuer must not be used at all.
            if (!issuer.equals(m.getIssuer().getValue())) {
                throw new OAuthException("the authorization server metadata at " + url + " is for issuer '"
                        + m.getIssuer().getValue() + "', not '" + issuer + "'; refusing to use it");
            }
            if (m.getCodeChallengeMethods() == null
                    || !m.getCodeChallengeMethods().contains(CodeChallengeMethod.S256)) {
                throw new OAuthException("the authorization server " + issuer + " does not support PKCE with S256 "
                        + "(code_challenge_methods_supported), which MCP requires");
            }
            for (URI endpoint :
                    new URI[] {m.getAuthorizationEndpointURI(), m.getTokenEndpointURI(), m.getRegistrationEndpointURI()
                    }) {
                if (endpoint != null) {
                    checkEndpointScheme(endpoint, "authorization server endpoint");
                }
            }
            return m;
        }
        throw new OAuthException("no metadata for the authorization server " + issuer + " (tried " + candidates + ")");
    }

    /** Authorization-server endpoints must be https; plain http is allowed on loopback hosts only. */
    static void checkEndpointScheme(URI url, String what) {
        if ("https".equalsIgnoreCase(url.getScheme())) {
            return;
        }
        String host = url.getHost() == null ? "" : url.getHost();
        boolean loopback =
                host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]") || host.equals("::1");
        if (!("http".equalsIgnoreCase(url.getScheme()) && loopback)) {
            throw new OAuthException("the " + what + " " + url + " is not an https URL");
        }
    }

    static HTTPResponse get(URI url, String what) {
        HTTPRequest req = new HTTPRequest(HTTPRequest.Method.GET, url);
        req.setAccept("application/json");
        req.setHeader("MCP-Protocol-Version", "2025-11-25");
        return send(req, what);
    }

    static HTTPResponse send(HTTPRequest req, String what) {
        req.setConnectTimeout(TIMEOUT_MS);
        req.setReadTimeout(TIMEOUT_MS);
        req.setFollowRedirects(false);
        try {
            return req.send();
        } catch (IOException e) {
            throw new OAuthException(
                    "cannot reach " + what + " at "
                            + Redact.url(origin(req.getURI()) + req.getURI().getRawPath()) + ": "
                            + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()),
                    e);
        }
    }

    /** {@code url} as a message shows it: the server's URL may hold a password or a token ({@link Redact#url}). */
    static String shown(URI url) {
        return Redact.url(url.toString());
    }

    static String origin(URI u) {
        return u.getScheme() + "://" + u.getRawAuthority();
    }

    private static String stripSlash(String path) {
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
