import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ChatRequest } from '../../src/spec/chat.js';
import { ADAPTER_KINDS, createAdapter, isAdapterKind } from '../../src/providers/create-adapter.js';
import { createAnthropicAdapter } from '../../src/providers/anthropic/create-anthropic-adapter.js';
import { createOpenAIAdapter } from '../../src/providers/openai-compatible/create-openai-adapter.js';

interface Captured {
  url: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

let server: Server;
let origin: string;
const captured: Captured[] = [];
let answer = '';

before(async () => {
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      captured.push({ url: req.url ?? '', headers: req.headers, body: JSON.parse(raw) as Record<string, unknown> });
      res.writeHead(200, { 'content-type': 'application/json' }).end(answer);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((r) => server.close(() => r())));

const request: ChatRequest = { model: 'alias', messages: [{ role: 'user', content: 'hi' }], stream: false, includeUsage: false, maxTokens: 33 };
const signal = new AbortController().signal;
const OPENAI_ANSWER = JSON.stringify({ id: 'x', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }] });
const ANTHROPIC_ANSWER = JSON.stringify({ id: 'msg', type: 'message', role: 'assistant', model: 'c', content: [{ type: 'text', text: 'ok' }], stop_reason: 'end_turn', usage: { input_tokens: 1, output_tokens: 1 } });

test('OpenAI: bearer auth, configured headers, model and max_completion_tokens in the body', async () => {
  answer = OPENAI_ANSWER;
  const adapter = createOpenAIAdapter('oa', { baseUrl: `${origin}/v1/`, apiKey: 'sk-1', headers: { 'x-org': 'acme' } });
  const res = await adapter.chat({ request, upstreamModel: 'gpt-4o-mini', signal });
  await adapter.close();
  assert.equal(res.choices[0]?.message.content, 'ok');
  const c = captured.at(-1) as Captured;
  assert.equal(c.url, '/v1/chat/completions');
  assert.equal(c.headers.authorization, 'Bearer sk-1');
  assert.equal(c.headers['x-org'], 'acme');
  assert.equal(c.body.model, 'gpt-4o-mini');
  assert.equal(c.body.max_completion_tokens, 33);
  assert.equal('stream' in c.body, false);
});

test('Azure OpenAI: deployment in the path, api-version query, api-key header', async () => {
  answer = OPENAI_ANSWER;
  const adapter = createOpenAIAdapter('az', { baseUrl: `${origin}/openai`, apiKey: 'az-key', apiVersion: '2024-10-21' });
  await adapter.chat({ request, upstreamModel: 'my deployment', signal });
  await adapter.close();
  const c = captured.at(-1) as Captured;
  assert.equal(c.url, '/openai/deployments/my%20deployment/chat/completions?api-version=2024-10-21');
  assert.equal(c.headers['api-key'], 'az-key');
  assert.equal(c.headers.authorization, undefined);
});

test('OpenAI-compatible servers that want max_tokens can have it', async () => {
  answer = OPENAI_ANSWER;
  const adapter = createOpenAIAdapter('vllm', { baseUrl: `${origin}/v1` }, { maxTokensField: 'max_tokens' });
  await adapter.chat({ request, upstreamModel: 'llama', signal });
  await adapter.close();
  const c = captured.at(-1) as Captured;
  assert.equal(c.body.max_tokens, 33);
  assert.equal(c.headers.authorization, undefined, 'no key, no auth header');
});

test('Anthropic: x-api-key, anthropic-version, /messages and a default max_tokens', async () => {
  answer = ANTHROPIC_ANSWER;
  const adapter = createAnthropicAdapter('an', { baseUrl: `${origin}/v1`, apiKey: 'ak' }, { nowSeconds: () => 42 });
  const res = await adapter.chat({ request: { ...request, maxTokens: undefined }, upstreamModel: 'claude-3-5-haiku-latest', signal });
  await adapter.close();
  assert.equal(res.created, 42);
  assert.deepEqual(res.usage, { inputTokens: 1, outputTokens: 1, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 });
  const c = captured.at(-1) as Captured;
  assert.equal(c.url, '/v1/messages');
  assert.equal(c.headers['x-api-key'], 'ak');
  assert.equal(c.headers['anthropic-version'], '2023-06-01');
  assert.equal(c.body.max_tokens, 4096);
  assert.equal(c.body.model, 'claude-3-5-haiku-latest');
});

test('the registry builds every kind, table-driven', async () => {
  assert.deepEqual([...ADAPTER_KINDS].sort(), ['anthropic', 'openai']);
  assert.equal(isAdapterKind('openai'), true);
  assert.equal(isAdapterKind('bedrock'), false);
  for (const kind of ADAPTER_KINDS) {
    const adapter = createAdapter(kind, `p-${kind}`, { baseUrl: `${origin}/v1` });
    assert.equal(adapter.kind, kind);
    await adapter.close();
  }
});

test('a refused connection is upstream_connection_error', async () => {
  const closed = createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((r) => closed.close(() => r()));
  const adapter = createOpenAIAdapter('gone', { baseUrl: `http://127.0.0.1:${port}/v1` });
  await assert.rejects(adapter.chat({ request, upstreamModel: 'm', signal }), (err: unknown) => (err as { code?: string }).code === 'upstream_connection_error');
  await adapter.close();
});
