package dev.toolhost.it.agent;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.it.Peers;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/** The published {@code docs/exec-events.schema.json}, checked with the MCP SDK's JSON Schema validator. */
final class EventSchema {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Map<String, Object> SCHEMA = load();

    private EventSchema() {}

    /** Fails, naming the problem, when one line of {@code exec --json} output is not a published event. */
    static void assertValid(String line) {
        JsonSchemaValidator.ValidationResponse r =
                McpJsonDefaults.getSchemaValidator().validate(SCHEMA, JSON.readValue(line, Object.class));
        assertTrue(r.valid(), "not a valid exec --json event: " + r.errorMessage() + "\n" + line);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> load() {
        try {
            return JSON.readValue(
                    Files.readString(Peers.repoRoot().resolve("docs/exec-events.schema.json")), Map.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
