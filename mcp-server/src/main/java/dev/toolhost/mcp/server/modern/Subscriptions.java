package dev.toolhost.mcp.server.modern;

import dev.toolhost.mcp.client.ToolHub;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code subscriptions/listen} (spec {@code basic/patterns/subscriptions}): the stream first gets
 * {@code notifications/subscriptions/acknowledged} with the honored subset, then each list change the
 * subscriber opted into, every message stamped with {@code _meta["io.modelcontextprotocol/subscriptionId"]}
 * (the listen request's id). The subscription lasts until its future is cancelled (the client closed the
 * stream or sent {@code notifications/cancelled}) or the server ends it ({@link #close}).
 */
final class Subscriptions implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Subscriptions.class);
    private static final String TOOLS = "toolsListChanged";
    private static final String PROMPTS = "promptsListChanged";
    private static final String RESOURCES = "resourcesListChanged";

    private static final String RESOURCE_SUBSCRIPTIONS = "resourceSubscriptions";

    /** @param uris the resources whose updates this subscription gets */
    private record Subscription(
            Object id,
            Set<String> kinds,
            Set<String> uris,
            Consumer<Map<String, Object>> stream,
            CompletableFuture<Map<String, Object>> end) {}

    private final Set<Subscription> open = ConcurrentHashMap.newKeySet();
    private final ToolHub hub;

    Subscriptions(ToolHub hub) {
        this.hub = hub;
        hub.addResourceUpdatedListener(this::resourceUpdated);
        // The hub cannot forget a listener, so one set of listeners fans out to whoever listens now.
        hub.addToolsChangedListener(() -> publish(TOOLS, "notifications/tools/list_changed"));
        hub.addPromptsChangedListener(() -> publish(PROMPTS, "notifications/prompts/list_changed"));
        hub.addResourcesChangedListener(() -> publish(RESOURCES, "notifications/resources/list_changed"));
    }

    CompletableFuture<Map<String, Object>> listen(
            Object id, Map<String, Object> params, Consumer<Map<String, Object>> stream) throws ModernError {
        if (!(params.get("notifications") instanceof Map<?, ?> wanted)) {
            throw ModernError.invalidParams(
                    "Invalid params: 'notifications' is required: an object such as" + " {\"toolsListChanged\": true}");
        }
        Map<String, Object> honored = new LinkedHashMap<>();
        for (String kind : new String[] {TOOLS, PROMPTS, RESOURCES}) {
            if (Boolean.TRUE.equals(wanted.get(kind))) {
                honored.put(kind, true);
            }
        }
        // Resource updates come from the downstream servers that offer subscriptions (legacy resources/subscribe,
        // one downstream subscription per uri however many listen); a uri none of them offers is not honored.
        Set<String> uris = new LinkedHashSet<>();
        if (wanted.get(RESOURCE_SUBSCRIPTIONS) instanceof List<?> asked) {
            for (Object uri : asked) {
                if (uri instanceof String u
                        && hub.subscribeResource(u).handle((ok, e) -> e == null).join()) {
                    uris.add(u);
                }
            }
        }
        if (!uris.isEmpty()) {
            honored.put(RESOURCE_SUBSCRIPTIONS, List.copyOf(uris));
        }
        send(stream, "notifications/subscriptions/acknowledged", Map.of("notifications", honored), id);
        if (honored.isEmpty()) {
            return CompletableFuture.completedFuture(ended(id));
        }
        Subscription s =
                new Subscription(id, Set.copyOf(honored.keySet()), Set.copyOf(uris), stream, new CompletableFuture<>());
        open.add(s);
        s.end().whenComplete((r, e) -> {
            open.remove(s);
            s.uris().forEach(hub::unsubscribeResource);
        });
        return s.end();
    }

    private void publish(String kind, String method) {
        for (Subscription s : open) {
            if (s.kinds().contains(kind)) {
                send(s.stream(), method, Map.of(), s.id());
            }
        }
    }

    private void resourceUpdated(String uri) {
        for (Subscription s : open) {
            if (s.uris().contains(uri)) {
                send(s.stream(), "notifications/resources/updated", Map.of("uri", uri), s.id());
            }
        }
    }

    private static Map<String, Object> ended(Object id) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("_meta", Map.of(RequestEnvelope.SUBSCRIPTION_ID, id));
        return result;
    }

    private static void send(
            Consumer<Map<String, Object>> stream, String method, Map<String, Object> params, Object id) {
        Map<String, Object> p = new LinkedHashMap<>(params);
        p.put("_meta", Map.of(RequestEnvelope.SUBSCRIPTION_ID, id));
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("jsonrpc", "2.0");
        n.put("method", method);
        n.put("params", p);
        try {
            stream.accept(n);
        } catch (RuntimeException e) {
            log.debug("{} not delivered to subscription {}: {}", method, id, e.toString());
        }
    }

    /** Ends every subscription with its final result. */
    @Override
    public void close() {
        for (Subscription s : open) {
            s.end().complete(ended(s.id()));
        }
    }
}
