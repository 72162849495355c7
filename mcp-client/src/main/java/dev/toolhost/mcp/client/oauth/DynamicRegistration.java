package dev.toolhost.mcp.client.oauth;

import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.client.ClientInformation;
import com.nimbusds.oauth2.sdk.client.ClientMetadata;
import com.nimbusds.oauth2.sdk.client.ClientRegistrationErrorResponse;
import com.nimbusds.oauth2.sdk.client.ClientRegistrationRequest;
import com.nimbusds.oauth2.sdk.client.ClientRegistrationResponse;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * OAuth 2.0 Dynamic Client Registration (RFC 7591), the last registration option in MCP's order: a public
 * native client ({@code application_type: native}, which 2026-07-28 requires) for the loopback redirect,
 * asking for the authorization-code and refresh-token grants. Built and parsed by Nimbus.
 */
final class DynamicRegistration {
    static final String CLIENT_NAME = "Toolhost";

    private DynamicRegistration() {}

    /** Registers at {@code as}; the client with the secret and auth method the server settled on. */
    static CredentialStore.Client register(AuthorizationServerMetadata as, String issuer, URI redirect) {
        ClientMetadata meta = new ClientMetadata();
        meta.setName(CLIENT_NAME);
        meta.setRedirectionURI(redirect);
        meta.setGrantTypes(new LinkedHashSet<>(List.of(GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN)));
        meta.setResponseTypes(Set.of(ResponseType.CODE));
        meta.setTokenEndpointAuthMethod(ClientAuthenticationMethod.NONE);
        meta.setCustomField("application_type", "native");
        HTTPResponse http = Discovery.send(
                new ClientRegistrationRequest(as.getRegistrationEndpointURI(), meta, null).toHTTPRequest(),
                "the registration endpoint");
        ClientRegistrationResponse response;
        try {
            response = ClientRegistrationResponse.parse(http);
        } catch (ParseException e) {
            throw new OAuthException("the authorization server " + issuer + " answered the client registration with "
                    + "something unreadable (HTTP " + http.getStatusCode() + "): " + e.getMessage());
        }
        if (!response.indicatesSuccess()) {
            ErrorObject error = ((ClientRegistrationErrorResponse) response).getErrorObject();
            throw new OAuthException("the authorization server " + issuer + " refused to register Toolhost: "
                    + error.getCode() + (error.getDescription() == null ? "" : " (" + error.getDescription() + ")"));
        }
        ClientInformation info = response.toSuccessResponse().getClientInformation();
        String secret = info.getSecret() == null ? null : info.getSecret().getValue();
        ClientAuthenticationMethod replied = info.getMetadata().getTokenEndpointAuthMethod();
        return new CredentialStore.Client(
                info.getID().getValue(),
                secret,
                TokenEndpoint.authMethod(as, secret, replied == null ? null : replied.getValue()),
                redirect.toString());
    }
}
