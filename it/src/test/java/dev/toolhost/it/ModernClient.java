package dev.toolhost.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs {@code it/peers/scripts/modern-client.mjs}, the TypeScript SDK v2 client (either era), with a spec and
 * returns its JSON lines. The spec's shape is documented in the script; for example:
 * <pre>{@code
 * ModernClient.Output out = ModernClient.run(Map.of(
 *         "transport", Map.of("type", "http", "url", url),
 *         "negotiation", "2026-07-28",
 *         "elicitation", Map.of("action", "accept", "content", Map.of("name", "Ada")),
 *         "operations", List.of(Map.of("op", "list_tools"),
 *                 Map.of("op", "call_tool", "name", "echo", "arguments", Map.of("message", "hi")))),
 *         Duration.ofSeconds(60));
 * assertEquals("modern", out.connected().get("era").asString());
 * assertEquals("Echo: hi", out.operations().get(1).get("text").asString());
 * }</pre>
 * The client runs on the machine's Node (20), in {@link Peers#peersDir()}; its stderr is passed through.
 */
public final class ModernClient {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ModernClient() {}

    /**
     * Runs the client to completion.
     *
     * @param spec    the spec (transport, negotiation, elicitation, operations, timeoutMs), turned into JSON
     * @param timeout how long the whole run may take
     * @throws AssertionError when it does not finish in time or exits with 2 (a bad spec)
     */
    public static Output run(Map<String, ?> spec, Duration timeout) {
        try {
            Path specFile = Files.createTempFile("modern-client-", ".json");
            Files.writeString(specFile, JSON.writeValueAsString(spec));
            Process p = new ProcessBuilder("node", "scripts/modern-client.mjs", "@" + specFile)
                    .directory(Peers.peersDir().toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            p.getOutputStream().close();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("modern-client.mjs did not finish within " + timeout);
            }
            String stdout = out.get(10, TimeUnit.SECONDS);
            Files.deleteIfExists(specFile);
            if (p.exitValue() == 2) {
                throw new AssertionError("modern-client.mjs rejected the spec " + spec);
            }
            List<JsonNode> lines = new ArrayList<>();
            for (String line : stdout.split("\n")) {
                if (!line.isBlank()) {
                    lines.add(JSON.readTree(line));
                }
            }
            return new Output(p.exitValue(), List.copyOf(lines));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("reading modern-client.mjs output failed", e);
        }
    }

    /**
     * What the client printed.
     *
     * @param exitCode 0 connected (each operation reports its own {@code ok}), 1 the connection failed
     * @param lines    every JSON line in order: the {@code connected} or {@code connect_failed} event, then one
     *                 per operation
     */
    public record Output(int exitCode, List<JsonNode> lines) {
        /** The {@code connected} event ({@code era}, {@code protocolVersion}, {@code serverInfo}). */
        public JsonNode connected() {
            JsonNode first = lines.isEmpty() ? null : lines.get(0);
            if (first == null || !"connected".equals(first.path("event").asString(""))) {
                throw new AssertionError("the client did not connect: " + lines);
            }
            return first;
        }

        /** One line per operation, in the spec's order. */
        public List<JsonNode> operations() {
            return lines.stream().filter(l -> l.has("op")).toList();
        }
    }
}
