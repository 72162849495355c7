package dev.toolhost.config;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The config as one TOML-shaped tree built by laying layers over each other (defaults, file, profile,
 * {@code -c} overrides, flags). Tables merge key by key; any other value replaces what was there. It
 * remembers which layer last set each key, for error messages and {@code config show}.
 */
final class LayeredTree {
    private final ObjectNode root = JsonNodeFactory.instance.objectNode();
    private final Map<String, String> origins = new LinkedHashMap<>();

    ObjectNode root() {
        return root;
    }

    /** Lays {@code layer} over the tree; {@code origin} describes where a dotted key of the layer came from. */
    void apply(ObjectNode layer, Function<String, String> origin) {
        merge(root, layer, "", origin);
    }

    /** Sets one value, as a flag does. */
    void set(String key, JsonNode value, String origin) {
        ObjectNode layer = JsonNodeFactory.instance.objectNode();
        layer.set(key, value);
        apply(layer, k -> origin);
    }

    /** Origin of the key, else of its nearest ancestor, else "default". */
    String originOf(String dotted) {
        String p = dotted;
        while (true) {
            String o = origins.get(p);
            if (o != null) {
                return o;
            }
            int dot = p.lastIndexOf('.');
            if (dot < 0) {
                return "default";
            }
            p = p.substring(0, dot);
        }
    }

    Map<String, String> origins() {
        return origins;
    }

    private void merge(ObjectNode target, ObjectNode layer, String prefix, Function<String, String> origin) {
        for (Map.Entry<String, JsonNode> e : layer.properties()) {
            String path = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            JsonNode value = e.getValue();
            JsonNode existing = target.get(e.getKey());
            origins.put(path, origin.apply(path));
            if (value.isObject() && existing != null && existing.isObject()) {
                merge((ObjectNode) existing, (ObjectNode) value, path, origin);
            } else {
                target.set(e.getKey(), value.deepCopy());
                forgetBelow(path);
                remember(value, path, origin);
            }
        }
    }

    private void remember(JsonNode value, String path, Function<String, String> origin) {
        if (value.isObject()) {
            for (Map.Entry<String, JsonNode> e : value.properties()) {
                String child = path + "." + e.getKey();
                origins.put(child, origin.apply(child));
                remember(e.getValue(), child, origin);
            }
        }
    }

    private void forgetBelow(String path) {
        String prefix = path + ".";
        for (Iterator<String> it = origins.keySet().iterator(); it.hasNext(); ) {
            if (it.next().startsWith(prefix)) {
                it.remove();
            }
        }
    }
}
