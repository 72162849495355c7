import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sustained tools/call throughput over streamable HTTP: CLIENTS MCP clients, each calling TOOL
 * sequentially from its own thread, over one shared java.net.http client; after WARMUP calls per client,
 * CALLS calls in total are timed. Prints calls/s, p50 and p99 and exits non-zero if any call was not
 * answered with a result.
 *
 * <p>Legacy (default): each client is an MCP session (its own initialize handshake and Mcp-Session-Id).
 * With MCP_BENCH_ERA=modern: stateless 2026-07-28 requests, no handshake and no session; every POST carries
 * MCP-Protocol-Version, Mcp-Method and Mcp-Name headers and the request metadata in params._meta.
 *
 * Usage: java bench/McpHttpBench.java URL [CLIENTS=16] [CALLS=60000] [WARMUP=500] [TOOL=update_plan] [ARGS_JSON]
 */
public class McpHttpBench {
    public static void main(String[] a) throws Exception {
        URI url = URI.create(a[0]);
        int clients = a.length > 1 ? Integer.parseInt(a[1]) : 16;
        int calls = a.length > 2 ? Integer.parseInt(a[2]) : 60000;
        int warmup = a.length > 3 ? Integer.parseInt(a[3]) : 500;
        String tool = a.length > 4 ? a[4] : "update_plan";
        String args = a.length > 5 ? a[5] : "{\"explanation\":\"bench\"}";
        String token = System.getenv("MCP_BENCH_TOKEN");
        boolean modern = "modern".equals(System.getenv("MCP_BENCH_ERA"));
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        int perClient = calls / clients;
        long[] latencies = new long[perClient * clients];
        AtomicInteger failures = new AtomicInteger();
        Thread[] threads = new Thread[clients];
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(clients + 1);
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(clients);
        for (int c = 0; c < clients; c++) {
            int client = c;
            threads[c] = new Thread(() -> {
                try {
                    if (modern) {
                        for (int i = 0; i < warmup; i++) {
                            callModern(http, url, token, i + 1_000_000, tool, args);
                        }
                        start.await();
                        for (int i = 0; i < perClient; i++) {
                            long t0 = System.nanoTime();
                            if (!callModern(http, url, token, i + 1, tool, args)) {
                                failures.incrementAndGet();
                            }
                            latencies[client * perClient + i] = System.nanoTime() - t0;
                        }
                        return;
                    }
                    HttpResponse<String> init = http.send(post(url, token, null,
                            "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
                                    + "\"capabilities\":{},\"clientInfo\":{\"name\":\"bench\",\"version\":\"1\"}}}"),
                            HttpResponse.BodyHandlers.ofString());
                    String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow(
                            () -> new IllegalStateException("no session id: " + init.statusCode() + " " + init.body()));
                    http.send(post(url, token, session, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}"),
                            HttpResponse.BodyHandlers.discarding());
                    for (int i = 0; i < warmup; i++) {
                        call(http, url, token, session, i + 1_000_000, tool, args);
                    }
                    start.await();
                    for (int i = 0; i < perClient; i++) {
                        long t0 = System.nanoTime();
                        if (!call(http, url, token, session, i + 1, tool, args)) {
                            failures.incrementAndGet();
                        }
                        latencies[client * perClient + i] = System.nanoTime() - t0;
                    }
                } catch (Exception e) {
                    failures.incrementAndGet();
                    e.printStackTrace();
                    try {
                        start.await();
                    } catch (Exception ignored) {
                    }
                } finally {
                    done.countDown();
                }
            });
            threads[c].start();
        }
        start.await();
        long t0 = System.nanoTime();
        done.await();
        double seconds = (System.nanoTime() - t0) / 1e9;
        Arrays.sort(latencies);
        System.out.printf("%s, %d clients, %d calls of %s: %.0f calls/s, p50 %.2f ms, p99 %.2f ms, failures %d%n",
                modern ? "modern (2026-07-28, stateless)" : "legacy (sessions)", clients, latencies.length, tool,
                latencies.length / seconds, latencies[latencies.length / 2] / 1e6,
                latencies[(int) (latencies.length * 0.99)] / 1e6, failures.get());
        System.exit(failures.get() == 0 ? 0 : 1);
    }

    static HttpRequest post(URI url, String token, String session, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .header("MCP-Protocol-Version", "2025-06-18")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (session != null) {
            b.header("Mcp-Session-Id", session);
        }
        return b.build();
    }

    static boolean call(HttpClient http, URI url, String token, String session, int id, String tool, String args)
            throws Exception {
        HttpResponse<String> r = http.send(post(url, token, session, "{\"jsonrpc\":\"2.0\",\"id\":" + id
                + ",\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool + "\",\"arguments\":" + args + "}}"),
                HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200 && r.body().contains("\"id\":" + id + ",\"result\"") && !r.body().contains("\"isError\":true");
    }

    /** One stateless 2026-07-28 tools/call: the headers mirror the body, the metadata is in params._meta. */
    static boolean callModern(HttpClient http, URI url, String token, int id, String tool, String args)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .header("MCP-Protocol-Version", "2026-07-28")
                .header("Mcp-Method", "tools/call")
                .header("Mcp-Name", tool)
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":" + id
                        + ",\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool + "\",\"arguments\":" + args
                        + ",\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\","
                        + "\"io.modelcontextprotocol/clientCapabilities\":{},"
                        + "\"io.modelcontextprotocol/clientInfo\":{\"name\":\"bench\",\"version\":\"1\"}}}}"));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200 && r.body().contains("\"id\":" + id + ",\"result\"")
                && !r.body().contains("\"isError\":true");
    }
}
