package dev.toolhost.mcp.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpAsyncServer;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.AsyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

class LosslessStdioServerTransportProviderTest {
    private static final McpJsonMapper JSON = McpJsonDefaults.getMapper();
    private static final int PROGRESS_PER_CALL = 20;

    private final PipedOutputStream toServer = new PipedOutputStream();
    private final PipedInputStream fromServer = new PipedInputStream(1 << 16);
    private final BreakableOutput serverOut;
    private final LosslessStdioServerTransportProvider transport;
    private final BufferedReader reader;
    private final CompletableFuture<Throwable> elicitationFailure = new CompletableFuture<>();
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private McpAsyncServer server;

    LosslessStdioServerTransportProviderTest() throws IOException {
        PipedInputStream serverIn = new PipedInputStream(toServer, 1 << 16);
        serverOut = new BreakableOutput(new PipedOutputStream(fromServer));
        transport = new LosslessStdioServerTransportProvider(JSON, serverIn, serverOut, 64, 32);
        reader = new BufferedReader(new InputStreamReader(fromServer, StandardCharsets.UTF_8));
    }

    @AfterEach
    void close() throws IOException {
        if (server != null) {
            server.close();
        }
        toServer.close();
    }

    private void startServer() {
        McpSchema.Tool burst = tool("burst");
        McpSchema.Tool ask = tool("ask");
        McpSchema.Tool hang = tool("hang");
        server = McpServer.async(transport)
                .jsonMapper(JSON)
                .serverInfo("test", "1")
                .capabilities(McpSchema.ServerCapabilities.builder()
                        .tools(true)
                        .logging()
                        .build())
                .tools(
                        // Progress from several threads racing the response: the case the SDK transport drops.
                        new AsyncToolSpecification(burst, (ex, req) -> {
                            Object token = req.meta().get("progressToken");
                            return Flux.range(0, PROGRESS_PER_CALL)
                                    .parallel(4)
                                    .runOn(Schedulers.parallel())
                                    .flatMap(i -> ex.progressNotification(
                                            new McpSchema.ProgressNotification(token, (double) i, null, "p" + i)))
                                    .sequential()
                                    .then(Mono.just(McpSchema.CallToolResult.builder()
                                            .addTextContent(
                                                    "done " + req.arguments().get("n"))
                                            .build()));
                        }),
                        new AsyncToolSpecification(
                                ask,
                                (ex, req) -> ex.createElicitation(McpSchema.ElicitRequest.builder()
                                                .message("ok?")
                                                .requestedSchema(Map.of("type", "object"))
                                                .build())
                                        .doOnError(elicitationFailure::complete)
                                        .map(r -> McpSchema.CallToolResult.builder()
                                                .addTextContent("answered")
                                                .build())),
                        new AsyncToolSpecification(
                                hang,
                                (ex, req) ->
                                        Mono.<McpSchema.CallToolResult>never().doOnCancel(() -> cancelled.set(true))))
                .build();
    }

    private static McpSchema.Tool tool(String name) {
        return McpSchema.Tool.builder()
                .name(name)
                .inputSchema(JSON, "{\"type\":\"object\"}")
                .build();
    }

    private void send(Object message) throws IOException {
        toServer.write(JSON.writeValueAsBytes(message));
        toServer.write('\n');
        toServer.flush();
    }

