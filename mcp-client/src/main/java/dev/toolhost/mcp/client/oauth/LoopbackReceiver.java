package dev.toolhost.mcp.client.oauth;

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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Receives the authorization redirect on {@code http://127.0.0.1:PORT/callback} (RFC 8252 section 7.3, as
 * Codex does), with the JDK's HTTP server. The first request to {@code /callback} wins; its full URI is
 * handed to whoever waits in {@link #await}.
 */
final class LoopbackReceiver implements AutoCloseable {
    static final String PATH = "/callback";

    private final HttpServer server;
    private final CompletableFuture<URI> callback = new CompletableFuture<>();
    private final URI redirectUri;

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
    static LoopbackReceiver open(int port) {
        try {
            return new LoopbackReceiver(
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
    static LoopbackReceiver openPreferring(int preferred) {
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

    /** The redirect the browser delivered, with its query; an error naming the wait when none came. */
    URI await(Duration timeout) {
        try {
            return callback.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new OAuthException("no sign-in redirect came back to " + redirectUri + " within "
                    + timeout.toSeconds() + " s; run the login again and finish it in the browser");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OAuthException("interrupted while waiting for the sign-in redirect");
        } catch (ExecutionException e) {
            throw new OAuthException(
                    "the sign-in redirect failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        URI uri = redirectUri.resolve(ex.getRequestURI().getRawPath()
                + (ex.getRequestURI().getRawQuery() == null
                        ? ""
                        : "?" + ex.getRequestURI().getRawQuery()));
        String text = callback.isDone()
                ? "This sign-in was already answered. You can close this window."
                : "Toolhost received the sign-in response. You can close this window.";
        byte[] body = ("<!doctype html><title>Toolhost</title><p>" + text + "</p>").getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        ex.sendResponseHeaders(200, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
        // Answer the browser first: the waiting login closes this listener as soon as it has the redirect.
        callback.complete(uri);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
