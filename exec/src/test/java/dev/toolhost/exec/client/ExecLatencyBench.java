package dev.toolhost.exec.client;

import dev.toolhost.exec.ExecProcess;
import dev.toolhost.exec.ExecRequest;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Exec latency benchmark (docs/benchmarks.md, "Exec latency"); run it with {@code bench/exec-latency.sh}.
 * One-shot {@code /usr/bin/true} calls through {@link RemoteExecBackend} against a real
 * {@code toolhost exec-server} process: over stdio, over a loopback WebSocket, and through a
 * {@link FrameProxy} adding a fixed delay each way, with pushed-event completion versus a forced final
 * {@code process/read}. Not a test: nothing runs it but the script.
 */
public final class ExecLatencyBench {
    private static final int CALLS = 30;
    private static final int RUNS = 3;
    private static final int WARMUP = Integer.getInteger("warmup", 300);

    private ExecLatencyBench() {}

    /** One run's percentiles, in milliseconds. */
    private record Run(double e2eP50, double e2eP95, double waitP50, long reads) {}

    public static void main(String[] args) throws Exception {
        String jar = args.length > 0 ? args[0] : "host/target/toolhost-all.jar";
        long delayMs = args.length > 1 ? Long.parseLong(args[1]) : 20;
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> server = List.of(java, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar, "exec-server");

        List<String> rows = new ArrayList<>();
        try (RemoteExecBackend stdio =
                RemoteExecBackend.spawn(concat(server, "--listen", "stdio"), ClientOptions.defaults())) {
            rows.add(row("stdio (spawned server)", measure(stdio)));
        }
        Process ws = new ProcessBuilder(concat(server, "--listen", "ws://127.0.0.1:0"))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try {
            URI uri = URI.create(new BufferedReader(new InputStreamReader(ws.getInputStream(), StandardCharsets.UTF_8))
                    .readLine()
                    .strip());
            try (RemoteExecBackend direct = RemoteExecBackend.connect(uri, null, ClientOptions.defaults())) {
                rows.add(row("ws loopback", measure(direct)));
            }
            try (FrameProxy proxy = new FrameProxy(uri, delayMs)) {
                try (RemoteExecBackend pushed =
                        RemoteExecBackend.connect(proxy.uri(), null, ClientOptions.defaults())) {
                    rows.add(row("ws +" + delayMs + " ms each way, pushed events", measure(pushed)));
                }
                try (RemoteExecBackend finalRead = RemoteExecBackend.connect(
                        proxy.uri(), null, ClientOptions.defaults().withFinalRead(true))) {
                    rows.add(row("ws +" + delayMs + " ms each way, forced final read", measure(finalRead)));
                }
            }
        } finally {
            ws.destroy();
            ws.waitFor(5, TimeUnit.SECONDS);
        }
        System.out.println(
                "| transport / mode | e2e p50 (ms) | e2e p95 (ms) | completion-wait p50 (ms) | reads per 30 calls |");
        System.out.println("|---|---:|---:|---:|---:|");
        rows.forEach(System.out::println);
    }

    private static List<Run> measure(RemoteExecBackend backend) throws Exception {
        ExecRequest request = new ExecRequest(
                List.of("/usr/bin/true"), Path.of("/"), Map.of("PATH", "/usr/bin:/bin"), false, false, null);
        for (int i = 0; i < WARMUP; i++) {
            backend.start(request, chunk -> {}).completion().get(30, TimeUnit.SECONDS);
        }
        List<Run> runs = new ArrayList<>();
        for (int r = 0; r < RUNS; r++) {
            double[] e2e = new double[CALLS];
            double[] wait = new double[CALLS];
            long readsBefore = backend.readsIssued();
            for (int i = 0; i < CALLS; i++) {
                long t0 = System.nanoTime();
                ExecProcess p = backend.start(request, chunk -> {});
                long t1 = System.nanoTime();
                int code = p.completion().get(30, TimeUnit.SECONDS).exitCode();
                long t2 = System.nanoTime();
                if (code != 0) {
                    throw new IllegalStateException("/usr/bin/true exited " + code);
                }
                e2e[i] = (t2 - t0) / 1e6;
                wait[i] = (t2 - t1) / 1e6;
            }
            runs.add(new Run(
                    percentile(e2e, 50),
                    percentile(e2e, 95),
                    percentile(wait, 50),
                    backend.readsIssued() - readsBefore));
        }
        return runs;
    }

    private static String row(String name, List<Run> runs) {
        return String.format(
                "| %s | %.2f | %.2f | %.2f | %d |",
                name,
                median(runs.stream().mapToDouble(Run::e2eP50).toArray()),
                median(runs.stream().mapToDouble(Run::e2eP95).toArray()),
                median(runs.stream().mapToDouble(Run::waitP50).toArray()),
                Math.round(median(runs.stream().mapToDouble(Run::reads).toArray())));
    }

    /** Nearest-rank percentile. */
    private static double percentile(double[] values, int p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static List<String> concat(List<String> base, String... more) {
        List<String> all = new ArrayList<>(base);
        all.addAll(List.of(more));
        return all;
    }
}
