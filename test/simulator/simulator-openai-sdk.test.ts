import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { createSimulator, type Simulator } from '../../src/simulator/create-simulator.js';

const MODEL = 'gpt-sim';
let sim: Simulator;
let url: string;
let client: OpenAI;

before(async () => {
  sim = createSimulator({
    models: [
      { id: MODEL, ttftMs: 200, tokensPerSecond: 80, contextWindow: 16_000 },
      { id: 'tiny', ttftMs: 0, tokensPerSecond: 80, contextWindow: 30 },
    ],
    latencyScale: 0,
    dataset: [
      { id: 'q1', task: 'qa', messages: [{ role: 'user', content: 'Name the largest planet.' }], scores: { [MODEL]: 1 }, outputTokens: { [MODEL]: 321 }, responses: { [MODEL]: 'Jupiter.' } },
    ],
  });
  url = await sim.listen();
  client = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'sk-sim', maxRetries: 0 });
});
after(() => sim.close());

const ask = [{ role: 'user' as const, content: 'What is the capital of France?' }];

test('non-stream completion with usage', async () => {
  const res = await client.chat.completions.create({ model: MODEL, messages: ask });
  assert.equal(res.object, 'chat.completion');
  assert.match(res.id, /^chatcmpl-/);
  assert.match(res.choices[0]?.message.content ?? '', /capital of France/);
  assert.equal(res.choices[0]?.finish_reason, 'stop');
  assert.ok((res.usage?.prompt_tokens ?? 0) > 0);
  assert.equal(res.usage?.total_tokens, (res.usage?.prompt_tokens ?? 0) + (res.usage?.completion_tokens ?? 0));
  assert.equal(res.usage?.prompt_tokens_details?.cached_tokens, 0);
});

test('stream with include_usage: content chunks, then a usage chunk with no choices', async () => {
  const whole = await client.chat.completions.create({ model: MODEL, messages: ask });
  const stream = await client.chat.completions.create({ model: MODEL, messages: ask, stream: true, stream_options: { include_usage: true } });
  let text = '';
  const chunks = [];
  for await (const chunk of stream) {
    chunks.push(chunk);
    text += chunk.choices[0]?.delta.content ?? '';
  }
  assert.equal(text, whole.choices[0]?.message.content);
  assert.equal(chunks[0]?.choices[0]?.delta.role, 'assistant');
  assert.equal(chunks.at(-2)?.choices[0]?.finish_reason, 'stop');
  assert.deepEqual(chunks.at(-1)?.choices, []);
  assert.equal(chunks.at(-1)?.usage?.completion_tokens, whole.usage?.completion_tokens);
  assert.ok(chunks.slice(0, -1).every((c) => c.usage === null), 'other chunks carry usage: null');
});

test('stream without include_usage has no usage chunk', async () => {
  const stream = await client.chat.completions.create({ model: MODEL, messages: ask, stream: true });
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  assert.ok(chunks.every((c) => c.usage === undefined && c.choices.length === 1));
});

test('tool call with valid JSON arguments', async () => {
  const res = await client.chat.completions.create({
    model: MODEL,
    messages: [{ role: 'user', content: 'Weather in Paris?' }],
    tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } }],
  });
  const call = res.choices[0]?.message.tool_calls?.[0];
  assert.equal(res.choices[0]?.finish_reason, 'tool_calls');
  assert.equal(call?.type, 'function');
  assert.deepEqual(JSON.parse(call?.type === 'function' ? call.function.arguments : ''), { city: 'example' });
});

test('max_tokens, stop and json_object are honoured', async () => {
  const capped = await client.chat.completions.create({ model: MODEL, messages: ask, max_completion_tokens: 4 });
  assert.equal(capped.choices[0]?.finish_reason, 'length');
  assert.equal(capped.usage?.completion_tokens, 4);
  const stopped = await client.chat.completions.create({ model: MODEL, messages: ask, stop: ['France'] });
  assert.equal(stopped.choices[0]?.message.content?.includes('France'), false);
  const json = await client.chat.completions.create({ model: MODEL, messages: ask, response_format: { type: 'json_object' } });
  assert.doesNotThrow(() => JSON.parse(json.choices[0]?.message.content ?? ''));
});

