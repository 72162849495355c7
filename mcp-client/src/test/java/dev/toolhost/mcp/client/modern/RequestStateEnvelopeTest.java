package dev.toolhost.mcp.client.modern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RequestStateEnvelopeTest {

    @Test
    void theDownstreamStateComesBackByteExactOnlyForItsServer() {
        String state = "{\"nonce\":\"x\"} =?+/";
        String sealed = RequestStateEnvelope.seal("docs", state);
        assertEquals(state, RequestStateEnvelope.open("docs", sealed));
        assertThrows(IllegalArgumentException.class, () -> RequestStateEnvelope.open("other", sealed));
        assertThrows(IllegalArgumentException.class, () -> RequestStateEnvelope.open("docs", state));
        assertNull(RequestStateEnvelope.seal("docs", null));
        assertNull(RequestStateEnvelope.open("docs", null));
    }
}
