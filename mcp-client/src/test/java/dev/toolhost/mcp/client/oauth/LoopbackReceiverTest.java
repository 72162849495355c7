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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The loopback redirect listener, with real HTTP requests to it. */
class LoopbackReceiverTest {
    private static final String STRAY = "This is not the sign-in response Toolhost is waiting for";

    private final HttpClient http = HttpClient.newHttpClient();
    private final State state = new State("the-state");
    private LoopbackReceiver receiver;

    @BeforeEach
    void open() {
        receiver = LoopbackReceiver.open(0);
        receiver.expect(state, callback -> {
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
        assertTrue(again.body().startsWith("This sign-in was already answered."), again.body());
    }

    @Test
    void aFailedSignInIsToldToTheBrowserAndTheLogin() throws Exception {
        HttpResponse<String> r = get("?error=access_denied&state=the-state");
        assertEquals(400, r.statusCode());
        assertEquals(
                "The sign-in failed: sign-in was denied at https://as.example (access_denied)\n"
                        + "You can close this window.\n",
                r.body());
        assertEquals(
                "text/plain; charset=utf-8",
                r.headers().firstValue("Content-Type").orElse(""));
        OAuthException e = assertThrows(OAuthException.class, () -> receiver.await(Duration.ofSeconds(5)));
        assertEquals("sign-in was denied at https://as.example (access_denied)", e.getMessage());
    }
}
