package dev.toolhost.mcp.server;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import java.io.IOException;

/**
 * The SDK server's JSON mapper, except that converting a value that already has the requested type
 * returns it as is. With {@link LosslessStdioServerTransportProvider} handing {@code tools/call}
 * params over as a ready {@code CallToolRequest}, this skips the SDK's map-to-record conversion
 * (a serialize/deserialize round trip through a token buffer) on every tool call.
 */
public final class TypedParamsMapper implements McpJsonMapper {
    private final McpJsonMapper json;

    public TypedParamsMapper(McpJsonMapper json) {
        this.json = json;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T convertValue(Object fromValue, Class<T> type) {
        return type != Object.class && type.isInstance(fromValue) ? (T) fromValue : json.convertValue(fromValue, type);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T convertValue(Object fromValue, TypeRef<T> type) {
        if (type.getType() instanceof Class<?> c && c != Object.class && c.isInstance(fromValue)) {
            return (T) fromValue;
        }
        return json.convertValue(fromValue, type);
    }

    @Override
    public <T> T readValue(String content, Class<T> type) throws IOException {
        return json.readValue(content, type);
    }

    @Override
    public <T> T readValue(byte[] content, Class<T> type) throws IOException {
        return json.readValue(content, type);
    }

    @Override
    public <T> T readValue(String content, TypeRef<T> type) throws IOException {
        return json.readValue(content, type);
    }

    @Override
    public <T> T readValue(byte[] content, TypeRef<T> type) throws IOException {
        return json.readValue(content, type);
    }

    @Override
    public String writeValueAsString(Object value) throws IOException {
        return json.writeValueAsString(value);
    }

    @Override
    public byte[] writeValueAsBytes(Object value) throws IOException {
        return json.writeValueAsBytes(value);
    }
}
