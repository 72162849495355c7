package dev.toolhost.it.server;

import static dev.toolhost.it.server.ServerFixtures.home;
import static dev.toolhost.it.server.ServerFixtures.stdioClient;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.it.Peers;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resources, prompts, progress and ping of a real server (server-everything) through {@code toolhost mcp-server}. */
class PassthroughTest {
    @TempDir
    Path tmp;

    @Test
    void resourcesPromptsProgressAndPingPassThroughTheGateway() throws Exception {
        Path home = home(
                tmp.resolve("home"),
                "[mcp_servers.everything]\ncommand = \"" + Peers.bin("mcp-server-everything") + "\"\n");
        List<McpSchema.ProgressNotification> progress = new CopyOnWriteArrayList<>();
        var launchArgs = new String[] {"mcp-server", "--only", "everything"};
        try (McpSyncClient client = stdioClient(home, null, launchArgs)) {
            client.ping();

            List<McpSchema.Resource> resources = client.listResources().resources();
            assertFalse(resources.isEmpty(), "server-everything's resources are served");
            McpSchema.ReadResourceResult read = client.readResource(
                    new McpSchema.ReadResourceRequest(resources.get(0).uri()));
            assertFalse(read.contents().isEmpty(), read.toString());

            List<McpSchema.Prompt> prompts = client.listPrompts().prompts();
            assertTrue(
                    prompts.stream().allMatch(p -> p.name().startsWith("mcp__everything__")),
                    "prompts are served under qualified names: " + prompts);
            String simple = prompts.stream()
                    .filter(p -> p.arguments() == null
                            || p.arguments().stream().noneMatch(a -> Boolean.TRUE.equals(a.required())))
                    .map(McpSchema.Prompt::name)
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("a prompt without required arguments: " + prompts));
            McpSchema.GetPromptResult prompt = client.getPrompt(new McpSchema.GetPromptRequest(simple, Map.of()));
            assertFalse(prompt.messages().isEmpty(), prompt.toString());
        }
        try (McpSyncClient client = ServerFixtures.stdioClientWithProgress(home, progress::add, launchArgs)) {
            McpSchema.CallToolResult result = client.callTool(McpSchema.CallToolRequest.builder()
                    .name("mcp__everything__trigger-long-running-operation")
                    .arguments(Map.of("duration", 0.3, "steps", 3))
                    .progressToken("caller-token")
                    .build());
            assertFalse(Boolean.TRUE.equals(result.isError()), result.toString());
            assertFalse(progress.isEmpty(), "progress reached the caller");
            assertTrue(progress.stream().allMatch(p -> "caller-token".equals(p.progressToken())), progress.toString());
        }
    }
}
