package dev.toolhost.mcp.core;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.Specification;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.path.NodePath;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.NullNode;

/**
 * Checks tool arguments, or any JSON value, against a JSON Schema with the networknt json-schema-validator: the
 * dialect the schema's {@code $schema} names when it is a known draft (4, 6, 7, 2019-09, 2020-12), else 2020-12
 * (MCP's default); {@code format} is an annotation only. Schemas come from MCP servers, so nothing is ever loaded
 * from the network, files or the classpath: only the schema itself and its internal {@code $defs}/anchors resolve.
 * A schema that cannot be loaded or used (an external {@code $ref}, an invalid keyword) checks nothing: the server
 * remains the judge.
 *
 * <p>Each problem names the field by its path, e.g. {@code edits[1].oldText: required field is missing},
 * {@code cwd: unknown field (allowed: [cmd, workdir])}, {@code tty: expected a boolean, got a string ("false")};
 * other keywords give the library's message after the path, e.g. {@code count: must have a maximum value of 5}.
 * The one check of tool arguments: {@code toolhost call} runs it before calling any tool, and the built-in tools
 * run it on every call, whoever makes it. Compiled schemas are cached by content.
 */
public final class ArgumentValidator {
    private static final Logger LOG = LoggerFactory.getLogger(ArgumentValidator.class);
    private static final JsonMapper JSON = JsonMapper.shared();
    private static final int CACHED_SCHEMAS = 256;

    /** Known drafts by their (normalized) id; any other {@code $schema} means 2020-12, never a fetched meta-schema. */
    private static final SchemaRegistry REGISTRY = SchemaRegistry.builder()
            .defaultDialectId(Dialects.getDraft202012().getId())
            .dialectRegistry((id, registry) -> knownOrDefault(id))
            .schemaLoader(loader -> loader.allow(iri -> false))
            .schemaRegistryConfig(SchemaRegistryConfig.builder()
                    .formatAssertionsEnabled(false)
                    .build())
            .build();

    /** Only the drafts' own meta-schemas, bundled with the library: checks that a schema is one before its use. */
    private static final SchemaRegistry META_SCHEMAS = SchemaRegistry.builder()
            .dialectRegistry((id, registry) -> knownOrDefault(id))
            .schemaLoader(loader -> loader.allow(iri -> iri.toString().matches("https?://json-schema\\.org/.*")))
            .schemaRegistryConfig(SchemaRegistryConfig.builder()
                    .formatAssertionsEnabled(false)
                    .build())
            .build();