test('dataset prompts get the recorded answer, output tokens and score header', async () => {
  const { data, response } = await client.chat.completions
    .create({ model: MODEL, messages: [{ role: 'user', content: 'Name the largest planet.' }] })
    .withResponse();
  assert.equal(data.choices[0]?.message.content, 'Jupiter.');
  assert.equal(data.usage?.completion_tokens, 321);
  assert.equal(response.headers.get('x-simulator-score'), '1');
  const { response: other } = await client.chat.completions.create({ model: MODEL, messages: ask }).withResponse();
  assert.equal(other.headers.get('x-simulator-score'), null);
});

test('a long repeated prompt is served from the simulated cache', async () => {
  const messages = [{ role: 'system' as const, content: 'policy '.repeat(1200) }, ...ask];
  const first = await client.chat.completions.create({ model: MODEL, messages });
  const second = await client.chat.completions.create({ model: MODEL, messages });
  assert.equal(first.usage?.prompt_tokens_details?.cached_tokens, 0);
  assert.ok((second.usage?.prompt_tokens_details?.cached_tokens ?? 0) >= 1024);
});

test('failNext rate_limit surfaces as RateLimitError with Retry-After', async () => {
  sim.setFaults(MODEL, { failNext: ['rate_limit'], retryAfterSeconds: 7 });
  await assert.rejects(client.chat.completions.create({ model: MODEL, messages: ask }), (err: unknown) => {
    assert.ok(err instanceof OpenAI.RateLimitError, String(err));
    assert.equal(err.headers?.get('retry-after'), '7');
    return true;
  });
});

test('context overflow is a 400 with code context_length_exceeded; unknown model is a 404', async () => {
  await assert.rejects(client.chat.completions.create({ model: 'tiny', messages: [{ role: 'user', content: 'word '.repeat(200) }] }), (err: unknown) => {
    assert.ok(err instanceof OpenAI.BadRequestError);
    assert.equal(err.code, 'context_length_exceeded');
    assert.match(err.message, /maximum context length is 30 tokens/);
    return true;
  });
  await assert.rejects(client.chat.completions.create({ model: 'nope', messages: ask }), OpenAI.NotFoundError);
  await assert.rejects(client.chat.completions.create({ model: MODEL, messages: [{ role: 'robot' as 'user', content: 'x' }] }), (err: unknown) => {
    assert.ok(err instanceof OpenAI.BadRequestError);
    assert.equal(err.param, 'messages[0].role');
    return true;
  });
});

test('a cut stream raises in the client', async () => {
  sim.setFaults(MODEL, { failNext: ['cut'] });
  const stream = await client.chat.completions.create({ model: MODEL, messages: ask, stream: true });
  await assert.rejects(async () => {
    for await (const _ of stream) {
      // drain
    }
  });
});

test('faults and stats over HTTP, for an out-of-process simulator', async () => {
  const set = await fetch(`${url}/_sim/faults`, { method: 'POST', body: JSON.stringify({ model: MODEL, failNext: ['server_error'] }) });
  assert.equal(set.status, 204);
  await assert.rejects(client.chat.completions.create({ model: MODEL, messages: ask }), OpenAI.InternalServerError);
  const bad = await fetch(`${url}/_sim/faults`, { method: 'POST', body: JSON.stringify({ model: MODEL, failNext: ['gremlins'] }) });
  assert.equal(bad.status, 400);
  const stats = (await (await fetch(`${url}/_sim/stats`)).json()) as Record<string, { calls: number; byFault: Record<string, number> }>;
  assert.ok((stats[MODEL]?.calls ?? 0) > 5);
  assert.equal(stats[MODEL]?.byFault.server_error, 1);
  assert.deepEqual(sim.stats()[MODEL]?.byFault.rate_limit, 1);
});

test('GET /v1/models lists the simulated models', async () => {
  const ids = [];
  for await (const m of client.models.list()) ids.push(m.id);
  assert.deepEqual(ids, [MODEL, 'tiny']);
});

test('close() ends calls held by latency or a timeout fault', async () => {
  const slow = createSimulator({ models: [{ id: 's', ttftMs: 60_000, tokensPerSecond: 1, contextWindow: 1000 }], latencyScale: 1 });
  const slowUrl = await slow.listen();
  const slowClient = new OpenAI({ baseURL: `${slowUrl}/v1`, apiKey: 'x', maxRetries: 0 });
  const pending = slowClient.chat.completions.create({ model: 's', messages: ask });
  while ((slow.stats().s?.calls ?? 0) < 1) await new Promise((r) => setImmediate(r));
  await slow.close();
  await assert.rejects(pending, OpenAI.APIConnectionError);
});
