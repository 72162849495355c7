package dev.toolhost.mcp.client;

import io.modelcontextprotocol.spec.McpSchema;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON-RPC messages built by hand from a parsed JSON object. The SDK's
 * {@code McpSchema.deserializeJsonRpcMessage} parses to a map and then converts the map to the
 * message record through a token buffer (a second serialize/parse); on the hot path of a busy
 * server that conversion cost as much as the parse itself. Both of Toolhost's stdio transports (client
 * and server side) read lines through this. {@code tools/call} params become a {@code CallToolRequest}
 * here too, which the MCP server's params mapper then passes through unconverted.
 */
public final class JsonRpcMessages {
    /** Deepest nesting a message may have; Jackson's default (500) refused valid messages. */
    static final int MAX_NESTING_DEPTH = 10_000;

    /** Skims a line without keeping its values, so neither size nor depth stops it. */
    private static final JsonFactory OUTLINE_FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength(Integer.MAX_VALUE)
                    .maxNumberLength(Integer.MAX_VALUE)
                    .maxNameLength(Integer.MAX_VALUE)
                    .maxNestingDepth(Integer.MAX_VALUE)
                    .build())
            .build();

    private JsonRpcMessages() {}

    /**
     * A mapper that parses any message up to {@code maxMessageBytes}: Jackson's own limits (strings
     * of 20 MB, numbers of 1000 digits, nesting depth 500) are raised to it, so the line limit is the
     * only size limit there is.
     */
    public static JsonMapper readerFor(int maxMessageBytes) {
        return JsonMapper.builder(JsonFactory.builder()
                        .streamReadConstraints(StreamReadConstraints.builder()
                                .maxStringLength(maxMessageBytes)
                                .maxNumberLength(maxMessageBytes)
                                .maxNameLength(maxMessageBytes)
                                .maxNestingDepth(MAX_NESTING_DEPTH)
                                .build())
                        .build())
                .build();
    }

    /**
     * What the top level of a line that could not be read as a message still says: its {@code id}
     * (null when it has none or the line breaks off before it) and whether it has a {@code method}.
     */
    public record Outline(Object id, boolean hasMethod) {}

    /** Skims a line's top-level members (values are skipped, not kept) up to its end or its first error. */
    public static Outline outline(InputStream line) {
        Object id = null;
        boolean method = false;
        try (JsonParser p = OUTLINE_FACTORY.createParser(ObjectReadContext.empty(), line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return new Outline(null, false);
            }
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if ("id".equals(name) && value == JsonToken.VALUE_STRING) {
                    id = p.getString();
                } else if ("id".equals(name) && value == JsonToken.VALUE_NUMBER_INT) {
                    id = p.getNumberValue();
                } else {
                    method |= "method".equals(name);
                    p.skipChildren();
                }
            }
        } catch (RuntimeException e) { // JacksonException included
            // the line breaks off here: what was seen before stands
        }
        return new Outline(id, method);
    }

    /**
     * The messages a parsed line holds: one object, or a JSON-RPC batch (an array of them, which
     * protocol 2025-03-26 allowed); an IllegalArgumentException saying why when it holds none.
     */
    public static List<McpSchema.JSONRPCMessage> fromJson(Object parsed) {
        if (!(parsed instanceof List<?> batch)) {
            return List.of(fromMap(parsed instanceof Map<?, ?> m ? m : null));
        }
        if (batch.isEmpty()) {
            throw new IllegalArgumentException("an empty batch");
        }
        List<McpSchema.JSONRPCMessage> messages = new ArrayList<>(batch.size());
        for (Object item : batch) {
            messages.add(fromMap(item instanceof Map<?, ?> m ? m : null));
        }
        return messages;
    }

    /**
     * The message a parsed JSON object holds, or an IllegalArgumentException saying why it is none.
     */
    public static McpSchema.JSONRPCMessage fromMap(Map<?, ?> m) {
        if (m == null) {
            throw new IllegalArgumentException("expected a JSON object");
        }
        if (!McpSchema.JSONRPC_VERSION.equals(m.get("jsonrpc"))) {
            throw new IllegalArgumentException("\"jsonrpc\" must be \"2.0\"");
        }
        Object id = m.get("id");
        if (id != null && !(id instanceof String) && !(id instanceof Number)) {
            throw new IllegalArgumentException("\"id\" must be a string or a number");
        }
        Object method = m.get("method");
        if (method != null) {
            if (!(method instanceof String name)) {
                throw new IllegalArgumentException("\"method\" must be a string");
            }
            Object params = m.get("params");
            return m.containsKey("id")
                    ? new McpSchema.JSONRPCRequest(
                            McpSchema.JSONRPC_VERSION,
                            name,
                            id,
                            McpSchema.METHOD_TOOLS_CALL.equals(name) ? callToolRequest(params) : params)
                    : new McpSchema.JSONRPCNotification(McpSchema.JSONRPC_VERSION, name, params);
        }
        if (m.containsKey("result")) {
            return new McpSchema.JSONRPCResponse(McpSchema.JSONRPC_VERSION, id, m.get("result"), null);
        }
        if (m.get("error") instanceof Map<?, ?> e && e.get("code") instanceof Number code) {
            Object message = e.get("message");
            return new McpSchema.JSONRPCResponse(
                    McpSchema.JSONRPC_VERSION,
                    id,
                    null,
                    new McpSchema.JSONRPCResponse.JSONRPCError(
                            code.intValue(), message == null ? null : message.toString(), e.get("data")));
        }
        throw new IllegalArgumentException("neither a request, a notification nor a response (no \"method\","
                + " \"result\" or \"error\" with a numeric \"code\")");
    }

    /**
     * {@code tools/call} params as the record the SDK's handler converts them to, or unchanged when they have an unexpected shape, so that the SDK
     * reports the problem as usual.
     */
    @SuppressWarnings("unchecked")
    private static Object callToolRequest(Object params) {
        if (params instanceof Map<?, ?> p
                && p.get("name") instanceof String name
                && (p.get("arguments") == null || p.get("arguments") instanceof Map)
                && (p.get("_meta") == null || p.get("_meta") instanceof Map)) {
            return new McpSchema.CallToolRequest(
                    name, (Map<String, Object>) p.get("arguments"), (Map<String, Object>) p.get("_meta"));
        }
        return params;
    }

    private static final Set<String> RESULT_FIELDS = Set.of("content", "isError", "structuredContent", "_meta");
    private static final Set<String> TEXT_FIELDS = Set.of("type", "text", "_meta");

    /**
     * A {@code tools/call} result in its most common shape (text content only, no annotations) as
     * the SDK record, or null for any other shape, which the caller then converts the SDK's way.
     */
    @SuppressWarnings("unchecked")
    public static McpSchema.CallToolResult callToolResult(Object result) {
        if (!(result instanceof Map<?, ?> m)
                || !RESULT_FIELDS.containsAll(m.keySet())
                || !(m.get("content") instanceof List<?> items)
                || (m.get("isError") != null && !(m.get("isError") instanceof Boolean))
                || (m.get("_meta") != null && !(m.get("_meta") instanceof Map))) {
            return null;
        }
        List<McpSchema.Content> content = new ArrayList<>(items.size());
        for (Object item : items) {
            if (!(item instanceof Map<?, ?> c)
                    || !"text".equals(c.get("type"))
                    || !(c.get("text") instanceof String text)
                    || !TEXT_FIELDS.containsAll(c.keySet())
                    || (c.get("_meta") != null && !(c.get("_meta") instanceof Map))) {
                return null;
            }
            content.add(new McpSchema.TextContent(null, text, (Map<String, Object>) c.get("_meta")));
        }
        return new McpSchema.CallToolResult(
                content, (Boolean) m.get("isError"), m.get("structuredContent"), (Map<String, Object>) m.get("_meta"));
    }
}
