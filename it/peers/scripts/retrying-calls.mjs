// Many tool calls with unique payloads from one TS SDK v2 client (pinned to 2026-07-28) over HTTP, a few at a
// time, each re-issued until it is answered: what a client does when a replica behind its load balancer dies.
//
//   node scripts/retrying-calls.mjs 'SPEC-JSON'   or   node scripts/retrying-calls.mjs @spec.json
//
// SPEC:
//   url:          the MCP endpoint (e.g. the load balancer's http://127.0.0.1:PORT/mcp)
//   bearerToken:  optional
//   tool:         the tool to call, e.g. "exec_command"
//   arguments:    its arguments; every "{payload}" in a string value is replaced by the call's payload
//                 ("p-0", "p-1", ...)
//   count:        how many calls (payloads)
//   concurrency:  how many are in flight at once
//   maxAttempts:  how often one payload is tried before the script gives up on it (default 10)
//   timeoutMs:    per request (default 30000)
//
// Output, one JSON object per line, in the order things happen:
//   {"event":"answered","payload":"p-7","attempt":2,"text":"..."}   a call returned a result (isError false)
//   {"event":"failed","payload":"p-7","attempt":1,"error":{...}}     a call threw or returned isError; it is
//                                                                    re-issued unless maxAttempts is reached
//                                                                    ("toolError": true for an isError result)
//   {"event":"done","answered":N,"failed":M,"gaveUp":["p-..."]}
// Exit status: 0 when every payload was answered, 1 when some were given up, 2 bad spec.
import { readFileSync } from 'node:fs';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';

function fail(message) {
    process.stderr.write(`retrying-calls: ${message}\n`);
    process.exit(2);
}

function out(obj) {
    process.stdout.write(JSON.stringify(obj) + '\n');
}

const arg = process.argv[2];
if (!arg) {
    fail("usage: retrying-calls.mjs 'SPEC-JSON' | @spec.json");
}
let spec;
try {
    spec = JSON.parse(arg.startsWith('@') ? readFileSync(arg.slice(1), 'utf8') : arg);
} catch (e) {
    fail(`the spec is not valid JSON: ${e.message}`);
}
for (const key of ['url', 'tool', 'count', 'concurrency']) {
    if (spec[key] === undefined) fail(`${key} is required`);
}
const maxAttempts = spec.maxAttempts ?? 10;
const timeout = spec.timeoutMs ?? 30000;

function withPayload(value, payload) {
    if (typeof value === 'string') return value.replaceAll('{payload}', payload);
    if (Array.isArray(value)) return value.map((v) => withPayload(v, payload));
    if (value && typeof value === 'object') {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withPayload(v, payload)]));
    }
    return value;
}

const headers = spec.bearerToken ? { Authorization: `Bearer ${spec.bearerToken}` } : {};
const client = new Client({ name: 'toolhost-it-retrying-calls', version: '1.0.0' }, {
    capabilities: {},
    versionNegotiation: { mode: { pin: '2026-07-28' } }
});
await client.connect(new StreamableHTTPClientTransport(new URL(spec.url), { requestInit: { headers } }), { timeout });

let answered = 0;
let failed = 0;
const gaveUp = [];
let next = 0;

async function callUntilAnswered(payload) {
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
        try {
            const args = withPayload(spec.arguments ?? {}, payload);
            const result = await client.callTool({ name: spec.tool, arguments: args }, { timeout });
            const text = (result.content ?? []).filter((c) => c.type === 'text').map((c) => c.text).join('');
            if (result.isError) {
                failed++;
                out({ event: 'failed', payload, attempt, error: { toolError: true, message: text } });
                continue;
            }
            answered++;
            out({ event: 'answered', payload, attempt, text });
            return;
        } catch (e) {
            failed++;
            const error = { name: e?.name ?? 'Error', message: String(e?.message ?? e) };
            out({ event: 'failed', payload, attempt, error });
        }
    }
    gaveUp.push(payload);
}

async function worker() {
    while (next < spec.count) {
        await callUntilAnswered(`p-${next++}`);
    }
}

await Promise.all(Array.from({ length: spec.concurrency }, worker));
out({ event: 'done', answered, failed, gaveUp });
await client.close();
process.exit(gaveUp.length === 0 ? 0 : 1);
