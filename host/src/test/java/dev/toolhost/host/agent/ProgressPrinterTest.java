package dev.toolhost.host.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.toolhost.host.model.Usage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressPrinterTest {

    @Test
    void printsStepsAndHoldsBackOnlyTheFinalMessage() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ProgressPrinter p = new ProgressPrinter(new PrintStream(err, true, StandardCharsets.UTF_8));
        ThreadItem msg1 = new ThreadItem.AgentMessage("item_0", "Let me look.");
        ThreadItem cmd = new ThreadItem.CommandExecution("item_1", "ls", "", 0, ThreadItem.COMPLETED);
        ThreadItem patch = new ThreadItem.FileChange(
                "item_2",
                List.of(new ThreadItem.Change("a.txt", "add"), new ThreadItem.Change("b.txt", "update")),
                ThreadItem.FAILED,
                new ThreadEvent.ErrorInfo("denied: read-only\nmore"));
        ThreadItem last = new ThreadItem.AgentMessage("item_3", "Done.");

        for (ThreadEvent e : List.of(
                new ThreadEvent.ItemCompleted(msg1),
                new ThreadEvent.ItemStarted(cmd),
                new ThreadEvent.ItemCompleted(cmd),
                new ThreadEvent.ItemStarted(patch),
                new ThreadEvent.ItemCompleted(patch),
                new ThreadEvent.ItemCompleted(last),
                new ThreadEvent.TurnCompleted(new Usage(10, 4, 2)))) {
            p.accept(e);
        }

        assertEquals(
                String.join(
                        "\n",
                        "Let me look.",
                        "$ ls",
                        "  exit 0",
                        "patch: A a.txt, M b.txt",
                        "  failed: denied: read-only ...",
                        "tokens: 10 in (4 cached), 2 out",
                        ""),
                err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aCommandLeftRunningWhenItsCallReturnedIsStillRunning() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ProgressPrinter p = new ProgressPrinter(new PrintStream(err, true, StandardCharsets.UTF_8));
        p.accept(new ThreadEvent.ItemCompleted(
                new ThreadItem.CommandExecution("item_1", "sleep 30", "", null, ThreadItem.IN_PROGRESS)));
        assertEquals("  still running\n", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void echoesOfLongCommandsAreCapped() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ProgressPrinter p = new ProgressPrinter(new PrintStream(err, true, StandardCharsets.UTF_8));
        p.accept(new ThreadEvent.ItemStarted(new ThreadItem.CommandExecution(
                "item_1", "echo " + "x".repeat(3_000_000), "", null, ThreadItem.IN_PROGRESS)));
        String printed = err.toString(StandardCharsets.UTF_8);
        int limit = ProgressPrinter.ECHO_LIMIT;
        assertEquals(
                "$ echo " + "x".repeat(limit - 5) + " ... (" + (3_000_005 - limit) + " more characters)\n", printed);
    }
}
