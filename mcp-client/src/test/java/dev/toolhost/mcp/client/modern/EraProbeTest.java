package dev.toolhost.mcp.client.modern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import org.junit.jupiter.api.Test;

class EraProbeTest {

    @Test
    void anHttpRefusalIsAFailureNamingItsStatusOnce() {
        EraProbe.Verdict bare = EraProbe.classify(
                true, new ServerErrorException(0, "HTTP 403: {\"error\":\"insufficient_scope\"}", null, 403));
        assertEquals(
                "server/discover was refused with HTTP 403: {\"error\":\"insufficient_scope\"}",
                assertInstanceOf(EraProbe.Failed.class, bare).why());

        EraProbe.Verdict rpc = EraProbe.classify(true, new ServerErrorException(-32600, "unauthorized", null, 401));
        assertEquals(
                "server/discover was refused with HTTP 401: unauthorized",
                assertInstanceOf(EraProbe.Failed.class, rpc).why());
    }

    @Test
    void aFourHundredWithoutAModernErrorMeansLegacy() {
        assertInstanceOf(
                EraProbe.Legacy.class, EraProbe.classify(true, new ServerErrorException(0, "HTTP 400", null, 400)));
    }
}
