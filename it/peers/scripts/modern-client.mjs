// A scripted MCP client on the TypeScript SDK v2 (@modelcontextprotocol/client 2.4.0), for JUnit tests that
// need a real client of either era. It connects, runs a list of operations and prints one JSON line per
// outcome on stdout (SDK noise and the server's stderr go to stderr).
//
//   node scripts/modern-client.mjs 'SPEC-JSON'        or        node scripts/modern-client.mjs @spec.json
//   node scripts/modern-client.mjs @spec.json URL     (a trailing URL, as the conformance suite's client runner
//                                                      appends it, means transport {"type":"http","url":URL}
//                                                      when the spec names no transport)
//
// SPEC:
//   transport:   {"type":"stdio","command":"CMD","args":["..."],"env":{"K":"V"},"cwd":"DIR"}
//                (the child inherits this process's environment plus env)
//              | {"type":"http","url":"http://127.0.0.1:PORT/mcp","bearerToken":"TOKEN"}   (token optional)
//   negotiation: "legacy" (default: plain initialize) | "auto" (probe with server/discover, fall back to
//                legacy) | "2026-07-28" or any other version string (pinned modern, no fallback)
//   elicitation: absent/null: no elicitation capability declared
//              | {"action":"accept","content":{...}} | {"action":"decline"} | {"action":"cancel"}
//                (the capability is declared and every elicitation request, legacy elicitation/create or a
//                modern input_required round, is answered so); "delayMs":N answers each one N ms after it
//                arrived (a person taking their time)
//   sampling:    absent/null: no sampling capability declared
//              | {"text":"REPLY"} (declared; every sampling request is answered with that assistant text,
//                model "toolhost-it-model")
//   logLevel:    absent: no log messages asked for | "info" etc. (setLoggingLevel: logging/setLevel on a legacy
//                session, _meta logLevel on every modern request); messages received are listed per operation
//   operations:  [{"op":"list_tools"}, {"op":"call_tool","name":"echo","arguments":{"message":"hi"}}, ...]
//                also {"op":"complete","ref":{"type":"ref/prompt","name":"P"},"argument":{"name":"A","value":"V"}}
//                An argument value {"$fromOp":N,"path":"structuredContent.session_id"} is replaced by that field
//                of operation N's result (0-based; e.g. exec_command's session_id for a later write_stdin).
//                (call_tool takes an optional "meta" object sent as the request's _meta, e.g.
//                {"io.modelcontextprotocol/logLevel":"debug"} to ask a 2026-07-28 server for log messages)
//   timeoutMs:   per request (default 30000)
//
// Output, one JSON object per line:
//   {"event":"connected","era":"modern"|"legacy","protocolVersion":"2026-07-28","serverInfo":{...}}
//   {"op":"list_tools","ok":true,"tools":["echo",...],"result":{...}}
//   {"op":"call_tool","name":"echo","ok":true,"text":"...","result":{...},"elicitations":[...],"samplings":[...],
//    "progress":[{"progress":1,"total":5,...}, ...],"logs":[...]}
//   {"op":...,"ok":false,"error":{"name":...,"message":...,"code":...,"data":...},"elicitations":[...],"logs":[...]}
//   {"event":"connect_failed","error":{...}}
// "elicitations" lists each elicitation this client answered during the operation: {"params":{...},"answer":{...}}.
// "logs" lists the params of each notifications/message the client received during the operation.
// Exit status: 0 when connected (each operation reports its own ok), 1 when the connection failed, 2 bad spec.
import { readFileSync } from 'node:fs';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';

function fail(message) {
    process.stderr.write(`modern-client: ${message}\n`);
    process.exit(2);
}

function out(obj) {
    process.stdout.write(JSON.stringify(obj) + '\n');
}

function errorJson(e) {
    return {
        name: e?.name ?? 'Error',
        message: String(e?.message ?? e),
        ...(e?.code !== undefined ? { code: e.code } : {}),
        ...(e?.data !== undefined ? { data: e.data } : {})
    };
}

const arg = process.argv[2];
if (!arg) {
    fail("usage: modern-client.mjs 'SPEC-JSON' | @spec.json");
}
let spec;
try {
    spec = JSON.parse(arg.startsWith('@') ? readFileSync(arg.slice(1), 'utf8') : arg);
} catch (e) {
    fail(`the spec is not valid JSON: ${e.message}`);
}

if (process.argv[3] && !spec.transport) {
    spec.transport = { type: 'http', url: process.argv[3] };
}

const negotiation = spec.negotiation ?? 'legacy';
const mode = negotiation === 'legacy' || negotiation === 'auto' ? negotiation : { pin: negotiation };
const timeout = spec.timeoutMs ?? 30000;
const elicitation = spec.elicitation ?? null;
if (elicitation && !['accept', 'decline', 'cancel'].includes(elicitation.action)) {
    fail(`elicitation.action must be accept, decline or cancel, not ${JSON.stringify(elicitation.action)}`);
}

