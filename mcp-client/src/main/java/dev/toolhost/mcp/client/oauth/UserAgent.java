package dev.toolhost.mcp.client.oauth;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Shows the authorization URL to whoever approves the sign-in. */
@FunctionalInterface
public interface UserAgent {
    /**
     * Starts the approval of {@code authorizationUrl}; the answer arrives later on {@code redirectUri}.
     *
     * @throws OAuthException when the approval cannot even start
     */
    void open(URI authorizationUrl, URI redirectUri);

    /**
     * The system browser: {@code $BROWSER} when set, else {@code xdg-open} (with a display) or {@code open}
     * (macOS). The URL is always printed on {@code err} too, so a user without a browser can copy it.
     */
    static UserAgent systemBrowser(PrintStream err, Map<String, String> env, boolean noBrowser) {
        return (url, redirect) -> {
            err.println("To sign in, open this URL in a browser:");
            err.println("  " + url);
            if (!noBrowser) {
                List<String> command = browserCommand(env);
                if (command != null) {
                    try {
                        List<String> argv = new ArrayList<>(command);
                        argv.add(url.toString());
                        new ProcessBuilder(argv)
                                .redirectErrorStream(true)
                                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                                .start();
                        err.println("(opened with " + command.get(0) + ")");
                    } catch (IOException e) {
                        err.println("(could not start " + command.get(0) + ": " + e.getMessage() + ")");
                    }
                }
            }
            err.println("Waiting for the redirect on " + redirect + " ...");
        };
    }

    private static List<String> browserCommand(Map<String, String> env) {
        String browser = env.get("BROWSER");
        if (browser != null && !browser.isBlank()) {
            return List.of(browser.split(":")[0].strip().split("\\s+"));
        }
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (os.contains("mac")) {
            return List.of("open");
        }
        if (os.contains("linux") && (env.containsKey("DISPLAY") || env.containsKey("WAYLAND_DISPLAY"))) {
            return List.of("xdg-open");
        }
        return null;
    }

    /**
     * Test hook, for authorization servers that approve without a person (the conformance suite's mocks):
     * GETs the authorization URL without following redirects and delivers the {@code Location} to the
     * loopback listener. Fails clearly when the server asks for a login page instead.
     */
    static UserAgent headlessApproval() {
        HttpClient http = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        return (url, redirect) -> {
            try {
                HttpResponse<Void> r = http.send(
                        HttpRequest.newBuilder(url)
                                .timeout(Duration.ofSeconds(10))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                String location = r.headers().firstValue("Location").orElse(null);
                if (r.statusCode() / 100 != 3 || location == null) {
                    throw new OAuthException("headless approval: the authorization endpoint answered HTTP "
                            + r.statusCode() + " instead of redirecting");
                }
                URI target = url.resolve(location);
                if (!target.toString().startsWith(redirect.toString())) {
                    throw new OAuthException("headless approval: the authorization server wants a person to sign in "
                            + "(it redirected to " + Discovery.origin(target) + target.getRawPath() + ")");
                }
                http.send(HttpRequest.newBuilder(target).GET().build(), HttpResponse.BodyHandlers.discarding());
            } catch (IOException e) {
                throw new OAuthException(
                        "cannot reach the authorization endpoint " + Discovery.origin(url) + ": " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OAuthException("interrupted during headless approval");
            }
        };
    }
}
