package dev.toolhost.mcp.client.modern;

import io.modelcontextprotocol.spec.McpClientTransport;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Era detection by the spec's backward-compatibility rules ({@code basic/versioning}, the stdio and
 * streamable HTTP transports): send {@code server/discover} at the preferred version and read the answer.
 * <ul>
 * <li>A DiscoverResult, or -32022 naming a version Toolhost speaks (retried at it): modern.</li>
 * <li>-32022 naming none, or another error only a modern server sends (-32020, -32021): a modern server
 *     Toolhost cannot use; never a fallback to legacy.</li>
 * <li>stdio: any other error, the process ending, or no answer in time: legacy.</li>
 * <li>HTTP: another error answer, or a 4xx whose body is no modern error: legacy (then streamable
 *     {@code initialize}, then HTTP+SSE); 401/403, 5xx, no connection or no answer: a failure.</li>
 * </ul>
 */
public final class EraProbe {

    /** How a probe came out. */
    public sealed interface Verdict permits Modern, Legacy, Failed {}

    /** A modern server; {@code client} is ready for requests at the negotiated version. */
    public record Modern(ModernClient client) implements Verdict {}

    public record Legacy(String why) implements Verdict {}

    public record Failed(String why, Throwable cause) implements Verdict {}

    private EraProbe() {}

    /** A modern client over a stdio transport that is not connected yet (this connects it, starting the process). */
    public static ModernClient stdio(
            McpClientTransport transport, String server, Map<String, Object> clientInfo, Consumer<String> warnings) {
        return new ModernClient(StdioWire.connect(transport), server, clientInfo, warnings);
    }

    /** A modern client for a streamable HTTP endpoint. */
    public static ModernClient http(
            URI endpoint,
            HttpHooks hooks,
            Duration connectTimeout,
            Executor executor,
            String server,
            Map<String, Object> clientInfo,
            Consumer<String> warnings) {
        return new ModernClient(new HttpWire(endpoint, hooks, connectTimeout, executor), server, clientInfo, warnings);
    }

    /** Probes with {@code server/discover}, waiting at most {@code timeout}. */
    public static Verdict probe(ModernClient client, Duration timeout) {
        CompletableFuture<ModernClient.Discovery> discovery = client.discover();
        try {
            discovery.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new Modern(client);
        } catch (TimeoutException e) {
            discovery.cancel(true);
            return client.isHttp()
                    ? new Failed("no answer to server/discover within " + timeout.toMillis() + " ms", e)
                    : new Legacy("no answer to server/discover within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Failed("interrupted while probing", e);
        } catch (ExecutionException e) {
            return classify(client.isHttp(), e.getCause());
        }
    }

    static Verdict classify(boolean http, Throwable cause) {
        if (cause instanceof ServerErrorException rpc) {
            if (rpc.isRpcError() && ModernProtocol.isModernError(rpc.code())) {
                return new Failed(rpc.getMessage(), rpc);
            }
            int status = rpc.httpStatus();
            if (http && (status == 401 || status == 403 || status >= 500)) {
                // HttpWire's message for an error without a JSON-RPC body already starts with the status.
                String why = rpc.getMessage().startsWith("HTTP " + status)
                        ? rpc.getMessage()
                        : "HTTP " + status + ": " + rpc.getMessage();
                return new Failed("server/discover was refused with " + why, rpc);
            }
            return new Legacy("server/discover answered: " + rpc.getMessage());
        }
        if (!http) {
            return new Legacy("no answer to server/discover: " + (cause == null ? "" : cause.getMessage()));
        }
        return new Failed(cause == null ? "server/discover failed" : cause.getMessage(), cause);
    }
}
