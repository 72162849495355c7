package dev.toolhost.it.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.it.Peers;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code toolhost call --accept-defaults / --answers FILE} against the TS SDK v2 conformance fixture (spoken to in
 * 2026-07-28: its questions come as {@code input_required} rounds, and a declined one is asked again).
 */
class CallAnswersTest {
    @TempDir
    Path home;

    private Peers.Run toolhost(String... args) throws IOException, InterruptedException {
        return Peers.run(home, args);
    }

    @BeforeEach
    void config() throws IOException {
        Peers.writeFixtureConfig(home);
    }

    @Test
    void aQuestionTheDefaultsCannotAnswerIsDeclinedOnceThenTheCallFailsSayingHowToAnswerIt() throws Exception {
        Peers.Run r = toolhost("call", "--accept-defaults", "mcp__fixture__test_input_required_result_elicitation");
        assertEquals(1, r.code(), r.err());
        assertEquals(1, r.err().lines().filter(l -> l.endsWith("; declined")).count(), r.err());
        assertTrue(r.err().contains("asked again for input (\"What is your name?\")"), r.err());
        assertTrue(r.err().contains("needs a value for name"), r.err());
        assertTrue(r.err().contains("--answers FILE"), r.err());
        assertFalse(r.err().contains("rounds"), r.err());
    }

    @Test
    void withNoOneAtATerminalAndNoAnswersAQuestionIsDeclinedOnceThenTheCallFailsSayingHowToAnswerIt() throws Exception {
        Peers.Run r = toolhost("call", "mcp__fixture__test_input_required_result_elicitation");
        assertEquals(1, r.code(), r.err());
        assertEquals(1, r.err().lines().filter(l -> l.endsWith("; declined")).count(), r.err());
        assertTrue(r.err().contains("no one is at an interactive terminal to answer: no value for name"), r.err());
        assertTrue(r.err().contains("asked again for input (\"What is your name?\")"), r.err());
        assertTrue(r.err().contains("--answers FILE, e.g. {\"name\": ...}"), r.err());
        assertFalse(r.err().contains("rounds"), r.err());
    }

    @Test
    void aPersonAtTheTerminalIsAskedEvenWhenStdoutIsAPipe() throws Exception {
        // `script` gives the command a terminal for stdin and stderr, as a shell would; stdout goes to `| cat`.
        Path out = home.resolve("piped.txt");
        String command = Peers.toolhost("call", "mcp__fixture__test_input_required_result_elicitation").stream()
                        .map(CallAnswersTest::quoted)
                        .collect(Collectors.joining(" "))
                + " | cat > " + quoted(out.toString());
        ProcessBuilder pb = new ProcessBuilder("script", "-qec", command, "/dev/null").redirectErrorStream(true);
        pb.environment().put("TOOLHOST_HOME", home.toString());
        Process p = pb.start();
        StringBuffer terminal = new StringBuffer();
        Thread reader = new Thread(() -> {
            try (InputStream in = p.getInputStream()) {
                byte[] buf = new byte[4096];
                for (int n; (n = in.read(buf)) > 0; ) {
                    terminal.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                // the process ended
            }
        });
        reader.start();
        try (OutputStream keyboard = p.getOutputStream()) {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> terminal.toString().contains("What is your name?") || !p.isAlive());
            assertFalse(terminal.toString().contains("declined"), terminal.toString());
            keyboard.write("Ada\n".getBytes(StandardCharsets.UTF_8));
            keyboard.flush();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), terminal.toString());
        } finally {
            p.destroyForcibly();
        }
        reader.join(5000);
        assertEquals(0, p.exitValue(), terminal.toString());
        assertEquals("Hello, Ada!\n", Files.readString(out), terminal.toString());
        assertFalse(terminal.toString().contains("declined"), terminal.toString());
    }

    private static String quoted(String arg) {
        return "'" + arg.replace("'", "'\\''") + "'";
    }

    @Test
    void answersThatDoNotFitTheRequestedSchemaAreNotSentAndNameTheFileAndEachField() throws Exception {
        Path answers = Files.writeString(
                home.resolve("answers.json"), "{\"age\":\"old\",\"status\":\"weird\",\"verified\":\"yes\"}");
        Peers.Run r =
                toolhost("call", "--answers", answers.toString(), "mcp__fixture__test_elicitation_sep1034_defaults");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--answers " + answers + ": "), r.err());
        assertTrue(r.err().contains("age: expected an integer, got a string (\"old\")"), r.err());
        assertTrue(r.err().contains("status: must be one of [active, inactive, pending], got \"weird\""), r.err());
        assertTrue(r.err().contains("verified: expected a boolean, got a string (\"yes\")"), r.err());
        assertFalse(r.out().contains("Elicitation completed"), r.out());
    }

    @Test
    void answersThatFitAreSentWithTheDefaultsForTheRest() throws Exception {
        Path answers = Files.writeString(home.resolve("answers.json"), "{\"name\":\"Ada\",\"age\":36}");
        Peers.Run named = toolhost(
                "call", "--answers", answers.toString(), "mcp__fixture__test_input_required_result_elicitation");
        assertEquals(0, named.code(), named.err());
        assertEquals("Hello, Ada!\n", named.out());
        Peers.Run defaults = toolhost(
                "call",
                "--accept-defaults",
                "--answers",
                answers.toString(),
                "mcp__fixture__test_elicitation_sep1034_defaults");
        assertEquals(0, defaults.code(), defaults.err());
        assertTrue(defaults.out().contains("\"name\":\"Ada\",\"age\":36,\"score\":95.5"), defaults.out());
    }
}
