package dev.toolhost.it.agent;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import tools.jackson.databind.json.JsonMapper;

/**
 * A model provider on 127.0.0.1 that replays scripted replies over real HTTP with SSE, in the wire format
 * the request asks for: {@code POST /v1/responses} gets Responses API events, {@code POST
 * /v1/chat/completions} gets Chat Completions chunks. Every request body is recorded for assertions.
 */
public final class ScriptedModelServer implements AutoCloseable {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpServer server;
    private final BlockingQueue<Reply> replies = new LinkedBlockingQueue<>();
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch released = new CountDownLatch(1);

    /** A request the server received: its path, raw query (null without one), Authorization header and JSON body. */
    public record Recorded(String path, String query, String authorization, Map<String, Object> body) {
        /** The Responses {@code input} or the Chat {@code messages}. */
        @SuppressWarnings("unchecked")
        public List<Map<String, Object>> conversation() {
            Object items = body.containsKey("input") ? body.get("input") : body.get("messages");
            return (List<Map<String, Object>>) items;
        }

        @SuppressWarnings("unchecked")
        public List<Map<String, Object>> tools() {
            return (List<Map<String, Object>>) body.getOrDefault("tools", List.of());
        }
    }

    public sealed interface Reply {}

    /** A model answer: text and/or tool calls, rendered in the requested wire format. */
    public record Answer(String text, List<Call> calls, String reasoning) implements Reply {}

    public record Call(String id, String name, String arguments) {}

    /** A plain HTTP answer, e.g. a 429 with Retry-After. */
    public record Status(int code, Map<String, String> headers, String body) implements Reply {}

    /** A 200 event stream with exactly this body (for malformed streams). */
    public record RawStream(String body) implements Reply {}

    /** A 200 event stream that sends one comment and then nothing until the server closes. */
    public record Stall() implements Reply {}

    public static Answer text(String text) {
        return new Answer(text, List.of(), null);
    }

    public static Answer calls(Call... calls) {
        return new Answer("", List.of(calls), null);
    }

    public static Call call(String id, String name, Map<String, Object> arguments) {
        return new Call(id, name, JSON.writeValueAsString(arguments));
    }

    public static ScriptedModelServer start() throws IOException {
        return new ScriptedModelServer();
    }

