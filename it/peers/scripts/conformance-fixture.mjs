// The conformance suite's server scenarios need a server with tools, prompts and resources of exact names
// (read from the scenario code in @modelcontextprotocol/conformance's dist/index.js). This is that server, on the
// TypeScript SDK v2 (@modelcontextprotocol/server 2.4.0), for running the suite against Toolhost's bridge
// (`toolhost mcp-server --bridge fixture`) in front of it.
//
//   node scripts/conformance-fixture.mjs [--legacy-only]
//   node scripts/conformance-fixture.mjs --http PORT      (the fixture alone over HTTP, to check it against the
//                                                         suite directly; prints "listening on URL" on stderr)
//
// stdio: dual-era by default (serveStdio: the first message picks 2026-07-28 or legacy for the connection);
// --legacy-only: a hand-wired 2025-era stdio server (initialize only). HTTP: createMcpHandler (dual-era,
// legacy served statelessly), 127.0.0.1 only.
// Tools that need the client (elicitation, sampling, roots) return input-required results; on a legacy
// connection the SDK turns them into real server-to-client requests.
import { McpServer, ResourceTemplate, acceptedContent, createRequestStateCodec, fromJsonSchema, inputRequired,
    inputResponse } from '@modelcontextprotocol/server';
import { StdioServerTransport, serveStdio } from '@modelcontextprotocol/server/stdio';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { Readable } from 'node:stream';
import { createMcpHandler } from '@modelcontextprotocol/server';

// 1x1 red PNG and a tiny silent WAV.
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';
const WAV = 'UklGRiQAAABXQVZFZm10IBAAAAABAAEAQB8AAIA+AAACABAAZGF0YQAAAAA=';
const NO_ARGS = fromJsonSchema({ type: 'object', properties: {} });
const NAME_SCHEMA = { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] };
const codec = createRequestStateCodec({ key: randomBytes(32), ttlSeconds: 600 });
const delay = (ms) => new Promise((r) => setTimeout(r, ms));
const text = (t) => ({ content: [{ type: 'text', text: t }] });

function elicit(key, message, requestedSchema, extra = {}) {
    return inputRequired({ inputRequests: { [key]: inputRequired.elicit({ message, requestedSchema }) }, ...extra });
}

// What the list-change hooks added (see test_trigger_tool_change).
const added = { count: 0, tools: [], prompts: [] };
// --http: the handler's notifier, which reaches its listen streams (its servers live one request each).
let httpNotify;

