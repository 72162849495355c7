package dev.toolhost.mcp.server;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.function.Consumer;

/**
 * The SDK server's JSON mapper, telling {@code onSubscribe} the uri of every {@code resources/subscribe} it
 * decodes. The SDK server keeps each session's resource subscriptions itself and offers no hook for them; this is
 * where a gateway learns that a resource needs its downstream subscription.
 */
final class SubscribeWatchingMapper extends ForwardingJsonMapper {
    private final Consumer<String> onSubscribe;

    SubscribeWatchingMapper(McpJsonMapper json, Consumer<String> onSubscribe) {
        super(json);
        this.onSubscribe = onSubscribe;
    }

    @Override
    public <T> T convertValue(Object fromValue, Class<T> type) {
        return watched(json.convertValue(fromValue, type));
    }

    @Override
    public <T> T convertValue(Object fromValue, TypeRef<T> type) {
        return watched(json.convertValue(fromValue, type));
    }

    private <T> T watched(T value) {
        if (value instanceof McpSchema.SubscribeRequest s && s.uri() != null) {
            onSubscribe.accept(s.uri());
        }
        return value;
    }
}
