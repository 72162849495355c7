package dev.toolhost.it.server;

import dev.toolhost.it.Peers;
import dev.toolhost.mcp.client.LosslessStdioClientTransport;
import dev.toolhost.mcp.client.StdioLaunch;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/** Starting {@code toolhost mcp-server} in its modes and connecting real clients to it. */
final class ServerFixtures {
    /** A raw legacy {@code initialize} (2025-11-25, no capabilities), for tests that speak HTTP by hand. */
    static final String RAW_INIT = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
            + "\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}";

    private ServerFixtures() {}

    /** A Toolhost home with this config.toml (empty for none). */
    static Path home(Path dir, String configToml) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.toml"), configToml);
        return dir;
    }

    /** The environment a spawned Toolhost gets: ours, with its home pointed at {@code home}. */
    static Map<String, String> env(Path home) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("TOOLHOST_HOME", home.toString());
        return env;
    }

    /**
     * The MCP Java SDK client on a stdio connection to {@code toolhost ARGS}, initialized. The transport
     * is Toolhost's own lossless client transport (the SDK's drops messages, see java-stack.md).
     *
     * @param elicitation null for a client without the elicitation capability
     */
    static McpSyncClient stdioClient(
            Path home,
            Function<McpSchema.ElicitFormRequest, McpSchema.ElicitResult> elicitation,
            String... toolhostArgs) {
        var launch = new StdioLaunch(
                "toolhost", Peers.toolhost(toolhostArgs), env(home), null, home.resolve("server-stderr.log"));
        var spec = McpClient.sync(new LosslessStdioClientTransport(launch))
                .clientInfo(new McpSchema.Implementation("toolhost-it", "1"))
                .requestTimeout(Duration.ofSeconds(30))
                .initializationTimeout(Duration.ofSeconds(30));
        if (elicitation != null) {
            spec.capabilities(
                            McpSchema.ClientCapabilities.builder().elicitation().build())
                    .elicitation(elicitation);
        }
        McpSyncClient client = spec.build();
        client.initialize();
        return client;
    }

    /** Like {@link #stdioClient} without elicitation, handing every progress notification to {@code progress}. */
    static McpSyncClient stdioClientWithProgress(
            Path home, Consumer<McpSchema.ProgressNotification> progress, String... toolhostArgs) {
        var launch = new StdioLaunch(
                "toolhost", Peers.toolhost(toolhostArgs), env(home), null, home.resolve("server-stderr.log"));
        McpSyncClient client = McpClient.sync(new LosslessStdioClientTransport(launch))
                .clientInfo(new McpSchema.Implementation("toolhost-it", "1"))
                .requestTimeout(Duration.ofSeconds(30))
                .initializationTimeout(Duration.ofSeconds(30))
                .progressConsumer(progress)
                .build();
        client.initialize();
        return client;
    }

    static McpSyncClient httpClient(String url, String bearerToken) {
        return httpClient(url, bearerToken, spec -> spec);
    }

    /** Like {@link #httpClient(String, String)}, with the client's spec adjusted (capabilities, handlers) first. */
    static McpSyncClient httpClient(String url, String bearerToken, UnaryOperator<McpClient.SyncSpec> customize) {
        var transport = HttpClientStreamableHttpTransport.builder(url.substring(0, url.indexOf('/', 8)))
                .endpoint(url.substring(url.indexOf('/', 8)));
        if (bearerToken != null) {
            transport.httpRequestCustomizer((r, m, u, b, c) -> r.header("Authorization", "Bearer " + bearerToken));
        }
        McpSyncClient client = customize
                .apply(McpClient.sync(transport.build())
                        .clientInfo(new McpSchema.Implementation("toolhost-it", "1"))
                        .requestTimeout(Duration.ofSeconds(30)))
                .build();
        client.initialize();
        return client;
    }

    /**
     * A legacy caller's spec: 90 s requests, the elicitation and sampling capabilities, and these handlers for them.
     */
    static UnaryOperator<McpClient.SyncSpec> answering(
            Function<McpSchema.ElicitFormRequest, McpSchema.ElicitResult> elicit,
            Function<McpSchema.CreateMessageRequest, McpSchema.CreateMessageResult> sample) {
        return spec -> spec.requestTimeout(Duration.ofSeconds(90))
                .capabilities(McpSchema.ClientCapabilities.builder()
                        .elicitation()
                        .sampling()
                        .build())
                .elicitation(elicit)
                .sampling(sample);
    }

    /** A sampling answer: the assistant's {@code text}, from model "it-model". */
    static McpSchema.CreateMessageResult sampled(String text) {
        return new McpSchema.CreateMessageResult(
                McpSchema.Role.ASSISTANT,
                new McpSchema.TextContent(text),
                "it-model",
                McpSchema.CreateMessageResult.StopReason.END_TURN);
    }

    /**
     * One 2026-07-28 request over HTTP with the headers the wire requires ({@code Mcp-Name} from
     * {@code params.name}, or {@code params.uri} for {@code resources/read}), its {@code _meta} declaring
     * {@code capabilities}: the JSON-RPC response (the last {@code data:} line of an event stream).
     */
    static Map<String, Object> modernRequest(
            String url, String method, Map<String, Object> params, Map<String, Object> capabilities) throws Exception {
        Map<String, Object> p = new HashMap<>(params);
        p.put(
                "_meta",
                Map.of(
                        "io.modelcontextprotocol/protocolVersion",
                        "2026-07-28",
                        "io.modelcontextprotocol/clientInfo",
                        Map.of("name", "toolhost-it", "version", "1"),
                        "io.modelcontextprotocol/clientCapabilities",
                        capabilities));
        String body = McpJsonDefaults.getMapper()
                .writeValueAsString(Map.of("jsonrpc", "2.0", "id", 1, "method", method, "params", p));
        java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .header("MCP-Protocol-Version", "2026-07-28")
                .header("Mcp-Method", method)
                .timeout(Duration.ofSeconds(60))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body));
        Object name = params.get(method.equals("resources/read") ? "uri" : "name");
        if (name instanceof String n) {
            b.header("Mcp-Name", n);
        }
        String response = java.net.http.HttpClient.newHttpClient()
                .send(b.build(), java.net.http.HttpResponse.BodyHandlers.ofString())
                .body();
        String json = response.lines()
                .filter(l -> l.startsWith("data:"))
                .reduce((first, second) -> second)
                .map(l -> l.substring("data:".length()).trim())
                .orElse(response);
        @SuppressWarnings("unchecked")
        Map<String, Object> parsed = McpJsonDefaults.getMapper().readValue(json, Map.class);
        return parsed;
    }

    static String text(McpSchema.CallToolResult result) {
        StringBuilder b = new StringBuilder();
        for (McpSchema.Content c : result.content()) {
            if (c instanceof McpSchema.TextContent t) {
                b.append(t.text());
            }
        }
        return b.toString();
    }

    /** Runs a Node script from {@code it/peers/scripts} (cwd it/peers) and returns its last stdout line as JSON. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> node(Map<String, String> env, Duration timeout, String script, List<String> args)
            throws Exception {
        List<String> cmd = new ArrayList<>(List.of("node", "scripts/" + script));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .directory(Peers.peersDir().toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().putAll(env);
        Process p = pb.start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(script + " did not finish within " + timeout);
        }
        String stdout = out.get(5, TimeUnit.SECONDS).strip();
        if (p.exitValue() != 0) {
            throw new AssertionError(script + " exited with " + p.exitValue() + ": " + stdout);
        }
        String last = stdout.substring(stdout.lastIndexOf('\n') + 1);
        return McpJsonDefaults.getMapper().readValue(last, Map.class);
    }

    /** Runs a command to completion; returns exit code and combined output. */
    static Result run(Map<String, String> env, Duration timeout, List<String> cmd) throws Exception {
        ProcessBuilder pb =
                new ProcessBuilder(cmd).directory(Peers.peersDir().toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(cmd + " did not finish within " + timeout);
        }
        return new Result(p.exitValue(), out.get(5, TimeUnit.SECONDS));
    }

    /** The next line, failing after 30 s (the process is stuck, or what the test waits for never came). */
    static String readLine(BufferedReader in) throws Exception {
        String line = CompletableFuture.supplyAsync(() -> {
                    try {
                        return in.readLine();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                })
                .get(30, TimeUnit.SECONDS);
        if (line == null) {
            throw new AssertionError("the process closed its output");
        }
        return line;
    }

    record Result(int exitCode, String output) {}

    /** {@code toolhost mcp-server --http 127.0.0.1:0 ARGS}, running until closed. */
    static final class HttpServerProcess implements AutoCloseable {
        private static final Pattern URL = Pattern.compile("serving MCP \\(streamable HTTP\\) on (\\S+)");
        private final Process process;
        private final String url;
        private final StringBuffer stderr = new StringBuffer();

        HttpServerProcess(Path home, Map<String, String> extraEnv, String... args) throws Exception {
            List<String> cmd = new ArrayList<>(List.of("mcp-server", "--http", "127.0.0.1:0"));
            cmd.addAll(List.of(args));
            ProcessBuilder pb = new ProcessBuilder(Peers.toolhost(cmd.toArray(String[]::new)));
            pb.environment().putAll(env(home));
            pb.environment().putAll(extraEnv);
            process = pb.start();
            process.getOutputStream().close();
            url = Peers.announced(process, URL, stderr, Duration.ofSeconds(60));
        }

        String url() {
            return url;
        }

        /** {@code 127.0.0.1:PORT}, as a load balancer names this backend. */
        String hostPort() {
            URI u = URI.create(url);
            return u.getHost() + ":" + u.getPort();
        }

        /** Kills the process at once (SIGKILL, as a crash would), and waits until it is gone. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }

        String stderr() {
            return stderr.toString();
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
