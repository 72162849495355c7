package dev.toolhost.host.model;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.config.ModelProviderConfig;
import dev.toolhost.config.WireApi;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelHttpTest {
    @Test
    void anUnreachableProviderIsNamedWithoutTheSecretsOfItsUrl() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort(); // nothing listens once it is closed: connecting is refused
        }
        ModelClient client = ModelClients.create(
                new ModelProviderConfig(
                        "p",
                        "P",
                        "http://u:pw-secret@127.0.0.1:" + closed + "/v1?api-key=key-secret",
                        null,
                        WireApi.CHAT,
                        Map.of("X-Api-Key", "hdr-secret"),
                        Map.of(),
                        0,
                        5000,
                        Map.of()),
                Map.of());
        ModelRequest ask =
                new ModelRequest("m1", "be brief", List.of(new ConversationItem.UserMessage("hi")), List.of());
        ModelException e = assertThrows(ModelException.class, () -> client.stream(ask, ModelStreamListener.NONE));
        assertTrue(
                e.getMessage()
                        .startsWith("cannot reach model provider 'p' at http://u:*****@127.0.0.1:" + closed
                                + "/v1/chat/completions?api-key=*****"),
                () -> "the endpoint goes before the base_url's query: " + e.getMessage());
        assertFalse(e.getMessage().contains("secret"), e.getMessage());
    }
}
