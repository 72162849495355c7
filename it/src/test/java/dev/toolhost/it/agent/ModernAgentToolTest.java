package dev.toolhost.it.agent;

import static dev.toolhost.it.agent.ScriptedModelServer.call;
import static dev.toolhost.it.agent.ScriptedModelServer.calls;
import static dev.toolhost.it.agent.ScriptedModelServer.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.it.ModernClient;
import dev.toolhost.it.Peers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The {@code agent} tool called by a 2026-07-28 (stateless) client, the TypeScript SDK v2: the turn runs, and an
 * approval the inner agent needs mid-turn is declined with a reason that tells the model (and the caller) how to
 * proceed, since a stateless client can only be asked at the end of a request.
 */
class ModernAgentToolTest {
    @TempDir
    Path home;

    @TempDir
    Path work;

    @Test
    void midTurnApprovalsAreDeclinedWithAReasonForAStatelessCaller() throws Exception {
        try (ScriptedModelServer model = ScriptedModelServer.start()) {
            model.reply(
                    calls(call("c1", "exec_command", Map.of("cmd", "touch made-by-agent"))),
                    text("I could not create the file."));
            List<String> args = new ArrayList<>(
                    List.of("mcp-server", "--only", "builtin,agent", "-s", "workspace-write", "-C", work.toString()));
            for (String o : model.configOverrides("responses")) {
                args.add("-c");
                args.add(o);
            }
            List<String> cmd = Peers.toolhost(args.toArray(String[]::new));
            ModernClient.Output out = ModernClient.run(
                    Map.of(
                            "transport",
                                    Map.of(
                                            "type",
                                            "stdio",
                                            "command",
                                            cmd.get(0),
                                            "args",
                                            cmd.subList(1, cmd.size()),
                                            "env",
                                            Map.of("TOOLHOST_HOME", home.toString()),
                                            "cwd",
                                            work.toString()),
                            "negotiation", "2026-07-28",
                            "elicitation", Map.of("action", "accept", "content", Map.of("decision", "approved")),
                            "operations",
                                    List.of(Map.of(
                                            "op",
                                            "call_tool",
                                            "name",
                                            "agent",
                                            "arguments",
                                            Map.of("prompt", "make a file", "approval-policy", "untrusted")))),
                    Duration.ofSeconds(120));

            assertEquals("modern", out.connected().get("era").asString());
            JsonNode agent = out.operations().get(0);
            assertTrue(agent.get("ok").asBoolean(), agent.toString());
            assertEquals("I could not create the file.", agent.get("text").asString(), agent.toString());
            assertEquals(0, agent.get("elicitations").size(), "nothing is asked of a stateless client mid-turn");
            assertFalse(Files.exists(work.resolve("made-by-agent")), "the unapproved command did not run");
            String toolOutput = model.requests().get(1).conversation().toString();
            assertTrue(
                    toolOutput.contains("cannot be asked mid-turn") && toolOutput.contains("approval-policy 'never'"),
                    toolOutput);
        }
    }
}
