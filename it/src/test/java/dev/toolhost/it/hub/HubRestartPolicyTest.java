package dev.toolhost.it.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.mcp.client.CallContext;
import dev.toolhost.mcp.client.McpHub;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A server that crashes on every call is restarted with growing backoff, then left down. */
class HubRestartPolicyTest {
    /** Answers initialize and tools/list, counts its starts in a file, and dies on tools/call. */
    private static final String CRASHER = """
            import json, sys
            open(sys.argv[1], 'a').write('start\\n')
            for line in sys.stdin:
                m = json.loads(line)
                if 'id' not in m:
                    continue
                if m['method'] == 'tools/call':
                    sys.stderr.write('segfault in tool\\n'); sys.stderr.flush(); sys.exit(139)
                r = {'tools': [{'name': 'boom', 'inputSchema': {'type': 'object'}}]} if m['method'] == 'tools/list' \\
                    else {'protocolVersion': m['params']['protocolVersion'], 'capabilities': {'tools': {}},
                          'serverInfo': {'name': 'crasher', 'version': '1'}} if m['method'] == 'initialize' else {}
                print(json.dumps({'jsonrpc': '2.0', 'id': m['id'], 'result': r}), flush=True)
            """;

    @TempDir
    Path dir;

    @Test
    void crashLoopIsBoundedAndExplained() throws Exception {
        Path starts = dir.resolve("starts");
        try (McpHub hub = McpHub.builder()
                .logDirectory(dir)
                .onWarning(w -> {})
                .server(Servers.stdio("crasher", "python3", List.of("-c", CRASHER, starts.toString())))
                .build()) {
            List<String> errors = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int i = 0; i < 5; i++) {
                McpSchema.CallToolResult r = hub.call("mcp__crasher__boom", Map.of(), CallContext.none())
                        .join();
                assertEquals(Boolean.TRUE, r.isError());
                errors.add(Servers.text(r));
            }
            long elapsedMs = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(errors.get(0).contains("MCP server 'crasher' exited with code 139"), errors.get(0));
            assertTrue(errors.get(4).contains("is not restarted again"), errors.get(4));
            assertTrue(
                    errors.get(4).contains("segfault in tool"), "the last error carries its stderr: " + errors.get(4));
            assertEquals(4, Files.readAllLines(starts).size(), "first start plus three restarts");
            assertTrue(elapsedMs >= 5_000, "restarts waited 0 s, 1 s and 4 s: " + elapsedMs + " ms");
        }
    }
}