    private ScriptedModelServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "scripted-model");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    public ScriptedModelServer reply(Reply... rs) {
        replies.addAll(List.of(rs));
        return this;
    }

    public List<Recorded> requests() {
        return List.copyOf(requests);
    }

    /** {@code -c} overrides that make this server the configured provider {@code scripted}. */
    public List<String> configOverrides(String wireApi) {
        return List.of(
                "model_provider=\"scripted\"",
                "model=\"scripted-model\"",
                "model_providers.scripted.base_url=\"" + baseUrl() + "\"",
                "model_providers.scripted.wire_api=\"" + wireApi + "\"",
                "model_providers.scripted.request_max_retries=2",
                "model_providers.scripted.stream_idle_timeout_ms=5000");
    }

    @SuppressWarnings("unchecked")
    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] raw = ex.getRequestBody().readAllBytes();
            Map<String, Object> body = raw.length == 0 ? Map.of() : JSON.readValue(raw, Map.class);
            String path = ex.getRequestURI().getPath();
            requests.add(new Recorded(
                    path,
                    ex.getRequestURI().getRawQuery(),
                    ex.getRequestHeaders().getFirst("Authorization"),
                    body));
            Reply reply = replies.poll();
            if (reply == null) {
                send(
                        ex,
                        400,
                        Map.of(),
                        "{\"error\":{\"message\":\"the scripted model has no reply left for request " + requests.size()
                                + "\"}}");
                return;
            }
            if (reply instanceof Status s) {
                send(ex, s.code(), s.headers(), s.body());
            } else if (reply instanceof RawStream r) {
                stream(ex, List.of(r.body()));
            } else if (reply instanceof Stall) {
                ex.getResponseHeaders().set("Content-Type", "text/event-stream");
                ex.sendResponseHeaders(200, 0);
                ex.getResponseBody().write(": waiting\n\n".getBytes(StandardCharsets.UTF_8));
                ex.getResponseBody().flush();
                released.await();
            } else if (reply instanceof Answer a) {
                stream(ex, path.endsWith("/chat/completions") ? chatEvents(a) : responsesEvents(a));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the client went away (a test of timeouts or cancellation): nothing to answer
        }
    }

    private static void send(HttpExchange ex, int code, Map<String, String> headers, String body) throws IOException {
        headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
        ex.getResponseHeaders().set("Content-Type", "application/json");
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(code, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    private static void stream(HttpExchange ex, List<String> events) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "text/event-stream");
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        for (String e : events) {
            out.write(e.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }

    private static String sse(String event, Map<String, Object> data) {
        return (event == null ? "" : "event: " + event + "\n") + "data: " + JSON.writeValueAsString(data) + "\n\n";
    }

    private static Map<String, Object> obj(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    static List<String> responsesEvents(Answer a) {
        List<String> out = new ArrayList<>();
        out.add(sse("response.created", obj("type", "response.created", "response", obj("id", "resp_1"))));
        if (a.reasoning() != null) {
            out.add(sse(
                    "response.reasoning_summary_text.delta",
                    obj("type", "response.reasoning_summary_text.delta", "delta", a.reasoning())));
        }
        if (!a.text().isEmpty()) {
            int half = a.text().length() / 2;
            for (String part : List.of(a.text().substring(0, half), a.text().substring(half))) {
                out.add(sse("response.output_text.delta", obj("type", "response.output_text.delta", "delta", part)));
            }
            out.add(sse(
                    "response.output_item.done",
                    obj(
                            "type",
                            "response.output_item.done",
                            "item",
                            obj(
                                    "type",
                                    "message",
                                    "role",
                                    "assistant",
                                    "content",
                                    List.of(obj("type", "output_text", "text", a.text()))))));
        }
        for (Call c : a.calls()) {
            out.add(sse(
                    "response.output_item.done",
                    obj(
                            "type",
                            "response.output_item.done",
                            "item",
                            obj(
                                    "type",
                                    "function_call",
                                    "id",
                                    "fc_" + c.id(),
                                    "call_id",
                                    c.id(),
                                    "name",
                                    c.name(),
                                    "arguments",
                                    c.arguments()))));
        }
        out.add(sse(
                "response.completed",
                obj(
                        "type",
                        "response.completed",
                        "response",
                        obj(
                                "id",
                                "resp_1",
                                "usage",
                                obj(
                                        "input_tokens",
                                        100,
                                        "input_tokens_details",
                                        obj("cached_tokens", 40),
                                        "output_tokens",
                                        7)))));
        return out;
    }

    static List<String> chatEvents(Answer a) {
        List<String> out = new ArrayList<>();
        if (a.reasoning() != null) {
            out.add(sse(null, chunk(obj("reasoning_content", a.reasoning()), null)));
        }
        if (!a.text().isEmpty()) {
            int half = a.text().length() / 2;
            out.add(sse(null, chunk(obj("role", "assistant", "content", a.text().substring(0, half)), null)));
            out.add(sse(null, chunk(obj("content", a.text().substring(half)), null)));
        }
        for (int i = 0; i < a.calls().size(); i++) {
            Call c = a.calls().get(i);
            int half = c.arguments().length() / 2;
            out.add(sse(
                    null,
                    chunk(
                            obj(
                                    "tool_calls",
                                    List.of(obj(
                                            "index",
                                            i,
                                            "id",
                                            c.id(),
                                            "type",
                                            "function",
                                            "function",
                                            obj(
                                                    "name",
                                                    c.name(),
                                                    "arguments",
                                                    c.arguments().substring(0, half))))),
                            null)));
            out.add(sse(
                    null,
                    chunk(
                            obj(
                                    "tool_calls",
                                    List.of(obj(
                                            "index",
                                            i,
                                            "function",
                                            obj("arguments", c.arguments().substring(half))))),
                            null)));
        }
        out.add(sse(null, chunk(obj(), a.calls().isEmpty() ? "stop" : "tool_calls")));
        out.add(sse(
                null,
                obj(
                        "id",
                        "chatcmpl-1",
                        "choices",
                        List.of(),
                        "usage",
                        obj(
                                "prompt_tokens",
                                100,
                                "prompt_tokens_details",
                                obj("cached_tokens", 40),
                                "completion_tokens",
                                7))));
        out.add("data: [DONE]\n\n");
        return out;
    }

    private static Map<String, Object> chunk(Map<String, Object> delta, String finish) {
        Map<String, Object> choice = obj("index", 0, "delta", delta);
        choice.put("finish_reason", finish);
        return obj("id", "chatcmpl-1", "object", "chat.completion.chunk", "choices", List.of(choice));
    }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
    }
}
