package dev.toolhost.host.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.config.ConfigLoader;
import dev.toolhost.config.ConfigRequest;
import dev.toolhost.config.ToolhostConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentSetupTest {
    @TempDir
    Path dir;

    private ToolhostConfig config(String... overrides) throws Exception {
        return ConfigLoader.load(
                        new ConfigRequest(dir.resolve("config.toml"), null, List.of(overrides), null, null, dir, false))
                .config();
    }

    @Test
    void withoutAModelTheMessageShowsWhatToWriteWhere() throws Exception {
        var e = assertThrows(
                AgentSetup.SetupException.class,
                () -> AgentSetup.resolve(config(), null, Map.of(), dir.resolve("config.toml")));
        assertTrue(
                e.getMessage().contains("no model is configured. Set one in " + dir.resolve("config.toml")),
                e.getMessage());
        assertTrue(e.getMessage().contains("model_provider = \"ollama\""), e.getMessage());
        assertTrue(e.getMessage().contains("--model NAME"), e.getMessage());
    }

    @Test
    void anMcpClientIsToldThatTheServersOwnerConfiguresTheModelWithoutThePathOrTheCliFlag() throws Exception {
        var e = assertThrows(AgentSetup.SetupException.class, () -> AgentSetup.resolve(config(), null, Map.of(), null));
        assertTrue(
                e.getMessage().startsWith("no model is configured on this MCP server: its owner must"), e.getMessage());
        assertFalse(e.getMessage().contains(dir.toString()), e.getMessage());
        assertFalse(e.getMessage().contains("--model"), e.getMessage());
    }

    @Test
    void theOpenAiDefaultNeedsItsKeyButOllamaDoesNot() throws Exception {
        var e = assertThrows(
                AgentSetup.SetupException.class,
                () -> AgentSetup.resolve(config(), "gpt-5", Map.of(), dir.resolve("config.toml")));
        assertTrue(e.getMessage().contains("set the environment variable OPENAI_API_KEY"), e.getMessage());

        AgentSetup ollama = AgentSetup.resolve(
                config("model_provider=\"ollama\"", "model=\"llama3.2\""), null, Map.of(), dir.resolve("config.toml"));
        assertEquals("llama3.2", ollama.model());
        assertEquals("http://127.0.0.1:11434/v1", ollama.provider().baseUrl());
    }

    @Test
    void configOverridesFromTheAgentToolBecomeTomlTheLoaderAccepts() throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", "a \"b\"");
        m.put("sandbox_workspace_write.network_access", true);
        m.put("sandbox_workspace_write.writable_roots", List.of("/tmp/x", "/tmp/y"));
        List<String> overrides = TomlValues.overrides(m);
        assertEquals(
                List.of(
                        "model=\"a \\\"b\\\"\"",
                        "sandbox_workspace_write.network_access=true",
                        "sandbox_workspace_write.writable_roots=[\"/tmp/x\", \"/tmp/y\"]"),
                overrides);

        ToolhostConfig c = config(overrides.toArray(String[]::new));
        assertEquals("a \"b\"", c.model());
        assertTrue(c.sandboxWorkspaceWrite().networkAccess());
    }
}
