package dev.toolhost.exec.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.toolhost.exec.local.ProcessIo;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A web page must not reach a loopback exec-server (no token there): a browser's foreign {@code Origin} gets 403,
 * a DNS-rebound {@code Host} 421, both before any JSON-RPC. Real Vert.x WebSocket client, real sockets.
 */
class CrossSiteUpgradeTest {
    private final Vertx vertx = Vertx.vertx();
    private ExecServer server;
    private int port;

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        server = new ExecServer(new ProcessIo(), 1_000);
        port = server.listen("127.0.0.1", 0, null).port();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Connects to the listener with {@code Host: host:hostPort} whatever it names (as after DNS rebinding). */
    private WebSocketConnectOptions upgrade(String host, int hostPort, String origin) {
        WebSocketConnectOptions o = new WebSocketConnectOptions()
                .setHost("127.0.0.1")
                .setPort(port)
                .setURI("/")
                .setAllowOriginHeader(origin != null) // false drops any Origin, ours included
                .putHeader("Host", host + ":" + hostPort);
        if (origin != null) {
            o.putHeader("Origin", origin);
        }
        return o;
    }

    /** The upgrade's refusal status, or 101 after a full initialize and process/start through it. */
    private int status(WebSocketConnectOptions options, Path proof) throws Exception {
        WebSocket ws;
        try {
            ws = vertx.createWebSocketClient()
                    .connect(options)
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UpgradeRejectedException rejected) {
                return rejected.getStatus();
            }
            throw e;
        }
        CompletableFuture<JsonNode> started = new CompletableFuture<>();
        ws.textMessageHandler(t -> {
            JsonNode n = RawClient.JSON.readTree(t);
            if (n.path("id").asInt() == 2) {
                started.complete(n);
            }
        });
        ws.writeTextMessage("{\"id\":1,\"method\":\"initialize\",\"params\":{\"clientName\":\"page\"}}");
        ws.writeTextMessage("{\"method\":\"initialized\",\"params\":{}}");
        ws.writeTextMessage(RawClient.JSON.writeValueAsString(Map.of(
                "id",
                2,
                "method",
                "process/start",
                "params",
                Map.of(
                        "processId",
                        "p",
                        "argv",
                        List.of("sh", "-c", "echo ran > " + proof),
                        "cwd",
                        "/tmp",
                        "env",
                        Map.of("PATH", System.getenv("PATH"))))));
        JsonNode reply = started.get(10, TimeUnit.SECONDS);
        ws.close();
        assertEquals("p", reply.get("result").get("processId").asString(), reply.toString());
        return 101;
    }

    @Test
    void foreignOriginIsRefusedWith403() throws Exception {
        Path proof = dir.resolve("origin-proof");
        assertEquals(403, status(upgrade("127.0.0.1", port, "https://evil.example.com"), proof));
        assertEquals(403, status(upgrade("localhost", port, "null"), proof));
        assertEquals(403, status(upgrade("localhost", port, "http://localhost.evil.example.com"), proof));
        // The foreign Origin wins over a foreign Host, as the page's origin is the first thing wrong.
        assertEquals(403, status(upgrade("evil.example.com", port, "http://evil.example.com"), proof));
        assertFalse(Files.exists(proof));
    }

    @Test
    void foreignHostIsRefusedWith421() throws Exception {
        Path proof = dir.resolve("host-proof");
        assertEquals(421, status(upgrade("evil.example.com", port, null), proof));
        assertEquals(421, status(upgrade("127.0.0.1.evil.example.com", port, null), proof));
        assertFalse(Files.exists(proof));
    }

    @Test
    void loopbackClientsStillWorkAndReadyzIsUnaffected() throws Exception {
        assertEquals(101, status(upgrade("127.0.0.1", port, null), dir.resolve("a")));
        assertEquals(101, status(upgrade("localhost", port, "http://localhost:3000"), dir.resolve("b")));
        assertEquals(101, status(upgrade("[::1]", port, "https://127.0.0.1"), dir.resolve("c")));
        HttpClientResponse ready = vertx.createHttpClient()
                .request(new RequestOptions()
                        .setMethod(HttpMethod.GET)
                        .setServer(SocketAddress.inetSocketAddress(port, "127.0.0.1"))
                        .setHost("evil.example.com")
                        .setPort(port)
                        .setURI("/readyz"))
                .compose(r -> r.send())
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        assertEquals(200, ready.statusCode());
    }

    @Test
    void nonLoopbackListenersNeedTheirTokenInstead() {
        assertEquals(0, new UpgradeCheck(false).refusal("https://evil.example.com", "evil.example.com"));
        assertEquals(403, UpgradeCheck.forListener("::1").refusal("https://evil.example.com", "[::1]:5"));
        assertEquals(0, UpgradeCheck.forListener("[::1]").refusal(null, "[::1]:5"));
        assertEquals(421, UpgradeCheck.forListener("localhost").refusal(null, "localhost:5:6"));
        assertEquals(0, UpgradeCheck.forListener("localhost").refusal("http://[::1]:3000", "localhost"));
    }
}
