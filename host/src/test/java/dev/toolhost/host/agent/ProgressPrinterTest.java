package dev.toolhost.host.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.toolhost.host.model.Usage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProgressPrinterTest {

    @Test
    void printsStepsAndHoldsBackOnlyTheFinalMessage() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ProgressPrinter p = new ProgressPrinter(new PrintStream(err, true, StandardCharsets.UTF_8));
        Map<String, Object> msg1 = Events.item("item_0", "agent_message");
        msg1.put("text", "Let me look.");
        Map<String, Object> cmd = Events.item("item_1", "command_execution");
        cmd.put("command", "ls");
        cmd.put("exit_code", 0);
        Map<String, Object> patch = Events.item("item_2", "file_change");
        patch.put("changes", List.of(Map.of("path", "a.txt", "kind", "add"), Map.of("path", "b.txt", "kind", "update")));
        patch.put("status", "failed");
        patch.put("error", Map.of("message", "denied: read-only\nmore"));
        Map<String, Object> last = Events.item("item_3", "agent_message");
        last.put("text", "Done.");

        for (Map<String, Object> e : List.of(Events.itemCompleted(msg1), Events.itemStarted(cmd), Events.itemCompleted(cmd),
                Events.itemStarted(patch), Events.itemCompleted(patch), Events.itemCompleted(last),
                Events.turnCompleted(new Usage(10, 4, 2)))) {
            p.accept(e);
        }

        assertEquals(String.join("\n", "Let me look.", "$ ls", "  exit 0", "patch: A a.txt, M b.txt",
                "  failed: denied: read-only ...", "tokens: 10 in (4 cached), 2 out", ""),
                err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void echoesOfLongCommandsAreCapped() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ProgressPrinter p = new ProgressPrinter(new PrintStream(err, true, StandardCharsets.UTF_8));
        Map<String, Object> cmd = Events.item("item_1", "command_execution");
        cmd.put("command", "echo " + "x".repeat(3_000_000));
        p.accept(Events.itemStarted(cmd));
        String printed = err.toString(StandardCharsets.UTF_8);
        int limit = ProgressPrinter.ECHO_LIMIT;
        assertEquals("$ echo " + "x".repeat(limit - 5) + " ... (" + (3_000_005 - limit) + " more characters)\n", printed);
    }
}
