package dev.toolhost.mcp.client.modern;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseReaderTest {

    @Test
    void everyFieldOfTheFormatIsAcceptedAndPrimingEventsAreNotDispatched() throws Exception {
        String stream = ": keep-alive\n"
                + "id: event-1\nretry: 500\ndata: \n\n" // a priming event: no data, but id and retry count
                + "event: message\r\nid: event-2\r\ndata: {\"a\":\r\ndata:1}\r\n\r\n"
                + "unknown: field\ndata:{\"b\":2}\n\n"
                + "retry: soon\n" // not digits: ignored
                + "data: {\"c\":3}\n"; // no blank line: the stream ended first
        SseReader sse = new SseReader();
        List<SseReader.Event> events = new ArrayList<>();
        sse.read(new ByteArrayInputStream(stream.getBytes(StandardCharsets.UTF_8)), events::add);
        assertEquals(
                List.of(
                        new SseReader.Event("message", "{\"a\":\n1}", "event-2"),
                        new SseReader.Event("message", "{\"b\":2}", "event-2")),
                events);
        assertEquals("event-2", sse.lastEventId());
        assertEquals(500, sse.retryMillis());
    }
}
