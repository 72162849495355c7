package dev.toolhost.mcp.server;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;

/**
 * The SDK server's JSON mapper, except that converting a value that already has the requested type
 * returns it as is. With {@link LosslessStdioServerTransportProvider} handing {@code tools/call}
 * params over as a ready {@code CallToolRequest}, this skips the SDK's map-to-record conversion
 * (a serialize/deserialize round trip through a token buffer) on every tool call.
 */
public final class TypedParamsMapper extends ForwardingJsonMapper {

    public TypedParamsMapper(McpJsonMapper json) {
        super(json);
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
}
