package dev.toolhost.mcp.client.oauth;

import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.util.URLUtils;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Receives the authorization redirect on {@code http://127.0.0.1:PORT/callback} (RFC 8252 section 7.3, as
 * Codex does), with the JDK's HTTP server. A request that is not this sign-in's response (no {@code code}
 * and no {@code error}: a browser prefetch, a stray request; or another sign-in's {@code state}) is
 * answered 400 and the wait goes on. The first response with this sign-in's state ends it: the
 * {@link Check} judges it and finishes the sign-in (the token request), and only then is the browser's page
 * answered, saying whether the sign-in worked or why it failed.
 *
 * @param <T> what a finished sign-in gives the waiting login
 */
final class LoopbackReceiver<T> implements AutoCloseable {
    static final String PATH = "/callback";

    /**
     * Judges this sign-in's response and finishes the sign-in: its result, or an {@link OAuthException} saying
     * why not. Runs on the listener's thread while the browser waits for its page, so it may make bounded
     * network requests (the token request), never wait on a person.
     */
    @FunctionalInterface
    interface Check<T> {
        T apply(URI callback);
    }

    private final HttpServer server;
    private final CompletableFuture<T> result = new CompletableFuture<>();
    /** Set by whoever ends the sign-in first: the response being handled, or the waiting login giving up. */
    private final AtomicBoolean ended = new AtomicBoolean();

    private final URI redirectUri;
    private volatile State state;
    private volatile Check<T> check;

    private LoopbackReceiver(HttpServer server) {
        this.server = server;
        this.redirectUri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + PATH);
        server.createContext(PATH, this::handle);
        server.start();
    }

    /**
     * @param port a fixed port ({@code callback_port} / {@code mcp_oauth_callback_port}), or 0 for a free one
     * @throws OAuthException when the port is taken
     */
    static <T> LoopbackReceiver<T> open(int port) {
        try {
            return new LoopbackReceiver<>(
                    HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0));
        } catch (BindException e) {
            throw new OAuthException("cannot receive the sign-in redirect: port " + port + " on 127.0.0.1 is in use "
                    + "(oauth.callback_port / mcp_oauth_callback_port)");
        } catch (IOException e) {
            throw new OAuthException(
                    "cannot open the loopback listener for the sign-in redirect: " + e.getMessage(), e);
        }
    }

    /** Tries {@code preferred} (a port a client was registered with), else a free port. */
    static <T> LoopbackReceiver<T> openPreferring(int preferred) {
        if (preferred > 0) {
            try {
                return open(preferred);
            } catch (OAuthException busy) {
                // a new port means a new registration; that is fine
            }
        }
        return open(0);
    }

    URI redirectUri() {
        return redirectUri;
    }

    /**
     * The sign-in this listener waits for; call before the authorization URL is shown (the browser may come
     * back at once). Until then every request gets the 400 page.
     */
    void expect(State state, Check<T> check) {
        this.check = check;
        this.state = state;
    }

    /**
     * The {@link Check}'s result for this sign-in's response. A response that came within {@code timeout} is
     * waited for until its check is done (bounded by the check's HTTP timeouts), so that a sign-in is never
     * finished after the login gave up.
     *
     * @throws OAuthException when no response came within {@code timeout}, or with the {@link Check}'s reason
     */
    T await(Duration timeout) {
        try {
            try {
                return result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (ended.compareAndSet(false, true)) {
                    throw new OAuthException("no sign-in redirect came back to " + redirectUri + " within "
                            + timeout.toSeconds() + " s; run the login again and finish it in the browser");
                }
                return result.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OAuthException("interrupted while waiting for the sign-in redirect");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof OAuthException oauth) {
                throw oauth;
            }
            throw new OAuthException(
                    "the sign-in redirect failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    /** Runs on the server's single dispatcher thread, so requests are judged one at a time. */
    private void handle(HttpExchange ex) throws IOException {
        URI uri = redirectUri.resolve(ex.getRequestURI().getRawPath()
                + (ex.getRequestURI().getRawQuery() == null
                        ? ""
                        : "?" + ex.getRequestURI().getRawQuery()));
        if (ended.get()) {
            answer(
                    ex,
                    200,
                    "This sign-in was already answered (or Toolhost stopped waiting for it). You can close "
                            + "this window.");
            return;
        }
        Map<String, List<String>> params = URLUtils.parseParameters(uri.getRawQuery());
        State expected = state;
        if (expected == null
                || !params.containsKey("code") && !params.containsKey("error")
                || !List.of(expected.getValue()).equals(params.get("state"))) {
            answer(
                    ex,
                    400,
                    "This is not the sign-in response Toolhost is waiting for (it carries no code or error, "
                            + "or belongs to another sign-in). Toolhost keeps waiting: finish the sign-in in the window "
                            + "it opened.");
            return;
        }
        if (!ended.compareAndSet(false, true)) {
            answer(ex, 200, "Toolhost stopped waiting for this sign-in. You can close this window.");
            return;
        }
        T value;
        try {
            value = check.apply(uri);
        } catch (RuntimeException e) {
            OAuthException failure = e instanceof OAuthException oauth
                    ? oauth
                    : new OAuthException("the sign-in response could not be handled: " + e.getMessage(), e);
            // Answer the browser first: the waiting login closes this listener as soon as it has the result.
            try {
                String why = failure.getMessage();
                answer(
                        ex,
                        400,
                        "The sign-in failed: " + why + (why.endsWith(".") ? "" : ".") + "\nYou can close this window.");
            } finally {
                result.completeExceptionally(failure);
            }
            return;
        }
        try {
            answer(
                    ex,
                    200,
                    "Signed in: Toolhost has the tokens (the terminal shows the details). You can close "
                            + "this window.");
        } finally {
            result.complete(value);
        }
    }

    /** Plain text: the failure message may quote what the authorization server said. */
    private static void answer(HttpExchange ex, int status, String text) throws IOException {
        byte[] body = (text + "\n").getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