function factory() {
    const server = new McpServer({ name: 'conformance-fixture', version: '1.0.0' }, {
        capabilities: { tools: {}, prompts: {}, resources: { subscribe: true }, logging: {}, completions: {} },
        requestState: { verify: codec.verify }
    });
    const tool = (name, description, cb, inputSchema = NO_ARGS) =>
        server.registerTool(name, { description, inputSchema }, cb);

    // ---- content tools ----
    tool('test_simple_text', 'Returns simple text', async () => text('This is a simple text response for testing.'));
    tool('test_image_content', 'Returns an image', async () => ({
        content: [{ type: 'image', data: PNG, mimeType: 'image/png' }]
    }));
    tool('test_audio_content', 'Returns audio', async () => ({
        content: [{ type: 'audio', data: WAV, mimeType: 'audio/wav' }]
    }));
    tool('test_embedded_resource', 'Returns an embedded resource', async () => ({
        content: [{ type: 'resource', resource: {
            uri: 'test://embedded-resource', mimeType: 'text/plain', text: 'This is an embedded resource content.' } }]
    }));
    tool('test_multiple_content_types', 'Returns text, image and a resource', async () => ({
        content: [
            { type: 'text', text: 'Multiple content types test:' },
            { type: 'image', data: PNG, mimeType: 'image/png' },
            { type: 'resource', resource: { uri: 'test://mixed-content-resource', mimeType: 'application/json',
                text: JSON.stringify({ test: 'data', value: 123 }) } }
        ]
    }));
    tool('test_error_handling', 'Always fails', async () => ({
        isError: true, content: [{ type: 'text', text: 'This tool intentionally returns an error for testing' }]
    }));

    // A 2020-12 schema with composition, conditionals, $defs and $anchor: every keyword must reach the client.
    tool('json_schema_2020_12_tool', 'Tool with JSON Schema 2020-12 features', async (args) => text(JSON.stringify(args)),
        fromJsonSchema({
            $schema: 'https://json-schema.org/draft/2020-12/schema',
            type: 'object',
            $defs: { address: { $anchor: 'addressDef', type: 'object',
                properties: { street: { type: 'string' }, city: { type: 'string' } } } },
            properties: {
                name: { type: 'string' },
                address: { $ref: '#/$defs/address' },
                contactMethod: { type: 'string', enum: ['phone', 'email'] },
                phone: { type: 'string' },
                email: { type: 'string' }
            },
            allOf: [{ anyOf: [{ required: ['phone'] }, { required: ['email'] }] }],
            if: { properties: { contactMethod: { const: 'phone' } }, required: ['contactMethod'] },
            then: { required: ['phone'] },
            else: { required: ['email'] },
            additionalProperties: false
        }));

    // Not a scenario's: shows what reached the server (trace keys in _meta) and returns non-object structured content.
    tool('echo_meta', 'Returns the W3C trace keys of its request _meta', async (_args, ctx) => {
        const meta = ctx.mcpReq._meta ?? {};
        const trace = Object.fromEntries(['traceparent', 'tracestate', 'baggage'].filter((k) => k in meta)
            .map((k) => [k, meta[k]]));
        return { content: [{ type: 'text', text: JSON.stringify(trace) }], structuredContent: [1, 'two', { three: 3 }] };
    });

    // Not a scenario's: reports test://watched-resource updated (to a legacy session that subscribed to it).
    tool('touch_watched_resource', 'Sends notifications/resources/updated for test://watched-resource', async () => {
        await server.server.sendResourceUpdated({ uri: 'test://watched-resource' });
        return text('touched');
    });

    // ---- notifications during a call ----
    tool('test_tool_with_logging', 'Logs three messages while it runs', async (_args, ctx) => {
        await ctx.mcpReq.log('info', 'Tool execution started');
        await delay(50);
        await ctx.mcpReq.log('info', 'Tool processing data');
        await delay(50);
        await ctx.mcpReq.log('info', 'Tool execution completed');
        return text('Tool with logging executed successfully');
    });
    tool('test_tool_with_progress', 'Reports progress 0, 50, 100 of 100', async (_args, ctx) => {
        const token = ctx.mcpReq._meta?.progressToken;
        for (const progress of [0, 50, 100]) {
            if (token !== undefined) {
                await ctx.mcpReq.notify({ method: 'notifications/progress', params: { progressToken: token, progress,
                    total: 100 } });
            }
            if (progress < 100) {
                await delay(50);
            }
        }
        return text(`Progress reporting completed (token ${token ?? 'none'})`);
    });

    // ---- the client's help: elicitation, sampling, roots ----
    tool('test_sampling', 'Asks the client to sample a reply to the prompt', async ({ prompt }, ctx) => {
        const view = inputResponse(ctx.mcpReq.inputResponses, 'sample');
        if (view.kind === 'missing') {
            return inputRequired({ inputRequests: { sample: inputRequired.createMessage({
                messages: [{ role: 'user', content: { type: 'text', text: prompt } }], maxTokens: 100 }) } });
        }
        const reply = view.result?.content?.text ?? JSON.stringify(view.result?.content ?? view);
        return text(`LLM response: ${reply}`);
    }, fromJsonSchema({ type: 'object', properties: { prompt: { type: 'string' } }, required: ['prompt'] }));
    tool('test_elicitation', 'Asks the user for a username and email', async ({ message }, ctx) => {
        const view = inputResponse(ctx.mcpReq.inputResponses, 'user');
        if (view.kind === 'missing') {
            return elicit('user', message, {
                type: 'object',
                properties: {
                    username: { type: 'string', description: "User's response" },
                    email: { type: 'string', description: "User's email address" }
                },
                required: ['username', 'email']
            });
        }
        return text(`User response: action=${view.action}, content=${JSON.stringify(view.content ?? {})}`);
    }, fromJsonSchema({ type: 'object', properties: { message: { type: 'string' } }, required: ['message'] }));
    tool('test_elicitation_sep1034_defaults', 'Elicits with defaults for every primitive type', async (_a, ctx) => {
        const view = inputResponse(ctx.mcpReq.inputResponses, 'defaults');
        if (view.kind === 'missing') {
            return elicit('defaults', 'Please review and update the form fields with defaults', {
                type: 'object',
                properties: {
                    name: { type: 'string', description: 'User name', default: 'John Doe' },
                    age: { type: 'integer', description: 'User age', default: 30 },
                    score: { type: 'number', description: 'User score', default: 95.5 },
                    status: { type: 'string', description: 'User status', enum: ['active', 'inactive', 'pending'],
                        default: 'active' },
                    verified: { type: 'boolean', description: 'Verification status', default: true }
                },
                required: []
            });
        }
        return text(`Elicitation completed: action=${view.action}, content=${JSON.stringify(view.content ?? {})}`);
    });
    tool('test_elicitation_sep1330_enums', 'Elicits with the five enum schema variants', async (_a, ctx) => {
        const view = inputResponse(ctx.mcpReq.inputResponses, 'enums');
        if (view.kind === 'missing') {
            return elicit('enums', 'Please select options from the enum fields', {
                type: 'object',
                properties: {
                    untitledSingle: { type: 'string', description: 'Untitled single-select',
                        enum: ['option1', 'option2', 'option3'] },
                    titledSingle: { type: 'string', description: 'Titled single-select', oneOf: [
                        { const: 'value1', title: 'First Option' }, { const: 'value2', title: 'Second Option' },
                        { const: 'value3', title: 'Third Option' }] },
                    legacyEnum: { type: 'string', description: 'Legacy titled enum', enum: ['opt1', 'opt2', 'opt3'],
                        enumNames: ['Option One', 'Option Two', 'Option Three'] },
                    untitledMulti: { type: 'array', description: 'Untitled multi-select',
                        items: { type: 'string', enum: ['option1', 'option2', 'option3'] } },
                    titledMulti: { type: 'array', description: 'Titled multi-select', items: { anyOf: [
                        { const: 'value1', title: 'First Choice' }, { const: 'value2', title: 'Second Choice' },
                        { const: 'value3', title: 'Third Choice' }] } }
                },
                required: []
            });
        }
        return text(`Elicitation completed: action=${view.action}, content=${JSON.stringify(view.content ?? {})}`);
    });
    // server-stateless: an elicitation in the middle of a call (never an independent request on a modern stream),
    // and a tool that logs (nothing without a logLevel).
    tool('test_streaming_elicitation', 'Asks for a name mid-call', async (_a, ctx) => {
        const content = acceptedContent(ctx.mcpReq.inputResponses, 'user_name');
        if (content === undefined) {
            return elicit('user_name', 'What is your name?', NAME_SCHEMA);
        }
        return text(`Hello, ${content.name}!`);
    });
    tool('test_logging_tool', 'Logs one message', async (_a, ctx) => {
        await ctx.mcpReq.log('info', 'test_logging_tool ran');
        return text('logged');
    });
    // server-stateless: hooks that change the tool and prompt lists (list_changed to whoever listens, on either
    // wire). What they add is kept at module level, so that every server the factory makes lists it.
    const addTool = (n) => server.registerTool(`dynamic_tool_${n}`, { description: 'Added by test_trigger_tool_change',
        inputSchema: NO_ARGS }, async () => text(`dynamic ${n}`));
    const addPrompt = (n) => server.registerPrompt(`dynamic_prompt_${n}`,
        { description: 'Added by test_trigger_prompt_change' },
        async () => ({ messages: [{ role: 'user', content: { type: 'text', text: `dynamic ${n}` } }] }));
    added.tools.forEach(addTool);
    added.prompts.forEach(addPrompt);
    tool('test_trigger_tool_change', 'Adds a tool', async () => {
        const n = ++added.count;
        added.tools.push(n);
        addTool(n);
        httpNotify?.toolsChanged();
        return text(`added dynamic_tool_${n}`);
    });
    tool('test_trigger_prompt_change', 'Adds a prompt', async () => {
        const n = ++added.count;
        added.prompts.push(n);
        addPrompt(n);
        httpNotify?.promptsChanged();
        return text(`added dynamic_prompt_${n}`);
    });
    tool('test_missing_capability', 'Needs sampling from the client', async (_a, ctx) => {
        const view = inputResponse(ctx.mcpReq.inputResponses, 'sample');
        if (view.kind === 'missing') {
            return inputRequired({ inputRequests: { sample: inputRequired.createMessage({
                messages: [{ role: 'user', content: { type: 'text', text: 'Say hi' } }], maxTokens: 10 }) } });
        }
        return text('sampled');
    });

    // ---- 2026-07-28 multi round-trip requests ----
    tool('test_input_required_result_elicitation', 'MRTR: one elicitation', async (_a, ctx) => {
        const content = acceptedContent(ctx.mcpReq.inputResponses, 'user_name');
        if (content === undefined) {
            return elicit('user_name', 'What is your name?', NAME_SCHEMA);
        }
        return text(`Hello, ${content.name}!`);
    });
    tool('test_input_required_result_sampling', 'MRTR: one sampling request', async (_a, ctx) => {
        const view = inputResponse(ctx.mcpReq.inputResponses, 'capital_question');
        if (view.kind === 'missing') {
            return inputRequired({ inputRequests: { capital_question: inputRequired.createMessage({
                messages: [{ role: 'user', content: { type: 'text', text: 'What is the capital of France?' } }],
                maxTokens: 100 }) } });
        }
        return text(`Sampling said: ${view.result?.content?.text ?? JSON.stringify(view)}`);
    });
    tool('test_input_required_result_list_roots', 'MRTR: one roots/list request', async (_a, ctx) => {
        const view = inputResponse(ctx.mcpReq.inputResponses, 'client_roots');
        if (view.kind !== 'roots') {
            return inputRequired({ inputRequests: { client_roots: inputRequired.listRoots() } });
        }
        return text(`Roots: ${view.roots.map((r) => r.uri).join(', ')}`);
    });
    tool('test_input_required_result_request_state', 'MRTR: requestState round trip', async (_a, ctx) => {
        const content = acceptedContent(ctx.mcpReq.inputResponses, 'confirm');
        const state = ctx.mcpReq.requestState();
        if (content === undefined || state?.step !== 'confirm') {
            return elicit('confirm', 'Please confirm', {
                type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] },
            { requestState: await codec.mint({ step: 'confirm' }) });
        }
        return text(`state-ok: confirmed=${content.ok}`);
    });
    tool('test_input_required_result_tampered_state', 'MRTR: rejects a tampered requestState', async (_a, ctx) => {
        const content = acceptedContent(ctx.mcpReq.inputResponses, 'confirm');
        if (content === undefined || ctx.mcpReq.requestState()?.step !== 'confirm') {
            return elicit('confirm', 'Please confirm', {
                type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] },
            { requestState: await codec.mint({ step: 'confirm' }) });
        }
        return text('state-ok');
    });
    tool('test_input_required_result_multiple_inputs', 'MRTR: elicitation, sampling and roots at once',
        async (_a, ctx) => {
            const responses = ctx.mcpReq.inputResponses ?? {};
            const requests = {
                user_name: inputRequired.elicit({ message: 'What is your name?', requestedSchema: NAME_SCHEMA }),
                greeting: inputRequired.createMessage({ messages: [{ role: 'user',
                    content: { type: 'text', text: 'Generate a greeting' } }], maxTokens: 50 }),
                client_roots: inputRequired.listRoots()
            };
            // On a legacy connection the SDK sends the three requests at once; a bridge gathers them into one round.
            if (!('user_name' in responses && 'greeting' in responses && 'client_roots' in responses)) {
                return inputRequired({ inputRequests: requests, requestState: await codec.mint({ step: 'multiple' }) });
            }
            return text(`All inputs received: ${Object.keys(responses).sort().join(', ')}`);
        });
    tool('test_input_required_result_multi_round', 'MRTR: two rounds', async (_a, ctx) => {
        const state = ctx.mcpReq.requestState();
        const responses = ctx.mcpReq.inputResponses ?? {};
        if (state?.round === 1 && 'step1' in responses) {
            const name = acceptedContent(responses, 'step1')?.name;
            return elicit('step2', `Step 2: Hello ${name}, how old are you?`, {
                type: 'object', properties: { age: { type: 'integer' } }, required: ['age'] },
            { requestState: await codec.mint({ round: 2, name }) });
        }
        if (state?.round === 2 && 'step2' in responses) {
            return text(`Multi-round complete: ${state.name}, ${acceptedContent(responses, 'step2')?.age}`);
        }
        return elicit('step1', 'Step 1: What is your name?', NAME_SCHEMA,
            { requestState: await codec.mint({ round: 1 }) });
    });
    tool('test_input_required_result_capabilities', 'MRTR: asks only for what the client declared',
        async (_a, ctx) => {
            if (Object.keys(ctx.mcpReq.inputResponses ?? {}).length > 0) {
                return text('capabilities respected');
            }
            const caps = ctx.mcpReq.envelope?.['io.modelcontextprotocol/clientCapabilities']
                ?? server.server.getClientCapabilities() ?? {};
            const requests = {};
            if (caps.elicitation) {
                requests.user_name = inputRequired.elicit({ message: 'What is your name?', requestedSchema: NAME_SCHEMA });
            }
            if (caps.sampling) {
                requests.greeting = inputRequired.createMessage({ messages: [{ role: 'user',
                    content: { type: 'text', text: 'Generate a greeting' } }], maxTokens: 50 });
            }
            if (caps.roots) {
                requests.client_roots = inputRequired.listRoots();
            }
            if (Object.keys(requests).length === 0) {
                return text('nothing to ask');
            }
            return inputRequired({ inputRequests: requests });
        });

    // ---- prompts ----
    server.registerPrompt('test_simple_prompt', { description: 'A simple prompt without arguments' }, async () => ({
        messages: [{ role: 'user', content: { type: 'text', text: 'This is a simple prompt for testing.' } }]
    }));
    server.registerPrompt('test_prompt_with_arguments', {
        description: 'A prompt with two required arguments',
        argsSchema: fromJsonSchema({ type: 'object', properties: {
            arg1: { type: 'string', description: 'First test argument' },
            arg2: { type: 'string', description: 'Second test argument' } }, required: ['arg1', 'arg2'] })
    }, async ({ arg1, arg2 }) => ({
        messages: [{ role: 'user', content: { type: 'text', text: `Prompt with arguments: arg1='${arg1}', arg2='${arg2}'` } }]
    }));
    server.registerPrompt('test_prompt_with_embedded_resource', {
        description: 'A prompt that embeds a resource',
        argsSchema: fromJsonSchema({ type: 'object', properties: {
            resourceUri: { type: 'string', description: 'URI of the resource to embed' } }, required: ['resourceUri'] })
    }, async ({ resourceUri }) => ({
        messages: [
            { role: 'user', content: { type: 'resource', resource: { uri: resourceUri, mimeType: 'text/plain',
                text: 'Embedded resource content for testing.' } } },
            { role: 'user', content: { type: 'text', text: 'Please process the embedded resource above.' } }
        ]
    }));
    server.registerPrompt('test_prompt_with_image', { description: 'A prompt with an image' }, async () => ({
        messages: [
            { role: 'user', content: { type: 'image', data: PNG, mimeType: 'image/png' } },
            { role: 'user', content: { type: 'text', text: 'Please analyze the image above.' } }
        ]
    }));
    server.registerPrompt('test_input_required_result_prompt', { description: 'MRTR on prompts/get' },
        async (ctx) => {
            const content = acceptedContent(ctx.mcpReq.inputResponses, 'user_context');
            if (content === undefined) {
                return elicit('user_context', 'What context should the prompt use?', {
                    type: 'object', properties: { context: { type: 'string' } }, required: ['context'] });
            }
            return { messages: [{ role: 'user', content: { type: 'text', text: `Context: ${content.context}` } }] };
        });

    // ---- resources ----
    server.registerResource('static-text', 'test://static-text', {
        description: 'A static text resource', mimeType: 'text/plain'
    }, async (uri) => ({ contents: [{ uri: uri.href, mimeType: 'text/plain',
        text: 'This is the content of the static text resource.' }] }));
    server.registerResource('static-binary', 'test://static-binary', {
        description: 'A static binary resource (PNG)', mimeType: 'image/png'
    }, async (uri) => ({ contents: [{ uri: uri.href, mimeType: 'image/png', blob: PNG }] }));
    server.registerResource('watched-resource', 'test://watched-resource', {
        description: 'A resource to subscribe to', mimeType: 'text/plain'
    }, async (uri) => ({ contents: [{ uri: uri.href, mimeType: 'text/plain', text: 'Watched resource content.' }] }));
    server.registerResource('template', new ResourceTemplate('test://template/{id}/data', { list: undefined,
        complete: { id: (value) => ['1', '2', '3', '123'].filter((v) => v.startsWith(value)) } }), {
        description: 'A resource template with an id', mimeType: 'application/json'
    }, async (uri, { id }) => ({ contents: [{ uri: uri.href, mimeType: 'application/json',
        text: JSON.stringify({ id, templateTest: true, data: `Data for ID: ${id}` }) }] }));

    // ---- completions and subscriptions (the 2025-era wire has resources/(un)subscribe) ----
    server.server.setRequestHandler('completion/complete', async (request) => {
        const { ref, argument } = request.params;
        const pool = ref.type === 'ref/prompt' ? ['paris', 'park', 'party', 'hello', 'world'] : ['1', '2', '3', '123'];
        const values = pool.filter((v) => v.startsWith(argument.value ?? ''));
        return { completion: { values, total: values.length, hasMore: false } };
    });
    server.server.setRequestHandler('resources/subscribe', async () => ({}));
    server.server.setRequestHandler('resources/unsubscribe', async () => ({}));
    return server;
}

const onerror = (e) => process.stderr.write(`conformance-fixture: ${e?.stack ?? e}\n`);
const httpAt = process.argv.indexOf('--http');
if (httpAt >= 0) {
    const handler = createMcpHandler(factory, { onerror });
    httpNotify = handler.notify;
    const server = http.createServer(async (req, res) => {
        try {
            const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
            const abort = new AbortController();
            res.on('close', () => abort.abort());
            const response = await handler.fetch(new Request(`http://${req.headers.host ?? '127.0.0.1'}${req.url}`, {
                method: req.method,
                headers: Object.entries(req.headers).flatMap(([k, v]) => Array.isArray(v) ? v.map((x) => [k, x])
                    : [[k, v]]),
                body: hasBody ? Readable.toWeb(req) : undefined,
                duplex: hasBody ? 'half' : undefined,
                signal: abort.signal
            }));
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
    server.listen(Number(process.argv[httpAt + 1] ?? 0), '127.0.0.1', () => process.stderr.write(
        `conformance-fixture listening on http://127.0.0.1:${server.address().port}/mcp\n`));
} else if (process.argv.includes('--legacy-only')) {
    await factory().connect(new StdioServerTransport());
} else {
    serveStdio(factory, { onerror });
}
