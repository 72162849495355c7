package dev.toolhost.it.hub;

import dev.toolhost.config.McpServerConfig;
import java.util.List;

/**
 * A stdio MCP server (Python, standard library only) that breaks the rules on purpose: it lists tools
 * with no or wrong input schemas and answers some calls with lines that cannot be parsed, are very long, or are a JSON-RPC batch.
 */
final class OddServer {
    static final String SCRIPT = """
            import json, sys
            TOOLS = [
                {'name': 'good', 'inputSchema': {'type': 'object', 'properties': {'n': {'type': 'integer'}}}},
                {'name': 'no_schema', 'description': 'lists no inputSchema'},
                {'name': 'untyped', 'inputSchema': {'properties': {}}},
                {'name': 'string_schema', 'inputSchema': {'type': 'string'}},
                {'name': 'big', 'inputSchema': {'type': 'object'}},
                {'name': 'broken', 'inputSchema': {'type': 'object'}},
                {'name': 'batch', 'inputSchema': {'type': 'object'}},
            ]
            def send(m):
                sys.stdout.write(json.dumps(m) + '\\n'); sys.stdout.flush()
            for line in sys.stdin:
                m = json.loads(line)
                if 'id' not in m or 'method' not in m:
                    continue
                method, rid = m['method'], m['id']
                if method == 'initialize':
                    send({'jsonrpc': '2.0', 'id': rid, 'result': {'protocolVersion': m['params']['protocolVersion'],
                          'capabilities': {'tools': {}}, 'serverInfo': {'name': 'odd', 'version': '1'}}})
                elif method == 'tools/list':
                    send({'jsonrpc': '2.0', 'id': rid, 'result': {'tools': TOOLS}})
                elif method == 'tools/call':
                    name, args = m['params']['name'], m['params'].get('arguments') or {}
                    if name == 'big':
                        # id last, as the TypeScript SDK writes it
                        text = 'x' * int(args.get('n', 0))
                        send({'result': {'content': [{'type': 'text', 'text': text}]}, 'jsonrpc': '2.0', 'id': rid})
                    elif name == 'broken':
                        sys.stdout.write('{"jsonrpc":"2.0","id":' + json.dumps(rid) + ',"result":{"content":[{"type":"text","text":"a"}],}}\\n')
                        sys.stdout.flush()
                    elif name == 'batch':
                        send([{'jsonrpc': '2.0', 'method': 'notifications/message', 'params': {'level': 'info', 'data': 'x'}},
                              {'jsonrpc': '2.0', 'id': rid, 'result': {'content': [{'type': 'text', 'text': 'in a batch'}]}}])
                    else:
                        send({'jsonrpc': '2.0', 'id': rid, 'result': {'content': [{'type': 'text', 'text': 'ok ' + name}]}})
                else:
                    send({'jsonrpc': '2.0', 'id': rid, 'result': {}})
            """;

    private OddServer() {}

    static McpServerConfig config(String name) {
        return Servers.stdio(name, "python3", List.of("-c", SCRIPT));
    }

    /** The TOML args array that runs it. */
    static String tomlArgs() {
        return "[\"-c\", '''\n" + SCRIPT + "''']";
    }
}
