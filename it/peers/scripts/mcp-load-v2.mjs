// Streamable-HTTP tools/call load from TypeScript SDK v2 clients (@modelcontextprotocol/client 2.4.0), of either
// era, and one JSON summary line on stdout. Run with cwd it/peers:
//   node scripts/mcp-load-v2.mjs --url http://127.0.0.1:PORT/mcp [options]
//   node scripts/mcp-load-v2.mjs [options] -- COMMAND ARGS...      (stdio: spawns the server; one client)
// Options: --negotiation 2026-07-28 (default; pinned modern: stateless requests, no session) | legacy
//            (initialize + Mcp-Session-Id) | auto
//          --clients N (16; stdio: 1): N Client objects, each its own connection
//          --concurrency N (1; stdio: 16): calls in flight per client
//          --calls N (20000, shared by the clients) --warmup N (2000 calls first, not timed)
//          --tool NAME (update_plan) --args JSON ('{"explanation":"bench"}', as bench/McpHttpBench.java sends)
// Every call's result is checked: an isError result or a thrown error counts as a failure; an echo tool's
// reply must contain the call's own message. startMs/endMs (epoch) let several processes' runs be summed;
// clientCpuMsPerCall is this Node process's CPU time (user + system) per timed call.
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';

const argv = process.argv.slice(2);
const dash = argv.indexOf('--');
const opts = dash < 0 ? argv : argv.slice(0, dash);
const command = dash < 0 ? [] : argv.slice(dash + 1);
const opt = (name, dflt) => { const i = opts.indexOf(name); return i < 0 ? dflt : opts[i + 1]; };
const url = opt('--url', null);
if (!url && command.length === 0) {
    process.stderr.write('mcp-load-v2: --url or -- COMMAND is required\n');
    process.exit(2);
}
const stdio = !url;
const negotiation = opt('--negotiation', '2026-07-28');
const mode = negotiation === 'legacy' || negotiation === 'auto' ? negotiation : { pin: negotiation };
const clientCount = Number(opt('--clients', stdio ? '1' : '16'));
const concurrency = Number(opt('--concurrency', stdio ? '16' : '1'));
const calls = Number(opt('--calls', '20000'));
const warmup = Number(opt('--warmup', '2000'));
const tool = opt('--tool', 'update_plan');
const toolArgs = JSON.parse(opt('--args', '{"explanation":"bench"}'));
const echo = tool.endsWith('echo');

const clients = [];
for (let c = 0; c < clientCount; c++) {
    const client = new Client({ name: 'toolhost-load-v2', version: '1.0.0' },
        { capabilities: {}, versionNegotiation: { mode } });
    await client.connect(stdio
        ? new StdioClientTransport({ command: command[0], args: command.slice(1), stderr: 'inherit', env: process.env })
        : new StreamableHTTPClientTransport(new URL(url)));
    clients.push(client);
}
const era = clients[0].getProtocolEra();
const protocolVersion = clients[0].getNegotiatedProtocolVersion();

async function run(total, latencies) {
    let next = 0, ok = 0, failures = 0;
    const firstFailures = [];
    async function worker(client) {
        while (true) {
            const i = next++;
            if (i >= total) return;
            const args = echo ? { message: `m-${i}` } : toolArgs;
            const t0 = process.hrtime.bigint();
            try {
                const result = await client.callTool({ name: tool, arguments: args }, { timeout: 60000 });
                const text = JSON.stringify(result.content ?? []);
                if (result.isError || (echo && !text.includes(`m-${i}`))) {
                    failures++;
                    if (firstFailures.length < 3) firstFailures.push(text.slice(0, 300));
                } else ok++;
            } catch (e) {
                failures++;
                if (firstFailures.length < 3) firstFailures.push(String(e?.message ?? e).slice(0, 300));
            }
            if (latencies) latencies[i] = Number(process.hrtime.bigint() - t0) / 1e6;
        }
    }
    await Promise.all(Array.from({ length: clientCount * concurrency }, (_, w) => worker(clients[w % clientCount])));
    return { ok, failures, firstFailures };
}

await run(warmup, null);
const latencies = new Float64Array(calls);
const startMs = Date.now();
const cpuBefore = process.cpuUsage();
const start = process.hrtime.bigint();
const { ok, failures, firstFailures } = await run(calls, latencies);
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
const cpu = process.cpuUsage(cpuBefore);
const endMs = Date.now();
const sorted = Array.from(latencies).sort((a, b) => a - b);
const pct = (p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
console.log(JSON.stringify({
    era, protocolVersion, tool, clients: clientCount, concurrency, calls, ok, failures, firstFailures,
    seconds: Number(seconds.toFixed(3)), callsPerSec: Math.round(calls / seconds),
    p50Ms: Number(pct(0.5).toFixed(3)), p99Ms: Number(pct(0.99).toFixed(3)),
    clientCpuMsPerCall: Number(((cpu.user + cpu.system) / 1000 / calls).toFixed(3)), startMs, endMs
}));
for (const c of clients) await c.close();
process.exit(0);
