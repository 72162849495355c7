package dev.toolhost.exec.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads and writes exec-protocol messages: one JSON object per stdio line or WebSocket text frame.
 * Input may carry {@code "jsonrpc":"2.0"} or not; output never does (as Codex's exec-server).
 * Thread-safe; share one instance.
 */
public final class RpcCodec {

    private static final Base64.Encoder BASE64 = Base64.getEncoder();
    private static final byte[] OUTPUT_TAIL = "\"}}".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OUTPUT_PREFIX =
            "{\"method\":\"process/output\",\"params\":{\"processId\":".getBytes(StandardCharsets.US_ASCII);

    private final JsonMapper mapper = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    public JsonMapper mapper() {
        return mapper;
    }

    /**
     * Parses one message.
     *
     * @throws RpcException {@link RpcError#INVALID_REQUEST} when the text is not JSON or not a message
     *                      (answer it with id {@link RpcError#UNPARSEABLE_ID})
     */
    public RpcMessage decode(String text) throws RpcException {
        JsonNode node;
        try {
            node = mapper.readTree(text);
        } catch (JacksonException e) {
            throw new RpcException(RpcError.INVALID_REQUEST, "invalid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new RpcException(RpcError.INVALID_REQUEST, "invalid request: expected a JSON object");
        }
        JsonNode id = node.get("id");
        JsonNode method = node.get("method");
        JsonNode params = node.get("params");
        if (method != null) {
            if (!method.isString()) {
                throw new RpcException(RpcError.INVALID_REQUEST, "invalid request: 'method' must be a string");
            }
            if (id == null || id.isNull()) {
                return new RpcMessage.Notification(method.asString(), params);
            }
            return new RpcMessage.Request(id, method.asString(), params);
        }
        if (node.has("error")) {
            RpcError error;
            try {
                error = mapper.treeToValue(node.get("error"), RpcError.class);
            } catch (JacksonException e) {
                throw new RpcException(RpcError.INVALID_REQUEST, "invalid error object: " + e.getOriginalMessage());
            }
            return new RpcMessage.ErrorResponse(id, error);
        }
        if (id != null && node.has("result")) {
            return new RpcMessage.Response(id, node.get("result"));
        }
        throw new RpcException(
                RpcError.INVALID_REQUEST,
                "invalid request: expected 'method' (request or notification) or 'result'/'error' (response)");
    }

    /** Converts params (or a result) to the given record; missing params read as {@code {}}. */
    public <T> T params(JsonNode params, Class<T> type) throws RpcException {
        try {
            return mapper.treeToValue(params == null || params.isNull() ? mapper.createObjectNode() : params, type);
        } catch (JacksonException e) {
            throw new RpcException(RpcError.INVALID_PARAMS, "invalid params: " + e.getOriginalMessage());
        }
    }

    /** A record (or any bean) as a JSON tree, for {@link RpcMessage} params and results. */
    public JsonNode tree(Object value) {
        return value instanceof JsonNode n ? n : mapper.valueToTree(value);
    }

    public RpcMessage.Request request(long id, String method, Object params) {
        return new RpcMessage.Request(JsonNodeFactory.instance.numberNode(id), method, tree(params));
    }

    public RpcMessage.Notification notification(String method, Object params) {
        return new RpcMessage.Notification(method, tree(params));
    }

    public RpcMessage.Response response(JsonNode id, Object result) {
        return new RpcMessage.Response(id, tree(result));
    }

    public RpcMessage.ErrorResponse error(JsonNode id, RpcError error) {
        return new RpcMessage.ErrorResponse(
                id == null ? JsonNodeFactory.instance.numberNode(RpcError.UNPARSEABLE_ID) : id, error);
    }

    /** The message as one line of JSON (no trailing newline). */
    public String encode(RpcMessage message) {
        ObjectNode out = mapper.createObjectNode();
        if (message instanceof RpcMessage.Request r) {
            out.set("id", r.id());
            out.put("method", r.method());
            if (r.params() != null) {
                out.set("params", r.params());
            }
        } else if (message instanceof RpcMessage.Notification n) {
            out.put("method", n.method());
            if (n.params() != null) {
                out.set("params", n.params());
            }
        } else if (message instanceof RpcMessage.Response r) {
            out.set("id", r.id());
            out.set("result", r.result() == null ? mapper.createObjectNode() : r.result());
        } else if (message instanceof RpcMessage.ErrorResponse e) {
            out.set("id", e.id() == null ? JsonNodeFactory.instance.nullNode() : e.id());
            out.set("error", mapper.valueToTree(e.error()));
        }
        return mapper.writeValueAsString(out);
    }

    /**
     * The hot path: a {@code process/output} notification as UTF-8 bytes, built without a JSON tree.
     */
    public byte[] encodeOutput(String processId, long seq, String stream, byte[] data, int off, int len) {
        byte[][] parts = encodeOutputParts(processId, seq, stream, data, off, len);
        byte[] out = new byte[parts[0].length + parts[1].length + parts[2].length];
        System.arraycopy(parts[0], 0, out, 0, parts[0].length);
        System.arraycopy(parts[1], 0, out, parts[0].length, parts[1].length);
        System.arraycopy(parts[2], 0, out, parts[0].length + parts[1].length, parts[2].length);
        return out;
    }

    /**
     * {@link #encodeOutput} as three pieces to send back to back (head, base64 data, tail), so a transport
     * can write them without joining: one base64 pass and no copy of the data.
     */
    public byte[][] encodeOutputParts(String processId, long seq, String stream, byte[] data, int off, int len) {
        byte[] b64 = off == 0 && len == data.length
                ? BASE64.encode(data)
                : BASE64.encode(Arrays.copyOfRange(data, off, off + len));
        return encodeOutputParts(processId, seq, stream, b64);
    }

    /** {@link #encodeOutputParts(String, long, String, byte[], int, int)} for data already base64-encoded. */
    public byte[][] encodeOutputParts(String processId, long seq, String stream, byte[] base64) {
        byte[] id = mapper.writeValueAsBytes(processId);
        byte[] mid =
                (",\"seq\":" + seq + ",\"stream\":\"" + stream + "\",\"chunk\":\"").getBytes(StandardCharsets.US_ASCII);
        byte[] head = new byte[OUTPUT_PREFIX.length + id.length + mid.length];
        System.arraycopy(OUTPUT_PREFIX, 0, head, 0, OUTPUT_PREFIX.length);
        System.arraycopy(id, 0, head, OUTPUT_PREFIX.length, id.length);
        System.arraycopy(mid, 0, head, OUTPUT_PREFIX.length + id.length, mid.length);
        return new byte[][] {head, base64, OUTPUT_TAIL};
    }

    public static String base64(byte[] data) {
        return BASE64.encodeToString(data);
    }

    /** @throws RpcException {@link RpcError#INVALID_PARAMS} when the text is not base64 */
    public static byte[] unbase64(String field, String text) throws RpcException {
        try {
            return Base64.getDecoder().decode(text == null ? "" : text);
        } catch (IllegalArgumentException e) {
            throw new RpcException(RpcError.INVALID_PARAMS, "invalid params: '" + field + "' is not base64");
        }
    }
}
