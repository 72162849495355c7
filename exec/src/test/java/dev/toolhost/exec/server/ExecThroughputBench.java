package dev.toolhost.exec.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Output throughput of a running exec-server: streams {@code head -c BYTES /dev/zero} to this client
 * over a WebSocket and reports MB/s of output received, bytes lost to eviction (a client slower than
 * the process), and the server's peak RSS (VmHWM). Run by {@code bench/exec-throughput.sh}.
 *
 * <p>Args: {@code ws://host:port serverPid bytes}
 */
public final class ExecThroughputBench {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args[0]);
        long serverPid = Long.parseLong(args[1]);
        long bytes = Long.parseLong(args[2]);

        Client client = new Client();
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(uri, client).get(30, TimeUnit.SECONDS);
        client.ws = ws;
        send(ws, Map.of("id", 1, "method", "initialize", "params", Map.of("clientName", "bench")));
        client.initialized.get(30, TimeUnit.SECONDS);
        send(ws, Map.of("method", "initialized", "params", Map.of()));
        long start = System.nanoTime();
        send(ws, Map.of("id", 2, "method", "process/start", "params", Map.of("processId", "bench",
                "argv", List.of("head", "-c", Long.toString(bytes), "/dev/zero"), "cwd", "/tmp",
                "env", Map.of("PATH", System.getenv("PATH")), "tty", false, "pipeStdin", false)));
        try {
            client.closed.get(120, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            System.out.printf("TIMEOUT received=%d chunks=%d lastSeq=%d gaps=%d%n", client.received, client.chunks, client.lastSeq, client.gaps);
            System.exit(1);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long received = client.received;
        String hwm = Files.readAllLines(Path.of("/proc/" + serverPid + "/status")).stream()
                .filter(l -> l.startsWith("VmHWM")).findFirst().orElse("VmHWM: ?").replaceAll("\\s+", " ");
        System.out.printf("bytes=%d received=%d lost=%d chunks=%d gaps=%d seconds=%.2f throughput=%.1f MB/s server %s%n",
                bytes, received, bytes - received, client.chunks, client.gaps, seconds, received / seconds / 1e6, hwm);
        ws.abort();
    }

    private static void send(WebSocket ws, Object message) {
        ws.sendText(JSON.writeValueAsString(message), true).join();
    }

    private static final class Client implements WebSocket.Listener {
        WebSocket ws;
        final CompletableFuture<Void> initialized = new CompletableFuture<>();
        final CompletableFuture<Void> closed = new CompletableFuture<>();
        final StringBuilder partial = new StringBuilder();
        long received;
        long chunks;
        long gaps;
        long lastSeq;

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            error.printStackTrace();
            closed.completeExceptionally(error);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    handle(partial);
                } catch (RuntimeException e) {
                    e.printStackTrace();
                    closed.completeExceptionally(e);
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        /** Output notifications are measured without a full parse so the client is not the bottleneck. */
        private void handle(CharSequence text) {
            int at = indexOf(text, "\"chunk\":\"", 200);
            if (at < 0 || !text.subSequence(0, 40).toString().contains("process/output")) {
                handle(JSON.readTree(text.toString()));
                return;
            }
            int seqAt = indexOf(text, "\"seq\":", 200) + 6;
            long seq = 0;
            while (Character.isDigit(text.charAt(seqAt))) {
                seq = seq * 10 + (text.charAt(seqAt++) - '0');
            }
            if (seq != lastSeq + 1) {
                gaps++;
            }
            lastSeq = seq;
            int start = at + 9;
            int end = text.length() - 3; // "}}
            int padding = text.charAt(end - 1) == '=' ? (text.charAt(end - 2) == '=' ? 2 : 1) : 0;
            received += (end - start) / 4L * 3 - padding;
            chunks++;
        }

        private static int indexOf(CharSequence text, String needle, int limit) {
            int max = Math.min(limit, text.length() - needle.length());
            for (int i = 0; i <= max; i++) {
                int j = 0;
                while (j < needle.length() && text.charAt(i + j) == needle.charAt(j)) {
                    j++;
                }
                if (j == needle.length()) {
                    return i;
                }
            }
            return -1;
        }

        private void handle(JsonNode m) {
            String method = m.path("method").asString("");
            if (m.path("id").asInt(0) == 1) {
                initialized.complete(null);
                return;
            }
            if (method.isEmpty()) {
                return;
            }
            long seq = m.get("params").get("seq").asLong();
            if (seq != lastSeq + 1) {
                gaps++;
            }
            lastSeq = seq;
            if (method.equals("process/output")) {
                received += Base64.getDecoder().decode(m.get("params").get("chunk").asString()).length;
                chunks++;
            } else if (method.equals("process/closed")) {
                closed.complete(null);
            }
        }
    }
}
