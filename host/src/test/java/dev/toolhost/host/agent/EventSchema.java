package dev.toolhost.host.agent;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/** Checks JSON events against the published {@code docs/exec-events.schema.json}, with the SDK's validator. */
final class EventSchema {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Map<String, Object> SCHEMA = load();

    private EventSchema() {}

    /** Fails the test, naming the problem, when {@code json} (one --json line) does not match the schema. */
    static void assertValid(String json) {
        JsonSchemaValidator.ValidationResponse r = validate(json);
        assertTrue(r.valid(), "not a valid exec --json event: " + r.errorMessage() + "\n" + json);
    }

    static JsonSchemaValidator.ValidationResponse validate(String json) {
        return McpJsonDefaults.getSchemaValidator().validate(SCHEMA, JSON.readValue(json, Object.class));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> load() {
        try {
            // Tests run in the module directory; the schema is published at the repository root.
            return JSON.readValue(Files.readString(Path.of("..", "docs", "exec-events.schema.json")), Map.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
