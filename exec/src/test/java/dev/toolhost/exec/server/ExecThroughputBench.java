package dev.toolhost.exec.server;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClientOptions;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Output throughput of a running exec-server: streams {@code head -c BYTES /dev/zero} to this client
 * over a WebSocket on loopback and reports MB/s of output received, bytes lost (evicted before they
 * could be pushed), seq gaps and the server's peak RSS (VmHWM). Run by {@code bench/exec-throughput.sh}.
 * Output frames are measured without a full JSON parse so the client is not the bottleneck.
 *
 * <p>Args: {@code ws://host:port serverPid bytes [warmupBytes]}: a warm-up stream (default 100 MB, not
 * measured) runs first on the same connection so the JIT has compiled the hot path.
 */
public final class ExecThroughputBench {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final byte[] OUTPUT = "{\"method\":\"process/output\"".getBytes(StandardCharsets.US_ASCII);

    private long received;
    private long chunks;
    private long gaps;
    private long lastSeq;
    private final CompletableFuture<Void> initialized = new CompletableFuture<>();
    private CompletableFuture<Void> closed = new CompletableFuture<>();

    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args[0]);
        long serverPid = Long.parseLong(args[1]);
        long bytes = Long.parseLong(args[2]);
        long warmup = args.length > 3 ? Long.parseLong(args[3]) : 100_000_000L;
        Vertx vertx = Vertx.vertx();
        ExecThroughputBench bench = new ExecThroughputBench();
        WebSocket ws = vertx.createWebSocketClient(new WebSocketClientOptions()
                        .setMaxFrameSize(64 * 1024 * 1024)
                        .setMaxMessageSize(64 * 1024 * 1024))
                .connect(uri.getPort(), uri.getHost(), "/")
                .toCompletionStage()
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        ws.frameHandler(f -> {
            if (f.isText() || f.isContinuation()) {
                bench.onFrame(f.binaryData());
            }
        });
        ws.writeTextMessage(JSON.writeValueAsString(
                Map.of("id", 1, "method", "initialize", "params", Map.of("clientName", "bench"))));
        bench.initialized.get(30, TimeUnit.SECONDS);
        ws.writeTextMessage("{\"method\":\"initialized\",\"params\":{}}");
        if (warmup > 0) {
            bench.stream(ws, "warmup", warmup);
            bench.received = 0;
            bench.chunks = 0;
            bench.gaps = 0;
        }
        long start = System.nanoTime();
        bench.stream(ws, "bench", bytes);
        double seconds = (System.nanoTime() - start) / 1e9;
        String hwm = Files.readAllLines(Path.of("/proc/" + serverPid + "/status")).stream()
                .filter(l -> l.startsWith("VmHWM"))
                .findFirst()
                .orElse("VmHWM: ?")
                .replaceAll("\\s+", " ");
        System.out.printf(
                "bytes=%d received=%d lost=%d chunks=%d gaps=%d seconds=%.2f throughput=%.1f MB/s server %s%n",
                bytes,
                bench.received,
                bytes - bench.received,
                bench.chunks,
                bench.gaps,
                seconds,
                bench.received / seconds / 1e6,
                hwm);
        ws.close();
        vertx.close();
    }

    private void stream(WebSocket ws, String processId, long bytes) throws Exception {
        closed = new CompletableFuture<>();
        lastSeq = 0;
        ws.writeTextMessage(JSON.writeValueAsString(Map.of(
                "id",
                2,
                "method",
                "process/start",
                "params",
                Map.of(
                        "processId",
                        processId,
                        "argv",
                        List.of("head", "-c", Long.toString(bytes), "/dev/zero"),
                        "cwd",
                        "/tmp",
                        "env",
                        Map.of("PATH", System.getenv("PATH")),
                        "tty",
                        false,
                        "pipeStdin",
                        false))));
        try {
            closed.get(300, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            System.out.printf("TIMEOUT received=%d chunks=%d lastSeq=%d%n", received, chunks, lastSeq);
            System.exit(1);
        }
    }

    /** Every message is one frame (the server never fragments). Runs on the client's event loop. */
    private void onFrame(Buffer frame) {
        if (!startsWith(frame, OUTPUT)) {
            JsonNode m = JSON.readTree(frame.toString(StandardCharsets.UTF_8));
            if (m.path("id").asInt(0) == 1) {
                initialized.complete(null);
            } else if (m.has("method")) {
                seq(m.get("params").get("seq").asLong());
                if (m.get("method").asString().equals("process/closed")) {
                    closed.complete(null);
                }
            }
            return;
        }
        int at = indexOf(frame, "\"seq\":") + 6;
        long seq = 0;
        while (Character.isDigit(frame.getByte(at))) {
            seq = seq * 10 + (frame.getByte(at++) - '0');
        }
        seq(seq);
        int start = indexOf(frame, "\"chunk\":\"") + 9;
        int end = frame.length() - 3; // "}}
        int padding = frame.getByte(end - 1) == '=' ? (frame.getByte(end - 2) == '=' ? 2 : 1) : 0;
        received += (end - start) / 4L * 3 - padding;
        chunks++;
    }

    private void seq(long seq) {
        if (seq != lastSeq + 1) {
            gaps++;
        }
        lastSeq = seq;
    }

    private static boolean startsWith(Buffer b, byte[] prefix) {
        if (b.length() < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b.getByte(i) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(Buffer b, String needle) {
        int max = Math.min(300, b.length() - needle.length());
        for (int i = 0; i <= max; i++) {
            int j = 0;
            while (j < needle.length() && b.getByte(i + j) == needle.charAt(j)) {
                j++;
            }
            if (j == needle.length()) {
                return i;
            }
        }
        throw new IllegalStateException("no " + needle + " in frame");
    }
}
