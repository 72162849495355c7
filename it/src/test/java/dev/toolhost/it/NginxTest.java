package dev.toolhost.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The nginx fixture in front of two trivial loopback backends that answer with their own name. */
class NginxTest {
    private final List<HttpServer> backends = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void startBackends() throws IOException {
        for (String name : List.of("a", "b")) {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", exchange -> {
                exchange.getRequestBody().readAllBytes();
                byte[] body = name.getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            backends.add(server);
        }
    }

    @AfterEach
    void stopBackends() {
        backends.forEach(s -> s.stop(0));
    }

    private List<String> addresses() {
        return backends.stream()
                .map(s -> "127.0.0.1:" + s.getAddress().getPort())
                .toList();
    }

    private String post(Nginx lb, String sessionId) throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(lb.url("/mcp"))).POST(HttpRequest.BodyPublishers.ofString("{}"));
        if (sessionId != null) {
            request.header("Mcp-Session-Id", sessionId);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return response.body();
    }

    @Test
    void roundRobinReachesEveryBackend() throws Exception {
        try (Nginx lb = Nginx.start(addresses(), Nginx.Balancing.ROUND_ROBIN)) {
            List<String> answers = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                answers.add(post(lb, null));
            }
            assertEquals(3, answers.stream().filter("a"::equals).count(), answers.toString());
            assertEquals(3, answers.stream().filter("b"::equals).count(), answers.toString());
            assertEquals(6, lb.accessLog().size(), lb.accessLog().toString());
            assertTrue(
                    lb.accessLog().get(0).endsWith("POST /mcp 200 \"-\" \"-\" \"-\""),
                    lb.accessLog().get(0));
        }
    }

    @Test
    void sessionHashKeepsOneSessionOnOneBackend() throws Exception {
        try (Nginx lb = Nginx.start(addresses(), Nginx.Balancing.MCP_SESSION_HASH)) {
            Set<String> reached = new HashSet<>();
            for (int s = 0; s < 16; s++) {
                String session = "session-" + s;
                String first = post(lb, session);
                for (int i = 0; i < 4; i++) {
                    assertEquals(first, post(lb, session), "session " + session + " moved");
                }
                reached.add(first);
            }
            // Sessions are spread: 16 ids all hashing to one of two backends would be a 1 in 32,768 chance.
            assertEquals(Set.of("a", "b"), reached);
            // Requests without a session id (an empty key) are round-robined.
            List<String> unkeyed = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                unkeyed.add(post(lb, null));
            }
            assertEquals(Set.of("a", "b"), new HashSet<>(unkeyed), unkeyed.toString());
        }
    }

    @Test
    void sessionRoutesSendASessionToTheBackendItsIdNames() throws Exception {
        var routes = new LinkedHashMap<String, String>();
        routes.put("a", addresses().get(0));
        routes.put("b", addresses().get(1));
        try (Nginx lb = Nginx.startWithSessionRoutes(routes)) {
            for (int i = 0; i < 3; i++) {
                assertEquals("a", post(lb, "a.session-" + i));
                assertEquals("b", post(lb, "b.session-" + i));
            }
            // Without a session id (or with an unknown route) requests are round-robined.
            Set<String> reached = new HashSet<>();
            for (int i = 0; i < 4; i++) {
                reached.add(post(lb, null));
                reached.add(post(lb, "c.session"));
            }
            assertEquals(Set.of("a", "b"), reached);
        }
    }

    @Test
    void stopEndsNginx() throws Exception {
        Nginx lb = Nginx.start(addresses(), Nginx.Balancing.ROUND_ROBIN);
        post(lb, null);
        lb.stop();
        HttpRequest request =
                HttpRequest.newBuilder(URI.create(lb.url("/mcp"))).GET().build();
        try {
            http.send(request, HttpResponse.BodyHandlers.ofString());
            throw new AssertionError("nginx still answers after stop()");
        } catch (IOException expected) {
            // connection refused
        }
    }
}
