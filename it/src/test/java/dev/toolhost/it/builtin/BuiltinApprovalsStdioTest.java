package dev.toolhost.it.builtin;

import static dev.toolhost.it.builtin.BuiltinClient.structured;
import static dev.toolhost.it.builtin.BuiltinClient.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Approvals asked with elicitation/create of a real SDK client, over stdio. */
class BuiltinApprovalsStdioTest {
    @TempDir
    Path dir;

    @Test
    void onFailureAsksOnceAfterASandboxDenialAndRerunsWhenApproved() {
        try (BuiltinClient mcp = BuiltinClient.answering("approved", dir, "-s", "read-only", "-a", "on-failure")) {
            McpSchema.CallToolResult r =
                    mcp.call("exec_command", Map.of("cmd", "touch made && echo done", "login", false));
            assertFalse(r.isError(), text(r));
            assertEquals(1, mcp.elicitations.size());
            McpSchema.ElicitFormRequest asked = mcp.elicitations.get(0);
            assertTrue(asked.message().contains("touch made && echo done"), asked.message());
            assertEquals(List.of("decision"), asked.requestedSchema().get("required"));
            Map<?, ?> decision =
                    (Map<?, ?>) ((Map<?, ?>) asked.requestedSchema().get("properties")).get("decision");
            assertEquals(List.of("approved", "approved_for_session", "denied", "abort"), decision.get("enum"));
            assertEquals(0, structured(r).get("exit_code"), text(r));
            assertTrue(text(r).contains("done"), text(r));
            assertTrue(Files.exists(dir.resolve("made")));
        }
    }

    @Test
    void untrustedRunsSafeCommandsAndDeniedCommandsNeverRun() {
        try (BuiltinClient mcp = BuiltinClient.answering("denied", dir, "-s", "workspace-write", "-a", "untrusted")) {
            assertFalse(mcp.call("exec_command", Map.of("cmd", "ls | wc -l", "login", false))
                    .isError());
            assertTrue(mcp.elicitations.isEmpty());
            McpSchema.CallToolResult denied = mcp.call("exec_command", Map.of("cmd", "touch nope", "login", false));
            assertTrue(denied.isError());
            assertTrue(text(denied).contains("denied") && text(denied).contains("untrusted"), text(denied));
            assertEquals(1, mcp.elicitations.size());
            assertFalse(Files.exists(dir.resolve("nope")));
        }
    }

    @Test
    void declineAndCancelAreReportedAsDeniedAndAborted() {
        Iterator<McpSchema.ElicitResult> answers = List.of(
                        new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.DECLINE, null),
                        new McpSchema.ElicitResult(
                                McpSchema.ElicitResult.Action.DECLINE,
                                null,
                                Map.of("reason", "nobody is at the terminal to answer")),
                        new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.CANCEL, null))
                .iterator();
        try (BuiltinClient mcp =
                BuiltinClient.answeringWith(r -> answers.next(), dir, "-s", "workspace-write", "-a", "untrusted")) {
            String declined = text(mcp.call("exec_command", Map.of("cmd", "touch a", "login", false)));
            assertTrue(declined.contains("the user denied it"), declined);
            String relayed = text(mcp.call("exec_command", Map.of("cmd", "touch b", "login", false)));
            assertTrue(relayed.contains("nobody is at the terminal to answer"), relayed);
            String aborted = text(mcp.call("exec_command", Map.of("cmd", "touch c", "login", false)));
            assertTrue(aborted.startsWith("aborted:"), aborted);
            assertFalse(
                    Files.exists(dir.resolve("a")) || Files.exists(dir.resolve("b")) || Files.exists(dir.resolve("c")));
        }
    }

    @Test
    void aClientWithoutElicitationIsToldWhyAndHowToProceed() {
        try (BuiltinClient mcp = BuiltinClient.start(dir, "-s", "read-only", "-a", "on-request")) {
            McpSchema.CallToolResult r =
                    mcp.call("apply_patch", Map.of("input", "*** Begin Patch\n*** Add File: x.txt\n+x\n*** End Patch"));
            assertTrue(r.isError());
            assertTrue(text(r).contains("does not support elicitation") && text(r).contains("-a never"), text(r));
            assertFalse(Files.exists(dir.resolve("x.txt")));
        }
    }
}
