package dev.toolhost.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real-world Codex config.toml loads unchanged; what Toolhost doesn't use is named in one warning. */
class CodexConfigTest {
    @TempDir
    Path dir;

    private Path codexConfig() throws Exception {
        Path f = dir.resolve("config.toml");
        try (var in = getClass().getResourceAsStream("/codex-config.toml")) {
            Files.write(f, in.readAllBytes());
        }
        return f;
    }

    @Test
    void loadsWithTheDefaultProfileTheFileSelects() throws Exception {
        Path f = codexConfig();
        LoadedConfig loaded = ConfigLoader.load(ConfigRequest.ofFile(f));
        ToolhostConfig c = loaded.config();
        // profile = "work" in the file
        assertEquals("o3", c.model());
        assertEquals("azure", c.modelProvider());
        assertEquals(ApprovalPolicy.NEVER, c.approvalPolicy());
        assertEquals(SandboxMode.WORKSPACE_WRITE, c.sandboxMode());

        ModelProviderConfig azure = c.modelProviders().get("azure");
        assertEquals("https://my-project.openai.azure.com/openai", azure.baseUrl());
        assertEquals(6, azure.requestMaxRetries());
        assertEquals(120_000, azure.streamIdleTimeoutMs());
        assertEquals(Map.of("api-version", "2025-04-01-preview"), azure.queryParams());
        assertEquals("http://gpu-box:11434/v1", c.modelProviders().get("ollama").baseUrl());

        assertEquals(List.of("/home/me/.cache"), c.sandboxWorkspaceWrite().writableRoots());
        assertTrue(c.sandboxWorkspaceWrite().networkAccess());
        assertEquals(
                ShellEnvironmentPolicy.Inherit.CORE, c.shellEnvironmentPolicy().inherit());
        assertEquals(List.of("AWS_*", "AZURE_*"), c.shellEnvironmentPolicy().exclude());
        assertEquals(Map.of("CI", "1"), c.shellEnvironmentPolicy().set());

        assertEquals(List.of("fs", "docs", "legacy"), List.copyOf(c.mcpServers().keySet()));
        McpServerConfig fs = c.mcpServers().get("fs");
        assertEquals("npx", fs.command());
        assertEquals(List.of("-y", "@modelcontextprotocol/server-filesystem", "/repo"), fs.args());
        assertEquals(Map.of("LOG_LEVEL", "warn"), fs.env());
        assertEquals(Duration.ofSeconds(20), fs.startupTimeout());
        assertEquals(Duration.ofMillis(30_500), fs.toolTimeout());
        McpServerConfig docs = c.mcpServers().get("docs");
        assertFalse(docs.isStdio());
        assertEquals("DOCS_TOKEN", docs.bearerTokenEnvVar());
        assertEquals(Map.of("X-Team", "tools"), docs.httpHeaders());
        assertEquals(List.of("search", "fetch"), docs.enabledTools());
        assertNull(fs.enabledTools());
        McpServerConfig legacy = c.mcpServers().get("legacy");
        assertEquals(Duration.ofSeconds(15), legacy.startupTimeout());
        assertFalse(legacy.enabled());

        assertEquals(2, loaded.warnings().size(), loaded.warnings().toString());
        String w = loaded.warnings().get(0);
        assertEquals(
                "sandbox_workspace_write.writable_roots: /home/me/.cache is not a directory, so it is not writable ("
                        + f + ":33)",
                loaded.warnings().get(1));
        for (String key : List.of(
                "model_reasoning_effort (" + f + ":4)",
                "notify",
                "tui",
                "history",
                "projects",
                "otel",
                "tools",
                "features",
                "file_opener",
                "model_providers.azure.stream_max_retries",
                "profiles.work.model_reasoning_effort")) {
            assertTrue(w.contains(key), () -> key + " missing from: " + w);
        }
        assertFalse(w.contains("sandbox_mode"), w);
        assertFalse(w.contains("query_params"), "used: " + w);
    }

    @Test
    void commandLineProfileWinsOverTheFilesDefaultProfile() throws Exception {
        LoadedConfig loaded =
                ConfigLoader.load(new ConfigRequest(codexConfig(), "local", List.of(), null, null, null, false));
        assertEquals("qwen3-coder", loaded.config().model());
        assertEquals("ollama", loaded.config().modelProvider());
        assertEquals(SandboxMode.READ_ONLY, loaded.config().sandboxMode());
        assertEquals(ApprovalPolicy.ON_REQUEST, loaded.config().approvalPolicy());
    }

    @Test
    void strictConfigRejectsTheCodexOnlyKeys() throws Exception {
        Path f = codexConfig();
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> ConfigLoader.load(new ConfigRequest(f, null, List.of(), null, null, null, true)));
        assertTrue(
                e.getMessage()
                        .startsWith("unknown config keys (rejected by --strict-config): model_reasoning_effort (" + f
                                + ":4)"),
                e.getMessage());
    }
}
