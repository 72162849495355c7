// A dual-era MCP server built on the TypeScript SDK v2 (@modelcontextprotocol/server 2.4.0): it serves
// 2026-07-28 (stateless, per-request _meta) and legacy (initialize) clients from one tool definition.
//
//   node scripts/v2-server.mjs stdio [--modern-only]
//   node scripts/v2-server.mjs http PORT [--modern-only]     (PORT 0 picks a free one)
//
// HTTP listens on 127.0.0.1 only, path /mcp, and prints "v2-server listening on http://127.0.0.1:PORT/mcp" on
// stderr once ready. --modern-only answers legacy traffic with -32022 (createMcpHandler legacy: 'reject').
// stdio serves legacy or modern per connection (serveStdio: the first message decides); with --modern-only it
// answers a legacy opening (initialize) with the unsupported-protocol-version error (serveStdio legacy: 'reject').
//
// Tools (listed in this order):
//   echo {message}      -> text "Echo: MESSAGE"
//   ask_name {prompt?}  -> asks the client for {name} by a form elicitation (an input_required result on the
//                          modern wire; the SDK turns it into elicitation/create on a legacy session), then
//                          answers "Hello, NAME!" when accepted, or "elicitation ACTION" when declined/cancelled.
import http from 'node:http';
import { Readable } from 'node:stream';
import { McpServer, createMcpHandler, fromJsonSchema, inputRequired, inputResponse } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';

const NAME_SCHEMA = {
    type: 'object',
    properties: { name: { type: 'string', description: 'Your name' } },
    required: ['name']
};

function factory() {
    const server = new McpServer({ name: 'v2-server', version: '1.0.0' });
    server.registerTool('echo', {
        description: 'Echoes the message back',
        inputSchema: fromJsonSchema({
            type: 'object', properties: { message: { type: 'string' } }, required: ['message']
        })
    }, async ({ message }) => ({ content: [{ type: 'text', text: `Echo: ${message}` }] }));
    server.registerTool('ask_name', {
        description: 'Asks the user for their name (form elicitation), then greets them',
        inputSchema: fromJsonSchema({ type: 'object', properties: { prompt: { type: 'string' } } })
    }, async ({ prompt }, ctx) => {
        const answer = inputResponse(ctx.mcpReq.inputResponses, 'name');
        if (answer.kind === 'missing') {
            return inputRequired({
                inputRequests: {
                    name: inputRequired.elicit({ message: prompt ?? 'What is your name?', requestedSchema: NAME_SCHEMA })
                }
            });
        }
        if (answer.kind === 'elicit' && answer.action === 'accept') {
            return { content: [{ type: 'text', text: `Hello, ${answer.content?.name}!` }] };
        }
        return { content: [{ type: 'text', text: `elicitation ${answer.action ?? answer.kind}` }] };
    });
    return server;
}

const [mode = 'stdio', portArg = '0', ...flags] = process.argv.slice(2);
const onerror = (e) => process.stderr.write(`v2-server: ${e?.stack ?? e}\n`);

if (mode === 'stdio') {
    serveStdio(factory, { legacy: [portArg, ...flags].includes('--modern-only') ? 'reject' : 'serve', onerror });
} else if (mode === 'http') {
    const handler = createMcpHandler(factory, {
        legacy: flags.includes('--modern-only') ? 'reject' : 'stateless',
        onerror
    });
    // The SDK's handler is fetch-shaped (web Request -> Response); node:http needs this small bridge
    // (the SDK's @modelcontextprotocol/node adapter has no 2.4.0 release).
    const server = http.createServer(async (req, res) => {
        try {
            const url = `http://${req.headers.host ?? '127.0.0.1'}${req.url}`;
            const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
            const abort = new AbortController();
            res.on('close', () => abort.abort());
            const request = new Request(url, {
                method: req.method,
                headers: Object.entries(req.headers).flatMap(([k, v]) =>
                    Array.isArray(v) ? v.map((x) => [k, x]) : [[k, v]]),
                body: hasBody ? Readable.toWeb(req) : undefined,
                duplex: hasBody ? 'half' : undefined,
                signal: abort.signal
            });
            const response = await handler.fetch(request);
            res.writeHead(response.status, Object.fromEntries(response.headers));
            if (response.body) {
                for await (const chunk of response.body) {
                    res.write(chunk);
                }
            }
            res.end();
        } catch (e) {
            onerror(e);
            if (!res.headersSent) {
                res.writeHead(500).end();
            } else {
                res.destroy();
            }
        }
    });
    server.listen(Number(portArg), '127.0.0.1', () => {
        process.stderr.write(`v2-server listening on http://127.0.0.1:${server.address().port}/mcp\n`);
    });
    const stop = () => server.close(() => process.exit(0));
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
} else {
    process.stderr.write('usage: v2-server.mjs stdio [--modern-only] | http PORT [--modern-only]\n');
    process.exit(2);
}
