#!/usr/bin/env node
// Toolhost as the client under test of the MCP conformance suite's client scenarios, auth/* and the others:
//   conformance client --command "node it/conformance/toolhost-client.mjs" --scenario auth/metadata-default
// The runner appends the scenario server's URL as the last argument, sets MCP_CONFORMANCE_SCENARIO and, for some
// scenarios, MCP_CONFORMANCE_CONTEXT (pre-registered credentials, or the tool calls http-custom-headers wants).
// This writes a fresh TOOLHOST_HOME whose config.toml points [mcp_servers.s] at that URL, then runs
// `toolhost call --accept-defaults` on each tool the scenario expects (`toolhost mcp list` when it expects none):
// each call starts the server (the era probe, then initialize or server/discover, tools/list, tools/call).
// For auth/* scenarios the config also has [mcp_servers.s.oauth] (the suite's Client ID Metadata Document URL
// and the context's credentials) and authorization requests are approved headlessly
// (TOOLHOST_OAUTH_TEST_AUTO_APPROVE, a test hook). Toolhost runs through the repository's launcher, which
// starts it from the build's start-up cache; it never builds (run `./toolhost build` first).
// Exit status: the last failing command's, else 0.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const url = process.argv[process.argv.length - 1];
const context = process.env.MCP_CONFORMANCE_CONTEXT ? JSON.parse(process.env.MCP_CONFORMANCE_CONTEXT) : {};
const scenario = process.env.MCP_CONFORMANCE_SCENARIO || context.name || '';
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const launcher = join(root, 'toolhost');
if (!existsSync(join(root, 'host', 'target', 'toolhost-all.jar'))) {
  console.error(`toolhost-client: ${root}/host/target/toolhost-all.jar is missing (run ${launcher} build)`);
  process.exit(2);
}

// What each scenario calls (tool name and arguments), from the scenario code in the suite's dist/index.js.
// Every auth/* scenario's server has one tool, test-tool.
const CALLS = {
  'tools_call': [['add_numbers', { a: 2, b: 3 }]],
  'http-standard-headers': [['test_headers', {}], ['my-hyphenated-tool', {}]],
  'http-invalid-tool-headers': [['valid_tool', { region: 'us-west1' }]],
  'sep-2322-client-request-state': [['test_mrtr_echo_state', {}], ['test_mrtr_unrelated', {}],
    ['test_mrtr_no_state', {}], ['test_mrtr_no_result_type', {}]],
  'sse-retry': [['test_reconnection', {}]],
  'elicitation-sep1034-client-defaults': [['test_client_elicitation_defaults', {}]],
};
const auth = scenario.startsWith('auth/');
const calls = Array.isArray(context.toolCalls)
  ? context.toolCalls.map((c) => [c.name, c.arguments ?? {}])
  : (CALLS[scenario] ?? (auth ? [['test-tool', {}]] : []));

const home = mkdtempSync(join(tmpdir(), 'toolhost-conformance-'));
const toml = (s) => JSON.stringify(String(s));
const lines = ['[mcp_servers.s]', `url = ${toml(url)}`, 'startup_timeout_sec = 8', 'tool_timeout_sec = 20', ''];
const env = { ...process.env, TOOLHOST_HOME: home };
if (auth) {
  env.TOOLHOST_OAUTH_TEST_AUTO_APPROVE = '1';
  lines.push('[mcp_servers.s.oauth]',
    // The suite's Client ID Metadata Document URL (basic-cimd checks that it is used as client_id).
    'client_metadata_url = "https://conformance-test.local/client-metadata.json"');
  if (context.client_id) {
    lines.push(`client_id = ${toml(context.client_id)}`);
  }
  if (context.client_secret) {
    env.CONFORMANCE_CLIENT_SECRET = context.client_secret;
    lines.push('client_secret_env_var = "CONFORMANCE_CLIENT_SECRET"');
  }
  if (context.private_key_pem) {
    const key = join(home, 'client-key.pem');
    writeFileSync(key, context.private_key_pem, { mode: 0o600 });
    lines.push(`private_key_file = ${toml(key)}`);
    if (context.signing_algorithm) {
      lines.push(`signing_algorithm = ${toml(context.signing_algorithm)}`);
    }
  }
  if (scenario.includes('client-credentials')) {
    lines.push('grant_type = "client_credentials"');
  }
}
writeFileSync(join(home, 'config.toml'), lines.join('\n') + '\n');

const toolhost = (args) => spawnSync(launcher, args, { env, stdio: 'inherit' }).status ?? 1;
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
