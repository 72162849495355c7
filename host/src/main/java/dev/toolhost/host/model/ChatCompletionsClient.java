package dev.toolhost.host.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/**
 * Chat Completions ({@code POST /chat/completions}, streamed), {@code wire_api = "chat"}: the shape
 * Ollama, vLLM and LM Studio serve.
 */
public final class ChatCompletionsClient implements ModelClient {
    private final ModelHttp http;

    public ChatCompletionsClient(ModelHttp http) {
        this.http = http;
    }

    @Override
    public ModelResponse stream(ModelRequest request, ModelStreamListener listener)
            throws ModelException, InterruptedException {
        return http.stream("/chat/completions", request.model(), body(request), listener, this::read);
    }

    static Map<String, Object> body(ModelRequest request) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", request.model());
        body.put("messages", messages(request));
        if (!request.tools().isEmpty()) {
            List<Map<String, Object>> tools = new ArrayList<>();
            for (FunctionTool t : request.tools()) {
                Map<String, Object> fn = new LinkedHashMap<>();
                fn.put("name", t.name());
                fn.put("description", t.description());
                fn.put("parameters", t.parameters());
                tools.add(Map.of("type", "function", "function", fn));
            }
            body.put("tools", tools);
        }
        body.put("stream", true);
        body.put("stream_options", Map.of("include_usage", true));
        return body;
    }

    /** Consecutive function calls (and the text before them) become one assistant message. */
    private static List<Map<String, Object>> messages(ModelRequest request) {
        List<Map<String, Object>> messages = new ArrayList<>();
        if (request.instructions() != null) {
            messages.add(Map.of("role", "system", "content", request.instructions()));
        }
        Map<String, Object> assistant = null;
        for (ConversationItem item : request.input()) {
            if (item instanceof ConversationItem.FunctionCall c) {
                if (assistant == null) {
                    assistant = assistantMessage(null);
                    messages.add(assistant);
                }
                @SuppressWarnings("unchecked")
                List<Object> calls = (List<Object>) assistant.computeIfAbsent("tool_calls", k -> new ArrayList<>());
                calls.add(Map.of(
                        "id",
                        c.callId(),
                        "type",
                        "function",
                        "function",
                        Map.of("name", c.name(), "arguments", c.arguments())));
                continue;
            }
            assistant = null;
            if (item instanceof ConversationItem.UserMessage u) {
                messages.add(Map.of("role", "user", "content", u.text()));
            } else if (item instanceof ConversationItem.AssistantMessage a) {
                assistant = assistantMessage(a.text());
                messages.add(assistant);
            } else if (item instanceof ConversationItem.FunctionCallOutput o) {
                messages.add(Map.of("role", "tool", "tool_call_id", o.callId(), "content", o.output()));
            }
        }
        return messages;
    }

    private static Map<String, Object> assistantMessage(String text) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("role", "assistant");
        m.put("content", text);
        return m;
    }

    private ModelResponse read(SseStream stream, ModelStreamListener listener)
            throws ModelException, InterruptedException {
        String provider = http.provider().id();
        StringBuilder text = new StringBuilder();
        StringBuilder reasoning = new StringBuilder();
        TreeMap<Integer, PartialCall> calls = new TreeMap<>();
        Usage usage = Usage.ZERO;
        boolean finished = false;
        SseEvent event;
        while ((event = stream.next()) != null) {
            String data = event.data().strip();
            if (data.isEmpty()) {
                continue;
            }
            if (data.equals("[DONE]")) {
                return response(provider, text, reasoning, calls, usage);
            }
            JsonNode chunk = StreamJson.parse(provider, data);
            if (chunk.path("type").asString("").startsWith("response.")) {
                throw new ModelException("model provider '" + provider + "' answers with Responses API events, but"
                        + " its wire_api is \"chat\": set model_providers." + provider + ".wire_api = \"responses\"");
            }
            if (chunk.has("error")) {
                throw new ModelException(
                        "model provider '" + provider + "' reported an error: " + ModelHttp.errorMessage(data));
            }
            JsonNode u = chunk.path("usage");
            if (u.isObject()) {
                usage = new Usage(
                        u.path("prompt_tokens").asLong(0),
                        u.path("prompt_tokens_details").path("cached_tokens").asLong(0),
                        u.path("completion_tokens").asLong(0));
            }
            for (JsonNode choice : chunk.path("choices")) {
                JsonNode delta = choice.path("delta");
                String content = delta.path("content").asString("");
                if (!content.isEmpty()) {
                    text.append(content);
                    listener.textDelta(content);
                }
                String thought = delta.path("reasoning_content")
                        .asString(delta.path("reasoning").asString(""));
                if (!thought.isEmpty()) {
                    reasoning.append(thought);
                    listener.reasoningDelta(thought);
                }
                for (JsonNode tc : delta.path("tool_calls")) {
                    int index = tc.path("index").asInt(calls.size());
                    PartialCall call = calls.computeIfAbsent(index, i -> new PartialCall());
                    if (tc.path("id").isString() && !tc.path("id").asString().isEmpty()) {
                        call.id = tc.path("id").asString();
                    }
                    JsonNode fn = tc.path("function");
                    if (fn.path("name").isString()) {
                        call.name.append(fn.path("name").asString());
                    }
                    call.arguments.append(fn.path("arguments").asString(""));
                }
                if (choice.path("finish_reason").isString()) {
                    finished = true;
                }
            }
        }
        if (finished) {
            // Some servers end the body without [DONE] once a finish_reason was sent.
            return response(provider, text, reasoning, calls, usage);
        }
        throw ModelException.streamBroken("the stream from model provider '" + provider
                + "' ended before the response completed (no finish_reason and no [DONE])");
    }

    private static ModelResponse response(
            String provider,
            StringBuilder text,
            StringBuilder reasoning,
            TreeMap<Integer, PartialCall> partial,
            Usage usage)
            throws ModelException {
        List<ConversationItem.FunctionCall> calls = new ArrayList<>();
        for (var e : partial.entrySet()) {
            PartialCall p = e.getValue();
            if (p.name.isEmpty()) {
                throw new ModelException("malformed stream from model provider '" + provider + "': tool call "
                        + e.getKey() + " has no function name");
            }
            String args = p.arguments.isEmpty() ? "{}" : p.arguments.toString();
            calls.add(new ConversationItem.FunctionCall(
                    p.id != null ? p.id : "call_" + e.getKey(), p.name.toString(), args));
        }
        return new ModelResponse(text.toString(), reasoning.toString().strip(), calls, usage);
    }

    private static final class PartialCall {
        String id;
        final StringBuilder name = new StringBuilder();
        final StringBuilder arguments = new StringBuilder();
    }
}
