import dev.toolhost.config.McpServerConfig;
import dev.toolhost.mcp.client.CallContext;
import dev.toolhost.mcp.client.McpHub;
import dev.toolhost.mcp.client.LosslessStdioClientTransport;
import dev.toolhost.mcp.client.StdioLaunch;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Hub benchmarks (run by bench/hub.sh; not part of the test suite).
 *
 * 1. Per-call overhead: 2,000 sequential echo calls to server-everything over stdio, after 500
 *    warm-up calls, through (a) the SDK client on the SDK's stdio transport, (b) the SDK client on
 *    Toolhost's stdio transport, (c) the hub. (c) - (b) is what the hub itself adds.
 * 2. Parallel start: the slowest of three single-server hub starts vs one hub starting ten servers,
 *    for server-everything (CPU-bound start) and a server that is slow to start but cheap.
 */
public class HubBench {
    static final int WARMUP = 500;
    static final int CALLS = 2_000;

    public static void main(String[] args) throws Exception {
        String everything = args[0];
        Path logs = Files.createTempDirectory("hub-bench-logs");
        Map<String, String> env = Map.of("PATH", System.getenv("PATH"), "HOME", System.getProperty("user.home"));

        ServerParameters params = ServerParameters.builder(everything).build();
        report("SDK client + SDK StdioClientTransport", direct(new StdioClientTransport(params, McpJsonDefaults.getMapper())));
        report("SDK client + Toolhost LosslessStdioClientTransport", direct(new LosslessStdioClientTransport(
                new StdioLaunch("e", List.of(everything), env, null, logs.resolve("e.log")))));
        report("McpHub (Toolhost transport + hub)", viaHub(everything, logs));

        parallelStart("server-everything", McpServerConfig.stdio("x", everything, List.of()), logs);
        parallelStart("bench/hub-slow-server.py (1 s latency-bound start, little CPU)",
                McpServerConfig.stdio("x", args[2], List.of(args[1], "1")), logs);
    }

    static long[] direct(McpClientTransport transport) {
        McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(30)).build();
        try {
            client.initialize();
            McpSchema.CallToolRequest req = new McpSchema.CallToolRequest("echo", Map.of("message", "bench"));
            for (int i = 0; i < WARMUP; i++) {
                client.callTool(req);
            }
            long[] t = new long[CALLS];
            for (int i = 0; i < CALLS; i++) {
                long t0 = System.nanoTime();
                client.callTool(req);
                t[i] = System.nanoTime() - t0;
            }
            return t;
        } finally {
            client.closeGracefully();
        }
    }

    static long[] viaHub(String everything, Path logs) {
        try (McpHub hub = McpHub.builder().logDirectory(logs).server(McpServerConfig.stdio("e", everything, List.of()))
                .build()) {
            Map<String, Object> a = Map.of("message", "bench");
            for (int i = 0; i < WARMUP; i++) {
                hub.call("mcp__e__echo", a, CallContext.none()).join();
            }
            long[] t = new long[CALLS];
            for (int i = 0; i < CALLS; i++) {
                long t0 = System.nanoTime();
                hub.call("mcp__e__echo", a, CallContext.none()).join();
                t[i] = System.nanoTime() - t0;
            }
            return t;
        }
    }

    static void parallelStart(String label, McpServerConfig template, Path logs) {
        long slowestSingle = 0;
        for (int i = 0; i < 3; i++) {
            long t0 = System.nanoTime();
            try (McpHub hub = McpHub.builder().logDirectory(logs).server(rename(template, "single" + i)).build()) {
                slowestSingle = Math.max(slowestSingle, System.nanoTime() - t0);
            }
        }
        McpHub.Builder b = McpHub.builder().logDirectory(logs);
        for (int i = 0; i < 10; i++) {
            b.server(rename(template, "s" + i));
        }
        long t0 = System.nanoTime();
        long ten;
        try (McpHub hub = b.build()) {
            ten = System.nanoTime() - t0;
            long ready = hub.servers().stream().filter(s -> s.state().name().equals("READY")).count();
            System.out.printf("parallel start, %s: slowest single %.0f ms, ten at once %.0f ms (%d ready), ratio %.2f%n",
                    label, slowestSingle / 1e6, ten / 1e6, ready, (double) ten / slowestSingle);
        }
    }

    static McpServerConfig rename(McpServerConfig c, String name) {
        return new McpServerConfig(name, c.command(), c.args(), c.env(), c.envVars(), c.cwd(), c.url(),
                c.bearerTokenEnvVar(), c.httpHeaders(), c.envHttpHeaders(), c.enabled(), c.required(),
                Duration.ofSeconds(60), c.toolTimeout(), c.enabledTools(), c.disabledTools());
    }

    static void report(String label, long[] t) {
        long[] s = t.clone();
        Arrays.sort(s);
        System.out.printf("%-45s p50 %.3f ms  p99 %.3f ms  (%d calls)%n", label, s[s.length / 2] / 1e6,
                s[(int) (s.length * 0.99)] / 1e6, s.length);
    }
}
