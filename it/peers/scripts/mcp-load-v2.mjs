// Streamable-HTTP tools/call load from TypeScript SDK v2 clients (@modelcontextprotocol/client 2.4.0), of either
// era, and one JSON summary line on stdout. Run with cwd it/peers:
//   node scripts/mcp-load-v2.mjs --url http://127.0.0.1:PORT/mcp [options]
// Options: --negotiation 2026-07-28 (default; pinned modern: stateless requests, no session) | legacy
//            (initialize + Mcp-Session-Id) | auto
//          --clients N (16): N Client objects, each its own connection and one call in flight at a time
//          --calls N (20000, shared by the clients) --warmup N (2000 calls first, not timed)
//          --tool NAME (update_plan) --args JSON ('{"explanation":"bench"}', as bench/McpHttpBench.java sends)
// Every call's result is checked: an isError result or a thrown error counts as a failure; an echo tool's
// reply must contain the call's own message. startMs/endMs (epoch) let several processes' runs be summed;
// clientCpuMsPerCall is this Node process's CPU time (user + system) per timed call.
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';

const opts = process.argv.slice(2);
const opt = (name, dflt) => { const i = opts.indexOf(name); return i < 0 ? dflt : opts[i + 1]; };
const url = opt('--url', null);
if (!url) {
    process.stderr.write('mcp-load-v2: --url is required\n');
    process.exit(2);
}
const negotiation = opt('--negotiation', '2026-07-28');
const mode = negotiation === 'legacy' || negotiation === 'auto' ? negotiation : { pin: negotiation };
const clientCount = Number(opt('--clients', '16'));
const calls = Number(opt('--calls', '20000'));
const warmup = Number(opt('--warmup', '2000'));
const tool = opt('--tool', 'update_plan');
const toolArgs = JSON.parse(opt('--args', '{"explanation":"bench"}'));
const echo = tool.endsWith('echo');

const clients = [];
for (let c = 0; c < clientCount; c++) {
    const client = new Client({ name: 'toolhost-load-v2', version: '1.0.0' },
        { capabilities: {}, versionNegotiation: { mode } });
    await client.connect(new StreamableHTTPClientTransport(new URL(url)));
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
    await Promise.all(clients.map(worker));
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
    era, protocolVersion, tool, clients: clientCount, calls, ok, failures, firstFailures,
    seconds: Number(seconds.toFixed(3)), callsPerSec: Math.round(calls / seconds),
    p50Ms: Number(pct(0.5).toFixed(3)), p99Ms: Number(pct(0.99).toFixed(3)),
    clientCpuMsPerCall: Number(((cpu.user + cpu.system) / 1000 / calls).toFixed(3)), startMs, endMs
}));
for (const c of clients) await c.close();
process.exit(0);
