// A real OAuth-protected MCP deployment for the integration tests: oidc-provider as the authorization
// server, and an MCP server (TypeScript SDK, streamable HTTP) that accepts only JWT access tokens the
// provider issued for it (RFC 8707 audience), with RFC 9728 metadata naming the provider.
// Run with cwd it/peers:  node scripts/oauth-peer.mjs [--token-ttl SECONDS]
// Prints one JSON line: {"issuer": "...", "mcp": "http://127.0.0.1:P/mcp", "deadAs": "http://127.0.0.1:P/dead/mcp"}
// and runs until stdin closes. /dead/mcp is protected by an authorization server nobody listens on.
//
// The provider runs its development interactions: GET /interaction/UID shows the login form (any login,
// any password), POST /interaction/UID with prompt=login&login=NAME signs in, with prompt=consent
// grants; GET /interaction/UID/abort denies.
import express from 'express';
import { createServer } from 'node:http';
import Provider, { errors } from 'oidc-provider';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { requireBearerAuth } from '@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js';

const argv = process.argv.slice(2);
const opt = (name, dflt) => { const i = argv.indexOf(name); return i < 0 ? dflt : argv[i + 1]; };
const tokenTtl = Number(opt('--token-ttl', '3600'));
const SCOPE = 'mcp:tools';

const listen = (handler) => new Promise((resolve) => {
  const server = createServer(handler);
  server.listen(0, '127.0.0.1', () => resolve(server));
});

// Ports first: the issuer and the resource must be known when the provider is configured.
const asServer = await listen();
const mcpServer = await listen();
const issuer = `http://127.0.0.1:${asServer.address().port}`;
const mcpOrigin = `http://127.0.0.1:${mcpServer.address().port}`;
const resource = `${mcpOrigin}/mcp`;
const closed = await listen();
const deadIssuer = `http://127.0.0.1:${closed.address().port}`;
await new Promise((resolve) => closed.close(resolve));

const provider = new Provider(issuer, {
  cookies: { keys: ['toolhost-it-cookie-key'] },
  scopes: ['openid', 'offline_access', SCOPE],
  features: {
    devInteractions: { enabled: true },
    registration: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => resource,
      useGrantedResource: () => true,
      getResourceServerInfo: (ctx, indicator) => {
        if (indicator !== resource) {
          throw new errors.InvalidTarget(`unknown resource ${indicator}`);
        }
        return { scope: SCOPE, audience: resource, accessTokenTTL: tokenTtl, accessTokenFormat: 'jwt' };
      },
    },
  },
  pkce: { required: () => true },
  findAccount: (ctx, sub) => ({ accountId: sub, claims: () => ({ sub }) }),
});
provider.proxy = false;
asServer.on('request', provider.callback());

const jwks = createRemoteJWKSet(new URL(`${issuer}/jwks`));
const verifier = {
  async verifyAccessToken(token) {
    try {
      const { payload } = await jwtVerify(token, jwks, { issuer, audience: resource });
      return { token, clientId: payload.client_id, scopes: String(payload.scope || '').split(' ').filter(Boolean),
        expiresAt: payload.exp, extra: { sub: payload.sub } };
    } catch (e) {
      const { InvalidTokenError } = await import('@modelcontextprotocol/sdk/server/auth/errors.js');
      throw new InvalidTokenError(`token rejected: ${e.code || e.message}`);
    }
  },
};

const app = express();
app.use(express.json());
app.get(['/.well-known/oauth-protected-resource/mcp', '/.well-known/oauth-protected-resource'], (req, res) => {
  res.json({ resource, authorization_servers: [issuer], scopes_supported: [SCOPE] });
});
app.get('/.well-known/oauth-protected-resource/dead/mcp', (req, res) => {
  res.json({ resource: `${mcpOrigin}/dead/mcp`, authorization_servers: [deadIssuer] });
});
app.all('/dead/mcp', (req, res) => {
  res.set('WWW-Authenticate', `Bearer resource_metadata="${mcpOrigin}/.well-known/oauth-protected-resource/dead/mcp"`);
  res.status(401).json({ error: 'invalid_token' });
});
const auth = requireBearerAuth({ verifier, resourceMetadataUrl: `${mcpOrigin}/.well-known/oauth-protected-resource/mcp` });
app.all('/mcp', auth, async (req, res) => {
  const server = new McpServer({ name: 'oauth-peer', version: '1.0.0' });
  server.registerTool('whoami', { description: 'Who the bearer token says the caller is' }, async (extra) => ({
    content: [{ type: 'text', text: `subject=${extra.authInfo?.extra?.sub} client=${extra.authInfo?.clientId}` }],
  }));
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  res.on('close', () => { transport.close(); server.close(); });
  await server.connect(transport);
  await transport.handleRequest(req, res, req.body);
});
mcpServer.on('request', app);

console.log(JSON.stringify({ issuer, mcp: resource, deadAs: `${mcpOrigin}/dead/mcp` }));
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
