// Drives an MCP server with the TypeScript SDK client and prints one JSON summary line.
// Run with cwd it/peers:
//   node scripts/mcp-load.mjs [options] -- COMMAND ARGS...     (stdio: spawns the server)
//   node scripts/mcp-load.mjs [options] --url http://127.0.0.1:PORT/mcp
// Options: --calls N (default 20000) --concurrency N (16) --tool NAME (echo) --args JSON
//          --protocol VERSION (ask for this version in initialize; default: the SDK's latest)
//          --progress-tool NAME --progress-args JSON --progress-every N (every Nth call is that tool,
//            called with a progress callback) --logging LEVEL (logging/setLevel first)
//          --before-tool NAME (call it once, without arguments, before the load)
//          --mid-tool NAME (call #calls/4 is this tool, without arguments, amid the other calls)
//          --header 'Name: value' (HTTP only)
//          --clients N (HTTP only: N sessions share the calls; each counts as a client)
//          --init-only (connect, list tools, report the negotiated version and exit)
//          --warmup N (0: N untimed calls of the same tool first, on the same workers; not counted below)
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { LoggingMessageNotificationSchema } from '@modelcontextprotocol/sdk/types.js';

const argv = process.argv.slice(2);
const dash = argv.indexOf('--');
const opts = dash < 0 ? argv : argv.slice(0, dash);
const command = dash < 0 ? [] : argv.slice(dash + 1);
const opt = (name, dflt) => { const i = opts.indexOf(name); return i < 0 ? dflt : opts[i + 1]; };
const flag = (name) => opts.includes(name);

const calls = Number(opt('--calls', '20000'));
const concurrency = Number(opt('--concurrency', '16'));
const tool = opt('--tool', 'echo');
const toolArgs = JSON.parse(opt('--args', '{"message":"hello"}'));
const protocol = opt('--protocol', null);
const progressTool = opt('--progress-tool', null);
const progressArgs = JSON.parse(opt('--progress-args', '{}'));
const progressEvery = Number(opt('--progress-every', '0'));
const loggingLevel = opt('--logging', null);
const url = opt('--url', null);
const beforeTool = opt('--before-tool', null);
const midTool = opt('--mid-tool', null);
const headers = opt('--header', null); // "Name: value"


const requestInit = headers ? { headers: { [headers.split(':')[0]]: headers.slice(headers.indexOf(':') + 1).trim() } } : undefined;
const clientCount = Number(opt('--clients', '1')); // HTTP only: separate sessions sharing the load
const warmup = Number(opt('--warmup', '0'));

// Count every response by client and id on the wire, to detect losses and duplicates below the SDK.
const responsesById = new Map();
let negotiated = null;
let wireErrors = 0;
const wireErrorSamples = [];
let logging = 0;

async function connect(index) {
  const transport = url ? new StreamableHTTPClientTransport(new URL(url), { requestInit })
    : new StdioClientTransport({ command: command[0], args: command.slice(1), stderr: 'inherit', env: process.env });
  const client = new Client({ name: 'toolhost-load', version: '1.0.0' }, { capabilities: {} });
  const origSend = transport.send.bind(transport);
  transport.send = (message, options) => {
    if (protocol && message.method === 'initialize') {
      message = { ...message, params: { ...message.params, protocolVersion: protocol } };
    }
    return origSend(message, options);
  };
  client.onerror = (e) => { wireErrors++; if (wireErrorSamples.length < 3) wireErrorSamples.push(String(e && e.message || e).slice(0, 200)); };
  client.setNotificationHandler(LoggingMessageNotificationSchema, () => { logging++; });
  let inner = null;
  Object.defineProperty(transport, 'onmessage', {
    configurable: true,
    get() {
      return inner && ((message, extra) => {
        if (message.id !== undefined && (message.result !== undefined || message.error !== undefined)) {
          const key = index + ':' + message.id;
          responsesById.set(key, (responsesById.get(key) || 0) + 1);
          if (message.result && message.result.protocolVersion) negotiated = message.result.protocolVersion;
        }
        inner(message, extra);
      });
    },
    set(fn) { inner = fn; },
  });
  await client.connect(transport);
  return client;
}

const client = await connect(0);
const clients = [client];
for (let c = 1; c < clientCount; c++) clients.push(await connect(c));
const tools = (await client.listTools()).tools.map(t => t.name);
if (loggingLevel) await client.setLoggingLevel(loggingLevel);
if (beforeTool) await client.callTool({ name: beforeTool, arguments: {} });

const summary = { protocolVersion: negotiated, tools: tools.length };
if (flag('--init-only')) {
  summary.toolNames = tools;
  console.log(JSON.stringify(summary));
  await client.close();
  process.exit(0);
}

if (warmup > 0) {
  let w = 0;
  await Promise.all(Array.from({ length: concurrency }, async (_, k) => {
    const c = clients[k % clients.length];
    while (w < warmup) {
      const i = w++;
      const args = tool.endsWith('echo') ? { ...toolArgs, message: `warmup-${i}` } : toolArgs;
      await c.callTool({ name: tool, arguments: args }, undefined, { timeout: 60000 });
    }
  }));
}

const latencies = new Float64Array(calls);
let next = 0, ok = 0, toolErrors = 0, failures = 0, progress = 0, wrongEcho = 0;
const firstFailures = [];
const start = process.hrtime.bigint();
async function worker(w) {
  const client = clients[w % clients.length];
  while (true) {
    const i = next++;
    if (i >= calls) return;
    const withProgress = progressTool && progressEvery > 0 && i % progressEvery === 0;
    const t0 = process.hrtime.bigint();
    try {
      let result;
      if (midTool && i === Math.floor(calls / 4)) {
        result = await client.callTool({ name: midTool, arguments: {} }, undefined, { timeout: 60000 });
      } else if (withProgress) {
        result = await client.callTool({ name: progressTool, arguments: progressArgs }, undefined,
          { onprogress: () => { progress++; }, timeout: 60000 });
      } else {
        const args = tool.endsWith('echo') ? { ...toolArgs, message: `${toolArgs.message ?? 'm'}-${i}` } : toolArgs;
        result = await client.callTool({ name: tool, arguments: args }, undefined, { timeout: 60000 });
        if (tool.endsWith('echo') && !JSON.stringify(result.content).includes(`-${i}`)) wrongEcho++;
      }
      if (result.isError) {
        toolErrors++;
        if (firstFailures.length < 3) firstFailures.push(JSON.stringify(result.content).slice(0, 300));
      } else ok++;
    } catch (e) {
      failures++;
      if (firstFailures.length < 3) firstFailures.push(String(e.message || e).slice(0, 300));
    }
    latencies[i] = Number(process.hrtime.bigint() - t0) / 1e6;
  }
}
await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
const sorted = Array.from(latencies).sort((a, b) => a - b);
const pct = (p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
let duplicates = 0;
for (const n of responsesById.values()) if (n > 1) duplicates += n - 1;
Object.assign(summary, {
  calls, concurrency, warmup, ok, toolErrors, failures, wrongEcho, duplicates, wireErrors,
  answered: responsesById.size - clients.length - 1 - (loggingLevel ? 1 : 0) - (beforeTool ? 1 : 0)
    - warmup /* load calls only */, progress, logging,
  seconds: Number(seconds.toFixed(3)), callsPerSec: Math.round(calls / seconds),
  p50Ms: Number(pct(0.5).toFixed(3)), p99Ms: Number(pct(0.99).toFixed(3)), firstFailures, wireErrorSamples,
});
console.log(JSON.stringify(summary));
for (const c of clients) await c.close();
process.exit(0);