function transport() {
    const t = spec.transport ?? {};
    if (t.type === 'stdio') {
        if (!t.command) fail('transport.command is required for stdio');
        return new StdioClientTransport({
            command: t.command,
            args: t.args ?? [],
            env: { ...process.env, ...(t.env ?? {}) },
            cwd: t.cwd,
            stderr: 'inherit'
        });
    }
    if (t.type === 'http') {
        if (!t.url) fail('transport.url is required for http');
        const headers = t.bearerToken ? { Authorization: `Bearer ${t.bearerToken}` } : {};
        return new StreamableHTTPClientTransport(new URL(t.url), { requestInit: { headers } });
    }
    fail(`transport.type must be stdio or http, not ${JSON.stringify(t.type)}`);
}

const sampling = spec.sampling ?? null;
const client = new Client({ name: 'toolhost-it-modern-client', version: '1.0.0' }, {
    capabilities: { ...(elicitation ? { elicitation: { form: {} } } : {}), ...(sampling ? { sampling: {} } : {}) },
    versionNegotiation: { mode }
});

let answered = [];
let sampled = [];
let progress = [];
let logs = [];
client.setNotificationHandler('notifications/message', (n) => {
    logs.push(n.params);
});
if (sampling) {
    client.setRequestHandler('sampling/createMessage', async (request) => {
        const answer = { role: 'assistant', content: { type: 'text', text: sampling.text ?? '' },
            model: 'toolhost-it-model', stopReason: 'endTurn' };
        sampled.push({ params: request.params, answer });
        return answer;
    });
}
if (elicitation) {
    client.setRequestHandler('elicitation/create', async (request) => {
        await new Promise((resolve) => setTimeout(resolve, elicitation.delayMs ?? 0));
        const answer = elicitation.action === 'accept'
            ? { action: 'accept', content: elicitation.content ?? {} }
            : { action: elicitation.action };
        answered.push({ params: request.params, answer });
        return answer;
    });
}

try {
    await client.connect(transport(), { timeout });
} catch (e) {
    out({ event: 'connect_failed', error: errorJson(e) });
    process.exit(1);
}
const modern = client.getProtocolEra() === 'modern';
if (spec.logLevel && !modern) {
    await client.setLoggingLevel(spec.logLevel, { timeout });
}
// A modern request asks for log messages in its own _meta (user keys win over the SDK's envelope).
const callMeta = spec.logLevel && modern ? { _meta: { 'io.modelcontextprotocol/logLevel': spec.logLevel } } : {};
out({
    event: 'connected',
    era: client.getProtocolEra(),
    protocolVersion: client.getNegotiatedProtocolVersion(),
    serverInfo: client.getServerVersion()
});

const results = [];

// Replaces {"$fromOp": N, "path": "a.b"} argument values by that field of an earlier operation's result.
function resolve(args) {
    const resolved = {};
    for (const [key, value] of Object.entries(args ?? {})) {
        if (value && typeof value === 'object' && '$fromOp' in value) {
            let v = results[value.$fromOp];
            for (const part of String(value.path ?? '').split('.').filter((p) => p)) {
                v = v?.[part];
            }
            resolved[key] = v;
        } else {
            resolved[key] = value;
        }
    }
    return resolved;
}

for (const op of spec.operations ?? []) {
    answered = [];
    sampled = [];
    progress = [];
    logs = [];
    results.push(undefined);
    try {
        if (op.op === 'list_tools') {
            const result = await client.listTools(undefined, { timeout, cacheMode: 'bypass' });
            results[results.length - 1] = result;
            out({ op: 'list_tools', ok: true, tools: result.tools.map((t) => t.name), result });
        } else if (op.op === 'call_tool') {
            const meta = { ...(callMeta._meta ?? {}), ...(op.meta ?? {}) };
            const params = { name: op.name, arguments: resolve(op.arguments),
                ...(Object.keys(meta).length > 0 ? { _meta: meta } : {}) };
            const result = await client.callTool(params, { timeout, onprogress: (p) => progress.push(p) });
            results[results.length - 1] = result;
            const text = (result.content ?? []).filter((c) => c.type === 'text').map((c) => c.text).join('');
            out({ op: 'call_tool', name: op.name, ok: true, text, result, elicitations: answered, samplings: sampled,
                progress, logs });
        } else if (op.op === 'complete') {
            const result = await client.complete({ ref: op.ref, argument: op.argument }, { timeout });
            out({ op: 'complete', ok: true, values: result.completion.values, result });
        } else {
            out({ op: op.op, ok: false, error: { name: 'UsageError', message: `unknown op ${JSON.stringify(op.op)}` } });
        }
    } catch (e) {
        out({ op: op.op, ...(op.name ? { name: op.name } : {}), ok: false, error: errorJson(e), elicitations: answered,
            samplings: sampled, logs });
    }
}
await client.close();
process.exit(0);
