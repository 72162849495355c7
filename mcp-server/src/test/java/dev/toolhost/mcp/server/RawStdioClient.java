package dev.toolhost.mcp.server;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A JSON-RPC client on pipes to a {@link LosslessStdioServerTransportProvider}, writing and reading raw lines. */
final class RawStdioClient implements AutoCloseable {
    static final McpJsonMapper JSON = McpJsonDefaults.getMapper();

    final PipedOutputStream toServer = new PipedOutputStream();
    final PipedInputStream serverIn;
    final PipedInputStream fromServer = new PipedInputStream(1 << 16);
    final PipedOutputStream serverOut;
    private final BufferedReader reader;

    RawStdioClient() throws IOException {
        serverIn = new PipedInputStream(toServer, 1 << 16);
        serverOut = new PipedOutputStream(fromServer);
        reader = new BufferedReader(new InputStreamReader(fromServer, StandardCharsets.UTF_8));
    }

    void send(Object message) throws IOException {
        toServer.write(JSON.writeValueAsBytes(message));
        toServer.write('\n');
        toServer.flush();
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> read() throws IOException {
        String line = reader.readLine();
        if (line == null) {
            throw new IOException("server closed its output");
        }
        return JSON.readValue(line, Map.class);
    }

    /** Reads until the response with this id, returning it; notifications seen meanwhile go to {@code seen}. */
    Map<String, Object> response(Object id, List<Map<String, Object>> seen) throws IOException {
        while (true) {
            Map<String, Object> m = read();
            if (m.containsKey("method")) {
                seen.add(m);
            } else if (id.equals(m.get("id"))) {
                return m;
            }
        }
    }

    static Map<String, Object> request(Object id, String method, Object params) {
        Map<String, Object> m = new HashMap<>();
        m.put("jsonrpc", "2.0");
        m.put("id", id);
        m.put("method", method);
        if (params != null) {
            m.put("params", params);
        }
        return m;
    }

    String initialize(String version, Map<String, Object> capabilities) throws IOException {
        send(request(
                0,
                "initialize",
                Map.of(
                        "protocolVersion",
                        version,
                        "capabilities",
                        capabilities,
                        "clientInfo",
                        Map.of("name", "raw", "version", "1"))));
        Map<String, Object> response = read();
        send(Map.of("jsonrpc", "2.0", "method", "notifications/initialized"));
        return (String) ((Map<?, ?>) response.get("result")).get("protocolVersion");
    }

    @Override
    public void close() throws IOException {
        toServer.close();
    }
}
