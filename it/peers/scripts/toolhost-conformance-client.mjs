#!/usr/bin/env node
// Toolhost as the client under test of the MCP conformance suite's (non-auth) client scenarios:
//   conformance client --command "node it/peers/scripts/toolhost-conformance-client.mjs" --scenario tools_call
// The runner appends the scenario server's URL as the last argument and sets MCP_CONFORMANCE_SCENARIO (and, for
// some scenarios, MCP_CONFORMANCE_CONTEXT, e.g. the tool calls http-custom-headers wants). This writes a fresh
// TOOLHOST_HOME whose config.toml has [mcp_servers.s] url = "<URL>", then runs `toolhost call` on each tool the
// scenario expects (`toolhost mcp list` when it expects none), answering elicitations with --accept-defaults.
// The jar is host/target/toolhost-all.jar (or TOOLHOST_JAR). Exit status: the last failing command's, else 0.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const url = process.argv[process.argv.length - 1];
const context = process.env.MCP_CONFORMANCE_CONTEXT ? JSON.parse(process.env.MCP_CONFORMANCE_CONTEXT) : {};
const scenario = process.env.MCP_CONFORMANCE_SCENARIO || '';
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const jar = process.env.TOOLHOST_JAR || join(root, 'host', 'target', 'toolhost-all.jar');
if (!existsSync(jar)) {
  console.error(`toolhost-conformance-client: ${jar} is missing (build with mvn -pl host -am package)`);
  process.exit(2);
}

// What each scenario calls (tool name and arguments), from the scenario code in the suite's dist/index.js.
const CALLS = {
  'tools_call': [['add_numbers', { a: 2, b: 3 }]],
  'http-standard-headers': [['test_headers', {}], ['my-hyphenated-tool', {}]],
  'http-invalid-tool-headers': [['valid_tool', { region: 'us-west1' }]],
  'sep-2322-client-request-state': [['test_mrtr_echo_state', {}], ['test_mrtr_unrelated', {}],
    ['test_mrtr_no_state', {}], ['test_mrtr_no_result_type', {}]],
  'sse-retry': [['test_reconnection', {}]],
  'elicitation-sep1034-client-defaults': [['test_client_elicitation_defaults', {}]],
};
const calls = Array.isArray(context.toolCalls)
  ? context.toolCalls.map((c) => [c.name, c.arguments ?? {}])
  : (CALLS[scenario] ?? []);

const home = mkdtempSync(join(tmpdir(), 'toolhost-conformance-'));
writeFileSync(join(home, 'config.toml'),
  ['[mcp_servers.s]', `url = ${JSON.stringify(url)}`, 'startup_timeout_sec = 8', 'tool_timeout_sec = 20', ''].join('\n'));
const env = { ...process.env, TOOLHOST_HOME: home };
const java = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
const toolhost = (args) => spawnSync(java, ['-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-Xshare:auto', '-jar', jar,
  ...args], { env, stdio: 'inherit' }).status ?? 1;

let status = 0;
if (calls.length === 0) {
  status = toolhost(['mcp', 'list']);
}
for (const [name, args] of calls) {
  const rc = toolhost(['call', '--accept-defaults', `mcp__s__${name}`, JSON.stringify(args)]);
  if (rc !== 0) {
    status = rc;
  }
}
process.exit(status);