    /** Least recently used first; a schema that cannot be used maps to empty (checks nothing). */
    private static final Map<JsonNode, Optional<Schema>> CACHE = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<JsonNode, Optional<Schema>> eldest) {
            return size() > CACHED_SCHEMAS;
        }
    };

    private ArgumentValidator() {}

    /**
     * The problems found in a tool's arguments, empty when they fit its {@code inputSchema} (none when the tool
     * has no schema). A null value of an argument the schema does not require counts as not given (MCP: such an
     * argument gets no {@code Mcp-Param} header either; Codex: an optional field).
     */
    public static List<String> validateArguments(Map<String, Object> inputSchema, Map<String, Object> arguments) {
        if (inputSchema == null) {
            return List.of();
        }
        Map<String, Object> given = arguments == null ? Map.of() : arguments;
        if (given.values().stream().anyMatch(Objects::isNull)) { // Map.of(...).containsValue(null) throws
            List<?> required = inputSchema.get("required") instanceof List<?> r ? r : List.of();
            Map<String, Object> present = new LinkedHashMap<>(given);
            present.entrySet().removeIf(e -> e.getValue() == null && !required.contains(e.getKey()));
            given = present;
        }
        return validate(inputSchema, given);
    }

    /**
     * Any JSON value (maps, lists, strings, numbers, booleans, null) against a schema: the problems found, empty
     * when it fits, when the schema is null, or when the schema cannot be used.
     */
    public static List<String> validate(Map<String, Object> schema, Object value) {
        if (schema == null) {
            return List.of();
        }
        JsonNode schemaNode;
        JsonNode instance;
        try {
            schemaNode = JSON.valueToTree(schema);
            instance = value == null ? NullNode.getInstance() : JSON.valueToTree(value);
        } catch (RuntimeException e) {
            LOG.debug("not checked, not JSON: {}", e.toString());
            return List.of();
        }
        Optional<Schema> compiled = compile(schemaNode);
        if (compiled.isEmpty()) {
            return List.of();
        }
        List<Error> errors;
        try {
            errors = compiled.get().validate(instance);
        } catch (RuntimeException | StackOverflowError e) { // e.g. a $ref outside the schema, met on first use
            LOG.debug("schema not checked: {}", e.toString());
            synchronized (CACHE) {
                CACHE.put(schemaNode, Optional.empty());
            }
            return List.of();
        }
        return problems(compiled.get(), instance, errors);
    }

    /** The one message for a tool call whose arguments do not fit: the tool, then each problem on its own line. */
    public static String describe(String tool, List<String> problems) {
        return "invalid arguments for " + tool + ":\n  " + String.join("\n  ", problems);
    }

    /** The schema compiled once per content (a fresh tree is a key no caller can change), empty if unusable. */
    private static Optional<Schema> compile(JsonNode schema) {
        synchronized (CACHE) {
            Optional<Schema> cached = CACHE.get(schema);
            if (cached != null) {
                return cached;
            }
        }
        Optional<Schema> compiled;
        try {
            Schema candidate = REGISTRY.getSchema(schema);
            String dialect = candidate.getSchemaContext().getDialect().getId();
            List<Error> invalid =
                    META_SCHEMAS.getSchema(SchemaLocation.of(dialect)).validate(schema);
            if (invalid.isEmpty()) {
                compiled = Optional.of(candidate);
            } else {
                LOG.debug("schema not checked, it is not a valid {} schema: {}", dialect, invalid.get(0));
                compiled = Optional.empty();
            }
        } catch (RuntimeException | StackOverflowError e) {
            LOG.debug("schema not checked: {}", e.toString());
            compiled = Optional.empty();
        }
        synchronized (CACHE) {
            CACHE.put(schema, compiled);
        }
        return compiled;
    }

    private static Dialect knownOrDefault(String id) {
        Dialect known = Specification.getDialect(id);
        return known != null ? known : Dialects.getDraft202012();
    }

    private static List<String> problems(Schema schema, JsonNode instance, List<Error> errors) {
        errors = new ArrayList<>(errors);
        errors.sort(Comparator.comparing(e -> order(instance, field(e)), ArgumentValidator::compareOrder));
        Set<List<NodePath>> wrongType = errors.stream()
                .filter(e -> isType(e.getKeyword()))
                .map(ArgumentValidator::valueAndSchema)
                .collect(Collectors.toSet());
        List<String> problems = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Error e : errors) {
            // a value of the wrong type gets that one problem: its (sub)schema's other keywords' complaints follow
            if (!isType(e.getKeyword()) && wrongType.contains(valueAndSchema(e))) {
                continue;
            }
            String problem = problem(schema, e);
            if (seen.add(problem)) {
                problems.add(problem);
            }
        }
        return problems;
    }

    /** The value a problem is about and the (sub)schema whose keyword found it. */
    private static List<NodePath> valueAndSchema(Error e) {
        NodePath keyword = e.getEvaluationPath();
        return Arrays.asList(e.getInstanceLocation(), keyword == null ? null : keyword.getParent());
    }

    /** The field a problem is about: the value's location, or the missing or unknown property in it. */
    private static NodePath field(Error e) {
        String keyword = e.getKeyword();
        return ("required".equals(keyword) || "additionalProperties".equals(keyword)) && e.getProperty() != null
                ? e.getInstanceLocation().append(e.getProperty())
                : e.getInstanceLocation();
    }

    /**
     * Where a field is in the value, for listing problems depth-first in the value's own order: each step's index
     * among its object's fields or array's items, -1 for a field the value lacks (a missing one comes first).
     */
    private static List<Integer> order(JsonNode instance, NodePath field) {
        List<Integer> order = new ArrayList<>();
        JsonNode node = instance;
        for (int i = 0; i < field.getNameCount(); i++) {
            Object step = field.getElement(i);
            if (step instanceof Integer index) {
                order.add(index);
                node = node == null ? null : node.get(index);
            } else {
                order.add(node == null ? -1 : new ArrayList<>(node.propertyNames()).indexOf(String.valueOf(step)));
                node = node == null ? null : node.get(String.valueOf(step));
            }
        }
        return order;
    }

    private static int compareOrder(List<Integer> a, List<Integer> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = Integer.compare(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    private static boolean isType(String keyword) {
        return "type".equals(keyword) || "unionType".equals(keyword);
    }

    /** One problem in Toolhost's words for the keywords tool schemas live on, else the library's after the path. */
    private static String problem(Schema schema, Error e) {
        String where = path(e.getInstanceLocation());
        return switch (Objects.requireNonNullElse(e.getKeyword(), "")) {
            case "type", "unionType" ->
                where + ": expected " + describeType(e.getSchemaNode()) + ", got " + jsonType(e.getInstanceNode());
            case "required" -> path(e.getInstanceLocation().append(e.getProperty())) + ": required field is missing";
            case "additionalProperties" ->
                path(e.getInstanceLocation().append(e.getProperty()))
                        + ": unknown field (allowed: "
                        + allowedFields(schema, e.getSchemaLocation()) + ")";
            case "enum" ->
                where + ": must be one of " + list(e.getSchemaNode()) + ", got " + render(e.getInstanceNode());
            default -> where + ": " + e.getMessage();
        };
    }

    /** {@code properties} next to the failing {@code additionalProperties}, found in the schema resource. */
    private static List<String> allowedFields(Schema root, SchemaLocation location) {
        Schema resource = location.getAbsoluteIri() == null
                        || Objects.equals(
                                location.getAbsoluteIri(),
                                root.getSchemaLocation().getAbsoluteIri())
                ? root
                : resource(root, location.getAbsoluteIri().toString());
        if (resource == null) {
            return List.of();
        }
        JsonNode node = resource.getSchemaNode();
        NodePath fragment = location.getFragment();
        for (int i = 0; node != null && i < fragment.getNameCount() - 1; i++) {
            Object step = fragment.getElement(i);
            node = step instanceof Integer index ? node.get(index) : node.get(String.valueOf(step));
        }
        JsonNode properties = node == null ? null : node.get("properties");
        return properties == null || !properties.isObject() ? List.of() : new ArrayList<>(properties.propertyNames());
    }

    /** An embedded schema resource (a subschema with its own {@code $id}) of the compiled schema. */
    private static Schema resource(Schema root, String iri) {
        Map<String, Schema> resources = root.getSchemaContext().getSchemaResources();
        return resources.getOrDefault(iri, resources.get(iri + "#"));
    }

    /** How a problem names the value validated as a whole (the root of the path). */
    public static final String WHOLE_VALUE = "arguments";

    /** Dotted field names with [index] for array items, e.g. {@code edits[1].oldText}; the root is "arguments". */
    private static String path(NodePath location) {
        StringBuilder path = new StringBuilder(WHOLE_VALUE);
        for (int i = 0; i < location.getNameCount(); i++) {
            Object step = location.getElement(i);
            if (step instanceof Integer index) {
                path.append('[').append(index).append(']');
            } else if (i == 0) {
                path.setLength(0);
                path.append(step);
            } else {
                path.append('.').append(step);
            }
        }
        return path.toString();
    }

    private static String describeType(JsonNode type) {
        if (type != null && type.isArray()) {
            return "one of " + list(type);
        }
        String name = type == null ? "?" : type.asString();
        return (name.matches("^[aeiou].*") ? "an " : "a ") + name;
    }

    private static String list(JsonNode values) {
        if (values == null || !values.isArray()) {
            return String.valueOf(values);
        }
        return StreamSupport.stream(values.spliterator(), false)
                .map(v -> v.isString() ? v.asString() : v.toString())
                .collect(Collectors.joining(", ", "[", "]"));
    }

    private static String jsonType(JsonNode value) {
        if (value == null || value.isNull()) {
            return "null";
        }
        if (value.isObject()) {
            return "an object";
        }
        if (value.isArray()) {
            return "an array";
        }
        if (value.isString()) {
            return "a string (" + render(value) + ")";
        }
        if (value.isBoolean()) {
            return "a boolean";
        }
        if (value.isNumber()) {
            return "a number (" + value + ")";
        }
        return value.getNodeType().toString();
    }

    private static String render(JsonNode value) {
        if (value != null && value.isString()) {
            String s = value.asString();
            return "\"" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "\"";
        }
        return String.valueOf(value);
    }
}