    private void sendLine(String line) throws IOException {
        toServer.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        toServer.flush();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> read() throws IOException {
        String line = reader.readLine();
        if (line == null) {
            throw new IOException("server closed its output");
        }
        return JSON.readValue(line, Map.class);
    }

    private static Map<String, Object> request(Object id, String method, Object params) {
        Map<String, Object> m = new HashMap<>();
        m.put("jsonrpc", "2.0");
        m.put("id", id);
        m.put("method", method);
        if (params != null) {
            m.put("params", params);
        }
        return m;
    }

    private String initialize(String version) throws IOException {
        send(request(
                0,
                "initialize",
                Map.of(
                        "protocolVersion",
                        version,
                        "capabilities",
                        Map.of("elicitation", Map.of()),
                        "clientInfo",
                        Map.of("name", "raw", "version", "1"))));
        Map<String, Object> response = read();
        send(Map.of("jsonrpc", "2.0", "method", "notifications/initialized"));
        return (String) ((Map<?, ?>) response.get("result")).get("protocolVersion");
    }

    @Test
    void everyResponseAndNotificationArrivesWhenManyThreadsSendAtOnce() throws Exception {
        startServer();
        initialize("2025-11-25");
        int calls = 300;
        Thread writer = new Thread(() -> {
            try {
                for (int i = 1; i <= calls; i++) {
                    send(request(
                            i,
                            "tools/call",
                            Map.of(
                                    "name",
                                    "burst",
                                    "arguments",
                                    Map.of("n", i),
                                    "_meta",
                                    Map.of("progressToken", "t" + i))));
                }
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        writer.start();
        Map<Object, Integer> responses = new HashMap<>();
        Map<Object, Integer> progress = new HashMap<>();
        while (responses.size() < calls) {
            Map<String, Object> m = read();
            if ("notifications/progress".equals(m.get("method"))) {
                progress.merge(((Map<?, ?>) m.get("params")).get("progressToken"), 1, Integer::sum);
            } else {
                Object id = m.get("id");
                assertNull(responses.put(id, 1), "duplicate response for id " + id);
                String text = String.valueOf(((Map<?, ?>) m.get("result")).get("content"));
                assertTrue(text.contains("done " + id), "response " + id + " carries its own result: " + text);
                int seen = progress.getOrDefault("t" + id, 0);
                assertEquals(PROGRESS_PER_CALL, seen, "progress for call " + id + " arrives before its response");
            }
        }
        writer.join();
        assertEquals(calls, responses.size());
    }

    @Test
    void negotiatesTheVersionTheClientAsksForAndTheNewestOtherwise() throws Exception {
        startServer();
        assertEquals("2025-06-18", initialize("2025-06-18"));
    }

    @Test
    void offersTheNewestVersionToAClientAskingForAnUnknownOne() throws Exception {
        startServer();
        assertEquals("2025-11-25", initialize("2099-01-01"));
    }

    @Test
    void answersBadLinesWithJsonRpcErrorsAndKeepsServing() throws Exception {
        startServer();
        initialize("2025-11-25");
        sendLine("this is not json");
        Map<String, Object> parseError = read();
        assertTrue(parseError.containsKey("id") && parseError.get("id") == null, parseError.toString());
        assertEquals(-32700, ((Map<?, ?>) parseError.get("error")).get("code"));
        sendLine("{\"jsonrpc\":\"2.0\",\"id\":9}");
        Map<String, Object> invalid = read();
        assertEquals(9, invalid.get("id"));
        assertEquals(-32600, ((Map<?, ?>) invalid.get("error")).get("code"));
        send(request(10, "tools/list", null));
        Map<String, Object> list = read();
        assertEquals(10, list.get("id"));
        assertEquals(3, ((List<?>) ((Map<?, ?>) list.get("result")).get("tools")).size());
    }

    @Test
    void aLineOverTheLimitIsRefusedWithoutBeingHeldAndTheSessionGoesOn() throws Exception {
        transport.maxMessageBytes(4096);
        startServer();
        initialize("2025-11-25");
        send(request(11, "tools/call", Map.of("name", "burst", "arguments", Map.of("n", "x".repeat(200_000)))));
        Map<String, Object> refused = read();
        assertEquals(11, refused.get("id"));
        Map<?, ?> error = (Map<?, ?>) refused.get("error");
        assertEquals(-32600, error.get("code"));
        assertTrue(String.valueOf(error.get("message")).contains("over the limit of 4096 bytes"), error.toString());
        send(request(12, "tools/list", null));
        assertEquals(12, read().get("id"));
    }

    @Test
    void aFailedWriteFailsPendingRequestsToTheClientAtOnce() throws Exception {
        startServer();
        initialize("2025-11-25");
        send(request(1, "tools/call", Map.of("name", "ask", "arguments", Map.of())));
        Map<String, Object> elicit = read();
        assertEquals("elicitation/create", elicit.get("method"));
        serverOut.broken.set(true);
        send(request(2, "ping", null)); // its answer hits the broken output
        Throwable failure = elicitationFailure.get(5, TimeUnit.SECONDS);
        assertTrue(failure.getMessage().contains("stdout pipe failed"), failure.getMessage());
    }

    @Test
    void closingTheInputFailsPendingRequestsToTheClientAtOnce() throws Exception {
        startServer();
        initialize("2025-11-25");
        send(request(1, "tools/call", Map.of("name", "ask", "arguments", Map.of())));
        assertEquals("elicitation/create", read().get("method"));
        toServer.close();
        Throwable failure = elicitationFailure.get(5, TimeUnit.SECONDS);
        assertTrue(failure.getMessage().contains("closed its end"), failure.getMessage());
    }

    @Test
    void cancellationFromTheClientCancelsTheRunningCall() throws Exception {
        startServer();
        initialize("2025-11-25");
        send(request(7, "tools/call", Map.of("name", "hang", "arguments", Map.of())));
        send(Map.of("jsonrpc", "2.0", "method", "notifications/cancelled", "params", Map.of("requestId", 7)));
        await().atMost(Duration.ofSeconds(5)).untilTrue(cancelled);
        send(request(8, "ping", null));
        assertEquals(8, read().get("id"), "the session goes on after a cancellation");
    }

    @Test
    void endsAfterTheInputEndsAndQueuedOutputIsWritten() throws Exception {
        startServer();
        initialize("2025-11-25");
        send(request(1, "tools/list", null));
        toServer.close();
        assertEquals(1, read().get("id"));
        transport.terminated().get(5, TimeUnit.SECONDS);
    }

    /** An output that can be made to fail, like a pipe whose reader died. */
    private static final class BreakableOutput extends OutputStream {
        final AtomicBoolean broken = new AtomicBoolean();
        private final OutputStream out;
        private final AtomicInteger writes = new AtomicInteger();

        BreakableOutput(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            check();
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            check();
            writes.incrementAndGet();
            out.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            check();
            out.flush();
        }

        private void check() throws IOException {
            if (broken.get()) {
                throw new IOException("Broken pipe");
            }
        }
    }
}
