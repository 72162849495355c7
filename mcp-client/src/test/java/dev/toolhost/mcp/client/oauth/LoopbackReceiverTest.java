package dev.toolhost.mcp.client.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.id.State;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The loopback redirect listener, with real HTTP requests to it. */
class LoopbackReceiverTest {
    private static final String STRAY = "This is not the sign-in response Toolhost is waiting for";

    private final HttpClient http = HttpClient.newHttpClient();
    private final State state = new State("the-state");
    private final AtomicInteger checks = new AtomicInteger();
    private LoopbackReceiver<AuthorizationCode> receiver;

    @BeforeEach
    void open() {
        receiver = LoopbackReceiver.open(0);
        receiver.expect(state, callback -> {
            checks.incrementAndGet();
            if (callback.getRawQuery().contains("code=refused")) {
                throw new OAuthException("the authorization server https://as.example refused the token request: "
                        + "invalid_grant (grant request is invalid)");
            }
            if (callback.getRawQuery().contains("error=")) {
                throw new OAuthException("sign-in was denied at https://as.example (access_denied)");
            }
            return new AuthorizationCode("the-code");
        });
    }

    @AfterEach
    void close() {
        receiver.close();
    }

    private HttpResponse<String> get(String query) throws Exception {
        URI uri = URI.create(receiver.redirectUri() + query);
        return http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void requestsThatAreNotThisSignInsResponseGet400AndTheWaitGoesOn() throws Exception {
        for (String stray : new String[] {
            "", "?foo=bar", "?state=the-state", "?code=c&state=other", "?code=c", "?error=access_denied&state=other"
        }) {
            HttpResponse<String> r = get(stray);
            assertEquals(400, r.statusCode(), stray);
            assertTrue(r.body().startsWith(STRAY), r.body());
        }
        HttpResponse<String> r = get("?code=c&state=the-state");
        assertEquals(200, r.statusCode());
        assertTrue(r.body().startsWith("Signed in:"), r.body());
        assertEquals("the-code", receiver.await(Duration.ofSeconds(5)).getValue());
        HttpResponse<String> again = get("?code=c&state=the-state");
        assertTrue(again.body().startsWith("This sign-in was already answered"), again.body());
    }

    @Test
    void aFailedSignInIsToldToTheBrowserAndTheLogin() throws Exception {
        HttpResponse<String> r = get("?error=access_denied&state=the-state");
        assertEquals(400, r.statusCode());
        assertEquals(
                "The sign-in failed: sign-in was denied at https://as.example (access_denied).\n"
                        + "You can close this window.\n",
                r.body());
        assertEquals(
                "text/plain; charset=utf-8",
                r.headers().firstValue("Content-Type").orElse(""));
        OAuthException e = assertThrows(OAuthException.class, () -> receiver.await(Duration.ofSeconds(5)));
        assertEquals("sign-in was denied at https://as.example (access_denied)", e.getMessage());
    }

    /** The page is answered with the check's outcome, which includes the token request. */
    @Test
    void aCheckThatFailsAfterTheCodeCameFailsThePage() throws Exception {
        HttpResponse<String> r = get("?code=refused&state=the-state");
        assertEquals(400, r.statusCode());
        assertEquals(
                "The sign-in failed: the authorization server https://as.example refused the token request: "
                        + "invalid_grant (grant request is invalid).\nYou can close this window.\n",
                r.body());
        OAuthException e = assertThrows(OAuthException.class, () -> receiver.await(Duration.ofSeconds(5)));
        assertTrue(e.getMessage().endsWith("invalid_grant (grant request is invalid)"), e.getMessage());
    }

    /** Once the login gave up waiting, a late response is not checked (no sign-in finishes after a timeout). */
    @Test
    void aResponseAfterTheWaitEndedIsNotChecked() throws Exception {
        OAuthException e = assertThrows(OAuthException.class, () -> receiver.await(Duration.ofMillis(1)));
        assertTrue(e.getMessage().startsWith("no sign-in redirect came back"), e.getMessage());
        HttpResponse<String> late = get("?code=c&state=the-state");
        assertEquals(200, late.statusCode());
        assertTrue(late.body().startsWith("This sign-in was already answered"), late.body());
        assertEquals(0, checks.get());
    }
}
