#!/usr/bin/env node
// Toolhost as the client under test of the MCP conformance suite's client scenarios:
//   conformance client --command "node it/conformance/toolhost-client.mjs" --scenario auth/metadata-default
// The runner appends the scenario server's URL as the last argument and may pass pre-registered
// credentials in MCP_CONFORMANCE_CONTEXT. This writes a fresh TOOLHOST_HOME whose config.toml points
// [mcp_servers.s] at that URL (with the credentials as [mcp_servers.s.oauth] keys), then runs
// `toolhost call mcp__s__test-tool` (which starts the server: initialize, tools/list, then tools/call),
// approving authorization requests headlessly (TOOLHOST_OAUTH_TEST_AUTO_APPROVE, a test hook).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const url = process.argv[process.argv.length - 1];
const context = process.env.MCP_CONFORMANCE_CONTEXT ? JSON.parse(process.env.MCP_CONFORMANCE_CONTEXT) : {};
const scenario = process.env.MCP_CONFORMANCE_SCENARIO || context.name || '';
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const jar = process.env.TOOLHOST_JAR || join(root, 'host', 'target', 'toolhost-all.jar');
if (!existsSync(jar)) {
  console.error(`toolhost-client: ${jar} is missing (build with mvn -pl host -am package)`);
  process.exit(2);
}

const home = mkdtempSync(join(tmpdir(), 'toolhost-conformance-'));
const toml = (s) => JSON.stringify(String(s));
const lines = ['[mcp_servers.s]', `url = ${toml(url)}`, 'startup_timeout_sec = 8', '',
  '[mcp_servers.s.oauth]',
  // The suite's Client ID Metadata Document URL (basic-cimd checks that it is used as client_id).
  'client_metadata_url = "https://conformance-test.local/client-metadata.json"'];
const env = { ...process.env, TOOLHOST_HOME: home, TOOLHOST_OAUTH_TEST_AUTO_APPROVE: '1' };
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
writeFileSync(join(home, 'config.toml'), lines.join('\n') + '\n');

const java = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
const run = spawnSync(java, ['-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-Xshare:auto', '-jar', jar,
  'call', 'mcp__s__test-tool', '{}'], { env, stdio: 'inherit' });
process.exit(run.status ?? 1);
