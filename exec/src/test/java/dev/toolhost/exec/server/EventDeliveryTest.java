package dev.toolhost.exec.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.exec.local.ProcessIo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * Every event of a process reaches the client exactly once, in seq order, after its start reply, whatever
 * the interleaving of start replies and live events of hundreds of processes on one connection.
 */
class EventDeliveryTest {
    private static final int PROCESSES = 300;

    private ExecServer server;
    private RawClient client;

    @BeforeEach
    void start() {
        server = new ExecServer(new ProcessIo(), 1_000);
    }

    @AfterEach
    void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        server.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ws", "stdio"})
    void hundredsOfConcurrentStartsDeliverEveryEventExactlyOnceInOrder(String transport) throws Exception {
        client = transport.equals("ws")
                ? RawClient.webSocket(server.listen("127.0.0.1", 0, null).uri(), null)
                : new RawClient.StdioClient(server);
        client.handshake();
        for (int i = 0; i < PROCESSES; i++) {
            // Three shapes: exit only, output on one stream, output on both (2 to 4 events each).
            String script = switch (i % 3) {
                case 0 -> "exit " + (i % 7);
                case 1 -> "echo o" + i;
                default -> "echo o" + i + "; echo e" + i + " >&2";
            };
            client.sendRaw(RawClient.JSON.writeValueAsString(Map.of(
                    "id",
                    1_000 + i,
                    "method",
                    "process/start",
                    "params",
                    ExecServerProtocolTest.start("p" + i, "sh", "-c", script))));
        }

        Map<String, List<JsonNode>> events = new HashMap<>();
        Map<String, Integer> startReplyAt = new HashMap<>();
        Map<String, Integer> firstEventAt = new HashMap<>();
        int closed = 0;
        int received = 0;
        while (closed < PROCESSES || startReplyAt.size() < PROCESSES) {
            JsonNode m = client.next(n -> true);
            received++;
            if (m.has("method")) {
                String id = m.get("params").get("processId").asString();
                events.computeIfAbsent(id, k -> new ArrayList<>()).add(m);
                firstEventAt.putIfAbsent(id, received);
                if (m.get("method").asString().equals("process/closed")) {
                    closed++;
                }
            } else {
                assertTrue(m.has("result"), m.toString());
                startReplyAt.put("p" + (m.get("id").asInt() - 1_000), received);
            }
        }
        // A duplicate would come from a process queued for sending again before this marker even started, so
        // once the marker's events are in, anything still owed for the others has been sent too.
        JsonNode marker = client.result("process/start", ExecServerProtocolTest.start("marker", "true"));
        assertEquals("marker", marker.get("processId").asString());
        while (true) {
            JsonNode m = client.next(n -> n.has("method"));
            String id = m.get("params").get("processId").asString();
            if (id.equals("marker")) {
                if (m.get("method").asString().equals("process/closed")) {
                    break;
                }
                continue;
            }
            events.computeIfAbsent(id, k -> new ArrayList<>()).add(m);
        }

        int total = 0;
        for (int i = 0; i < PROCESSES; i++) {
            String id = "p" + i;
            List<JsonNode> got = events.get(id);
            assertTrue(startReplyAt.get(id) < firstEventAt.get(id), id + ": an event came before the start reply");
            List<String> methods = new ArrayList<>();
            for (int k = 0; k < got.size(); k++) {
                assertEquals(k + 1, got.get(k).get("params").get("seq").asLong(), id + " seqs: " + got);
                methods.add(got.get(k).get("method").asString().substring("process/".length()));
            }
            List<String> expected = switch (i % 3) {
                case 0 -> List.of("exited", "closed");
                case 1 -> List.of("output", "exited", "closed");
                default -> List.of("output", "output", "exited", "closed");
            };
            assertEquals(
                    expected, methods.stream().sorted(EventDeliveryTest::byKind).toList(), id + ": " + got);
            assertEquals("closed", methods.get(methods.size() - 1), id + ": " + got);
            String out = ExecServerProtocolTest.text(got, "stdout");
            assertEquals(i % 3 == 0 ? "" : "o" + i + "\n", out, id);
            assertEquals(i % 3 == 2 ? "e" + i + "\n" : "", ExecServerProtocolTest.text(got, "stderr"), id);
            total += got.size();
        }
        assertEquals(PROCESSES / 3 * (2 + 3 + 4), total, "every event counted once");
    }

    private static int byKind(String a, String b) {
        return Integer.compare(
                List.of("output", "exited", "closed").indexOf(a),
                List.of("output", "exited", "closed").indexOf(b));
    }
}
