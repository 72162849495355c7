package dev.toolhost.mcp.client.oauth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.JWTAuthenticationClaimsSet;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.Tokens;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;

/**
 * Token requests (RFC 6749 section 3.2, resource indicators per RFC 8707) and the client authentication
 * they carry: {@code client_secret_basic}, {@code client_secret_post}, {@code none}, or a
 * {@code private_key_jwt} assertion (RFC 7523). Built and parsed by Nimbus.
 */
final class TokenEndpoint {
    private TokenEndpoint() {}

    /**
     * Token-endpoint authentication: the method registration settled on when the server allows it; else
     * with a secret {@code client_secret_basic} (the RFC 8414 default), then {@code client_secret_post};
     * without one {@code none}.
     */
    static String authMethod(AuthorizationServerMetadata as, String secret, String registered) {
        List<ClientAuthenticationMethod> allowed = as.getTokenEndpointAuthMethods();
        if (registered != null && (allowed == null || allowed.contains(new ClientAuthenticationMethod(registered)))) {
            return registered;
        }
        if (secret == null) {
            return "none";
        }
        if (allowed == null || allowed.contains(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)) {
            return "client_secret_basic";
        }
        return allowed.contains(ClientAuthenticationMethod.CLIENT_SECRET_POST)
                ? "client_secret_post"
                : "client_secret_basic";
    }

    /** A token request for {@code grant}, authenticated as {@code client}; resource and scopes when given. */
    static TokenRequest request(
            URI endpoint, CredentialStore.Client client, AuthorizationGrant grant, URI resource, List<String> scopes) {
        ClientID id = new ClientID(client.clientId());
        TokenRequest.Builder b = switch (client.tokenEndpointAuthMethod() == null
                ? "none"
                : client.tokenEndpointAuthMethod()) {
            case "client_secret_basic" ->
                new TokenRequest.Builder(endpoint, new ClientSecretBasic(id, new Secret(client.clientSecret())), grant);
            case "client_secret_post" ->
                new TokenRequest.Builder(endpoint, new ClientSecretPost(id, new Secret(client.clientSecret())), grant);
            default -> new TokenRequest.Builder(endpoint, id, grant);
        };
        if (resource != null) {
            b.resource(resource);
        }
        if (scopes != null && !scopes.isEmpty()) {
            b.scope(new Scope(scopes.toArray(String[]::new)));
        }
        return b.build();
    }

    /** Sends {@code request}; the tokens, or an error naming what the authorization server said. */
    static Tokens send(TokenRequest request, String issuer) {
        HTTPRequest req = request.toHTTPRequest();
        // Without it some servers (oidc-provider) answer an error as an HTML page, which hides its error code.
        req.setAccept("application/json");
        HTTPResponse http = Discovery.send(req, "the token endpoint");
        TokenResponse response;
        try {
            response = TokenResponse.parse(http);
        } catch (ParseException e) {
            throw new OAuthException("the token endpoint of " + issuer + " answered with something unreadable (HTTP "
                    + http.getStatusCode() + "): " + e.getMessage());
        }
        if (!response.indicatesSuccess()) {
            ErrorObject error = response.toErrorResponse().getErrorObject();
            String what = (error.getCode() == null ? "HTTP " + http.getStatusCode() : error.getCode())
                    + (error.getDescription() == null ? "" : " (" + error.getDescription() + ")");
            throw new OAuthException.TokenRefused(
                    "the authorization server " + issuer + " refused the token request: " + what, what);
        }
        return response.toSuccessResponse().getTokens();
    }

    /**
     * A {@code private_key_jwt} client assertion with audience = the issuer, signed with the PKCS #8 PEM key
     * in {@code file} ({@code what} names the config key in errors).
     *
     * @param algorithm a JWS algorithm name, or null for ES256 (EC keys) / RS256 (RSA keys)
     */
    static PrivateKeyJWT privateKeyJwt(ClientID id, String issuer, Path file, String algorithm, String what) {
        PrivateKey key;
        try {
            String pem = Files.readString(file);
            String base64 =
                    pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
            PKCS8EncodedKeySpec spec =
                    new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64));
            key = tryKey("EC", spec);
            if (key == null) {
                key = tryKey("RSA", spec);
            }
            if (key == null) {
                throw new OAuthException.Misconfigured(what + " " + file + " holds no PKCS #8 EC or RSA private key");
            }
        } catch (IOException e) {
            throw new OAuthException.Misconfigured("cannot read " + what + " " + file + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new OAuthException.Misconfigured(what + " " + file + " is not a PEM (PKCS #8) private key");
        }
        JWSAlgorithm alg = algorithm != null
                ? JWSAlgorithm.parse(algorithm)
                : key instanceof ECPrivateKey ? JWSAlgorithm.ES256 : JWSAlgorithm.RS256;
        try {
            return new PrivateKeyJWT(new JWTAuthenticationClaimsSet(id, new Audience(issuer)), alg, key, null, null);
        } catch (JOSEException e) {
            throw new OAuthException("cannot sign the client assertion with " + alg + ": " + e.getMessage(), e);
        }
    }

    private static PrivateKey tryKey(String algorithm, PKCS8EncodedKeySpec spec) {
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(spec);
        } catch (GeneralSecurityException e) {
            return null;
        }
    }
}
