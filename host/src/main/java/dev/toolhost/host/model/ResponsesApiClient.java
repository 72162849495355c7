package dev.toolhost.host.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** The OpenAI Responses API ({@code POST /responses}, streamed), {@code wire_api = "responses"}. */
public final class ResponsesApiClient implements ModelClient {
    private final ModelHttp http;

    public ResponsesApiClient(ModelHttp http) {
        this.http = http;
    }

    @Override
    public ModelResponse stream(ModelRequest request, ModelStreamListener listener)
            throws ModelException, InterruptedException {
        return http.stream("/responses", request.model(), body(request), listener, this::read);
    }

    static Map<String, Object> body(ModelRequest request) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", request.model());
        if (request.instructions() != null) {
            body.put("instructions", request.instructions());
        }
        List<Map<String, Object>> input = new ArrayList<>();
        for (ConversationItem item : request.input()) {
            input.add(inputItem(item));
        }
        body.put("input", input);
        List<Map<String, Object>> tools = new ArrayList<>();
        for (FunctionTool t : request.tools()) {
            Map<String, Object> tool = new LinkedHashMap<>();
            tool.put("type", "function");
            tool.put("name", t.name());
            tool.put("description", t.description());
            tool.put("parameters", t.parameters());
            tool.put("strict", false);
            tools.add(tool);
        }
        if (!tools.isEmpty()) {
            // OpenAI rejects tool_choice / parallel_tool_calls without tools.
            body.put("tools", tools);
            body.put("tool_choice", "auto");
            body.put("parallel_tool_calls", true);
        }
        body.put("store", false);
        body.put("stream", true);
        return body;
    }

    private static Map<String, Object> inputItem(ConversationItem item) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (item instanceof ConversationItem.UserMessage u) {
            m.put("type", "message");
            m.put("role", "user");
            m.put("content", List.of(Map.of("type", "input_text", "text", u.text())));
        } else if (item instanceof ConversationItem.AssistantMessage a) {
            m.put("type", "message");
            m.put("role", "assistant");
            m.put("content", List.of(Map.of("type", "output_text", "text", a.text())));
        } else if (item instanceof ConversationItem.FunctionCall c) {
            m.put("type", "function_call");
            m.put("call_id", c.callId());
            m.put("name", c.name());
            m.put("arguments", c.arguments());
        } else if (item instanceof ConversationItem.FunctionCallOutput o) {
            m.put("type", "function_call_output");
            m.put("call_id", o.callId());
            m.put("output", o.output());
        }
        return m;
    }

    private ModelResponse read(SseStream stream, ModelStreamListener listener)
            throws ModelException, InterruptedException {
        String provider = http.provider().id();
        StringBuilder text = new StringBuilder();
        StringBuilder reasoning = new StringBuilder();
        List<ConversationItem.FunctionCall> calls = new ArrayList<>();
        SseEvent event;
        while ((event = stream.next()) != null) {
            if (event.data().isBlank() || event.data().equals("[DONE]")) {
                continue;
            }
            JsonNode data = StreamJson.parse(provider, event.data());
            if (data.has("choices")) {
                throw new ModelException("model provider '" + provider + "' answers with Chat Completions chunks,"
                        + " but its wire_api is \"responses\": set model_providers." + provider
                        + ".wire_api = \"chat\"");
            }
            String type = data.path("type").isString() ? data.path("type").asString() : event.event();
            if (type == null) {
                continue;
            }
            switch (type) {
                case "response.output_text.delta" -> {
                    String delta = data.path("delta").asString("");
                    text.append(delta);
                    listener.textDelta(delta);
                }
                case "response.reasoning_summary_text.delta", "response.reasoning_text.delta" -> {
                    String delta = data.path("delta").asString("");
                    reasoning.append(delta);
                    listener.reasoningDelta(delta);
                }
                case "response.reasoning_summary_part.done" -> reasoning.append("\n\n");
                case "response.output_item.done" -> outputItem(provider, data.path("item"), text, reasoning, calls);
                case "response.completed" -> {
                    return new ModelResponse(
                            text.toString(),
                            reasoning.toString().strip(),
                            calls,
                            usage(data.path("response").path("usage")));
                }
                case "response.failed", "response.incomplete" ->
                    throw new ModelException("model provider '"
                            + provider + "' " + (type.endsWith("failed") ? "failed" : "did not finish")
                            + " the response: "
                            + reason(data.path("response")));
                case "error" ->
                    throw new ModelException("model provider '" + provider + "' reported an error: " + message(data));
                default -> {
                    // created, in_progress, content_part.*, output_item.added, *.done duplicates: nothing to do
                }
            }
        }
        throw ModelException.streamBroken("the stream from model provider '" + provider
                + "' ended before the response completed (no response.completed event)");
    }

    private static void outputItem(
            String provider,
            JsonNode item,
            StringBuilder text,
            StringBuilder reasoning,
            List<ConversationItem.FunctionCall> calls)
            throws ModelException {
        String type = item.path("type").asString("");
        switch (type) {
            case "function_call" -> {
                String name = item.path("name").asString("");
                if (name.isEmpty()) {
                    throw new ModelException("malformed stream from model provider '" + provider
                            + "': a function_call item has no name");
                }
                String callId = item.path("call_id").asString(item.path("id").asString("call_" + calls.size()));
                calls.add(new ConversationItem.FunctionCall(
                        callId, name, item.path("arguments").asString("{}")));
            }
            case "message" -> {
                if (text.isEmpty()) {
                    for (JsonNode part : item.path("content")) {
                        text.append(part.path("text").asString(""));
                    }
                }
            }
            case "reasoning" -> {
                if (reasoning.isEmpty()) {
                    for (JsonNode part : item.path("summary")) {
                        reasoning.append(part.path("text").asString("")).append("\n\n");
                    }
                }
            }
            default -> {}
        }
    }

    private static Usage usage(JsonNode u) {
        return new Usage(
                u.path("input_tokens").asLong(0),
                u.path("input_tokens_details").path("cached_tokens").asLong(0),
                u.path("output_tokens").asLong(0));
    }

    private static String reason(JsonNode response) {
        JsonNode error = response.path("error");
        if (!error.isMissingNode() && !error.isNull()) {
            return message(error);
        }
        JsonNode details = response.path("incomplete_details").path("reason");
        return details.isString() ? details.asString() : "no reason given";
    }

    private static String message(JsonNode error) {
        String msg = error.path("message").asString("");
        if (msg.isEmpty()) {
            msg = error.path("error").path("message").asString("unknown error");
        }
        String code = error.path("code").asString("");
        return code.isEmpty() ? msg : msg + " (" + code + ")";
    }
}
