package dev.toolhost.exec.server;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A bare protocol client for tests: raw JSON lines in, parsed messages out, no client library. */
abstract class RawClient implements AutoCloseable {
    static final JsonMapper JSON = JsonMapper.builder().build();

    private final LinkedBlockingQueue<JsonNode> inbox = new LinkedBlockingQueue<>();
    private final List<JsonNode> parked = new ArrayList<>();
    private final AtomicLong ids = new AtomicLong();

    abstract void sendRaw(String text);

    void received(String text) {
        inbox.add(JSON.readTree(text));
    }

    /** The next message matching {@code match} (others are kept for later calls). */
    synchronized JsonNode next(Predicate<JsonNode> match, long timeoutMs) throws InterruptedException {
        for (Iterator<JsonNode> it = parked.iterator(); it.hasNext(); ) {
            JsonNode n = it.next();
            if (match.test(n)) {
                it.remove();
                return n;
            }
        }
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (true) {
            JsonNode n = inbox.poll(Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
            assertNotNull(n, "no matching message within " + timeoutMs + " ms; parked: " + parked.size());
            if (match.test(n)) {
                return n;
            }
            parked.add(n);
        }
    }

    JsonNode next(Predicate<JsonNode> match) throws InterruptedException {
        return next(match, 20_000);
    }

    /** Sends a request and returns the whole reply (with {@code result} or {@code error}). */
    JsonNode call(String method, Object params) throws InterruptedException {
        long id = ids.incrementAndGet();
        sendRaw(JSON.writeValueAsString(Map.of("id", id, "method", method, "params", params)));
        return next(n -> n.has("id") && n.get("id").asLong() == id && !n.has("method"));
    }

    JsonNode result(String method, Object params) throws InterruptedException {
        JsonNode reply = call(method, params);
        if (!reply.has("result")) {
            throw new AssertionError(method + " failed: " + reply);
        }
        return reply.get("result");
    }

    void notify(String method, Object params) {
        sendRaw(JSON.writeValueAsString(Map.of("method", method, "params", params)));
    }

    String handshake() throws InterruptedException {
        String sessionId = result("initialize", Map.of("clientName", "test"))
                .get("sessionId")
                .asString();
        notify("initialized", Map.of());
        return sessionId;
    }

    /** Notifications of one process, until (and including) its {@code process/closed}. */
    List<JsonNode> eventsUntilClosed(String processId) throws InterruptedException {
        List<JsonNode> events = new ArrayList<>();
        while (true) {
            JsonNode n = next(m -> m.has("method")
                    && m.get("method").asString().startsWith("process/")
                    && processId.equals(m.get("params").get("processId").asString()));
            events.add(n);
            if (n.get("method").asString().equals("process/closed")) {
                return events;
            }
        }
    }

    static RawClient webSocket(URI uri, String token) throws Exception {
        WsClient c = new WsClient();
        WebSocket.Builder b = HttpClient.newHttpClient().newWebSocketBuilder();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        c.socket = b.buildAsync(uri, c).get(10, TimeUnit.SECONDS);
        return c;
    }

    static final class WsClient extends RawClient implements WebSocket.Listener {
        WebSocket socket;
        private final StringBuilder partial = new StringBuilder();
        volatile boolean closed;

        @Override
        synchronized void sendRaw(String text) {
            socket.sendText(text, true).join();
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                received(partial.toString());
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
            closed = true;
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed = true;
        }

        @Override
        public void close() {
            socket.abort();
        }
    }

    /** Runs {@link ExecServer#serveStdio} on in-process pipes. */
    static final class StdioClient extends RawClient {
        private final OutputStream toServer;
        private final Thread serverThread;

        StdioClient(ExecServer server) throws IOException {
            PipedInputStream serverIn = new PipedInputStream(1 << 20);
            toServer = new PipedOutputStream(serverIn);
            PipedInputStream clientIn = new PipedInputStream(1 << 20);
            PipedOutputStream serverOut = new PipedOutputStream(clientIn);
            serverThread = new Thread(
                    () -> {
                        try {
                            server.serveStdio(serverIn, serverOut);
                        } catch (IOException ignored) {
                            // the test closed the pipe
                        }
                    },
                    "stdio-server");
            serverThread.setDaemon(true);
            serverThread.start();
            Thread reader = new Thread(
                    () -> {
                        try (BufferedReader r =
                                new BufferedReader(new InputStreamReader(clientIn, StandardCharsets.UTF_8))) {
                            String line;
                            while ((line = r.readLine()) != null) {
                                received(line);
                            }
                        } catch (IOException ignored) {
                            // server side closed
                        }
                    },
                    "stdio-client-reader");
            reader.setDaemon(true);
            reader.start();
        }

        @Override
        synchronized void sendRaw(String text) {
            try {
                toServer.write((text + "\n").getBytes(StandardCharsets.UTF_8));
                toServer.flush();
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }

        @Override
        public void close() throws IOException {
            toServer.close();
        }
    }
}
