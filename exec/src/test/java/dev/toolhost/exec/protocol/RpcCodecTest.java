package dev.toolhost.exec.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.exec.protocol.ExecProtocol.FsGetMetadataResponse;
import dev.toolhost.exec.protocol.ExecProtocol.ProcessExitedNotification;
import dev.toolhost.exec.protocol.ExecProtocol.ProcessOutputNotification;
import dev.toolhost.exec.protocol.ExecProtocol.ProcessStartParams;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class RpcCodecTest {
    private final RpcCodec codec = new RpcCodec();

    @Test
    void decodesRequestsWithOrWithoutJsonrpcMember() throws Exception {
        RpcMessage a = codec.decode(
                "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"initialize\",\"params\":{\"clientName\":\"x\"}}");
        RpcMessage b = codec.decode("{\"id\":\"s\",\"method\":\"initialize\"}");
        assertEquals(7, assertInstanceOf(RpcMessage.Request.class, a).id().asLong());
        assertEquals("s", assertInstanceOf(RpcMessage.Request.class, b).id().asString());
        assertInstanceOf(RpcMessage.Notification.class, codec.decode("{\"method\":\"initialized\",\"params\":{}}"));
        assertInstanceOf(RpcMessage.Response.class, codec.decode("{\"id\":1,\"result\":{}}"));
        RpcMessage e = codec.decode("{\"id\":-1,\"error\":{\"code\":-32600,\"message\":\"bad\"}}");
        assertEquals(
                -32600,
                assertInstanceOf(RpcMessage.ErrorResponse.class, e).error().code());
    }

    @Test
    void rejectsGarbageAsInvalidRequest() {
        RpcException e = assertThrows(RpcException.class, () -> codec.decode("not json"));
        assertEquals(RpcError.INVALID_REQUEST, e.code());
        assertEquals(
                RpcError.INVALID_REQUEST,
                assertThrows(RpcException.class, () -> codec.decode("[1]")).code());
        assertEquals(
                RpcError.INVALID_REQUEST,
                assertThrows(RpcException.class, () -> codec.decode("{\"x\":1}"))
                        .code());
    }

    @Test
    void encodesWithoutJsonrpcAndOmitsNulls() throws Exception {
        String s = codec.encode(codec.notification(
                ExecProtocol.Methods.PROCESS_EXITED, new ProcessExitedNotification("p1", 3, 3, null)));
        assertEquals("{\"method\":\"process/exited\",\"params\":{\"processId\":\"p1\",\"seq\":3,\"exitCode\":3}}", s);
        String err = codec.encode(codec.error(null, new RpcError(RpcError.INVALID_REQUEST, "bad")));
        assertEquals("{\"id\":-1,\"error\":{\"code\":-32600,\"message\":\"bad\"}}", err);
        JsonNode meta = codec.tree(new FsGetMetadataResponse(true, false, false, 1, 2, 3));
        assertTrue(meta.get("isDirectory").asBoolean());
        assertFalse(meta.has("directory"));
    }

    @Test
    void startParamsDefaultMissingBooleansAndAcceptFileUris() throws Exception {
        ProcessStartParams p = codec.params(
                codec.mapper()
                        .readTree("{\"processId\":\"p\",\"argv\":[\"true\"],\"cwd\":\"file:///tmp\",\"unknown\":1}"),
                ProcessStartParams.class);
        assertFalse(p.tty());
        assertEquals("/tmp", p.cwdPath().toString());
        assertEquals(
                RpcError.INVALID_PARAMS,
                assertThrows(
                                RpcException.class,
                                () -> codec.params(
                                        codec.mapper().readTree("{\"argv\":\"x\"}"), ProcessStartParams.class))
                        .code());
    }

    @Test
    void fastOutputEncodingMatchesTheRecordShape() throws Exception {
        byte[] data = "hello \"world\"\n".getBytes(StandardCharsets.UTF_8);
        byte[] line = codec.encodeOutput("p\"1", 5, "stdout", data, 0, data.length);
        RpcMessage.Notification n =
                assertInstanceOf(RpcMessage.Notification.class, codec.decode(new String(line, StandardCharsets.UTF_8)));
        ProcessOutputNotification o = codec.params(n.params(), ProcessOutputNotification.class);
        assertEquals(
                new ProcessOutputNotification(
                        "p\"1", 5, "stdout", Base64.getEncoder().encodeToString(data)),
                o);
    }
}
