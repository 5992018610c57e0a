import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import { createSimulator, type Simulator } from '../../src/simulator/create-simulator.js';

const MODEL = 'claude-sim';
let sim: Simulator;
let client: Anthropic;

before(async () => {
  sim = createSimulator({
    models: [
      { id: MODEL, ttftMs: 300, tokensPerSecond: 60, contextWindow: 20_000 },
      { id: 'tiny', ttftMs: 0, tokensPerSecond: 60, contextWindow: 30 },
    ],
    latencyScale: 0,
    dataset: [{ id: 'q1', task: 'qa', messages: [{ role: 'user', content: 'Name the largest planet.' }], scores: { [MODEL]: 0 }, outputTokens: { [MODEL]: 99 } }],
  });
  client = new Anthropic({ baseURL: await sim.listen(), apiKey: 'sk-ant-sim', maxRetries: 0 });
});
after(() => sim.close());

const ask = [{ role: 'user' as const, content: 'What is the capital of France?' }];

test('non-stream message with usage', async () => {
  const msg = await client.messages.create({ model: MODEL, max_tokens: 300, messages: ask });
  assert.equal(msg.type, 'message');
  assert.match(msg.id, /^msg_/);
  assert.equal(msg.stop_reason, 'end_turn');
  const block = msg.content[0];
  assert.equal(block?.type, 'text');
  assert.match(block?.type === 'text' ? block.text : '', /capital of France/);
  assert.ok(msg.usage.input_tokens > 0 && msg.usage.output_tokens > 0);
});

test('stream: the SDK assembles the same message with final usage', async () => {
  const whole = await client.messages.create({ model: MODEL, max_tokens: 300, messages: ask });
  const final = await client.messages.stream({ model: MODEL, max_tokens: 300, messages: ask }).finalMessage();
  assert.deepEqual(final.content, whole.content);
  assert.equal(final.usage.output_tokens, whole.usage.output_tokens);
  assert.equal(final.usage.input_tokens, whole.usage.input_tokens);
  assert.equal(final.stop_reason, 'end_turn');
});

test('tool_use with valid input, streamed and not', async () => {
  const params = {
    model: MODEL,
    max_tokens: 300,
    messages: [{ role: 'user' as const, content: 'Weather in Paris?' }],
    tools: [{ name: 'get_weather', input_schema: { type: 'object' as const, properties: { city: { type: 'string' } }, required: ['city'] } }],
    tool_choice: { type: 'any' as const },
  };
  const msg = await client.messages.create(params);
  assert.equal(msg.stop_reason, 'tool_use');
  const block = msg.content.find((b) => b.type === 'tool_use');
  assert.deepEqual(block?.type === 'tool_use' ? block.input : undefined, { city: 'example' });
  const streamed = await client.messages.stream(params).finalMessage();
  const sBlock = streamed.content.find((b) => b.type === 'tool_use');
  assert.deepEqual(sBlock?.type === 'tool_use' ? sBlock.input : undefined, { city: 'example' });
});

test('cache_control: the first call writes the cache, the next reads it', async () => {
  const params = {
    model: MODEL,
    max_tokens: 100,
    system: [{ type: 'text' as const, text: 'house rules '.repeat(600), cache_control: { type: 'ephemeral' as const } }],
    messages: ask,
  };
  const first = await client.messages.create(params);
  assert.ok((first.usage.cache_creation_input_tokens ?? 0) >= 1024);
  assert.equal(first.usage.cache_read_input_tokens, 0);
  const second = await client.messages.create(params);
  assert.equal(second.usage.cache_read_input_tokens, first.usage.cache_creation_input_tokens);
  assert.equal(second.usage.cache_creation_input_tokens, 0);
  // input_tokens excludes cached tokens, as Anthropic reports it.
  assert.equal(second.usage.input_tokens, first.usage.input_tokens);
});

test('dataset prompts without a recorded response say how the model scored', async () => {
  const msg = await client.messages.create({ model: MODEL, max_tokens: 300, messages: [{ role: 'user', content: 'Name the largest planet.' }] });
  const block = msg.content[0];
  assert.match(block?.type === 'text' ? block.text : '', /incorrect/);
  assert.equal(msg.usage.output_tokens, 99);
});

test('rate limits, overload and context overflow in Anthropic error shapes', async () => {
  sim.setFaults(MODEL, { failNext: ['rate_limit', 'overloaded'] });
  await assert.rejects(client.messages.create({ model: MODEL, max_tokens: 10, messages: ask }), Anthropic.RateLimitError);
  await assert.rejects(client.messages.create({ model: MODEL, max_tokens: 10, messages: ask }), (err: unknown) => {
    assert.ok(err instanceof Anthropic.APIError);
    assert.equal(err.status, 529);
    assert.equal((err.error as { error?: { type?: string } }).error?.type, 'overloaded_error');
    return true;
  });
  await assert.rejects(client.messages.create({ model: 'tiny', max_tokens: 10, messages: [{ role: 'user', content: 'word '.repeat(100) }] }), (err: unknown) => {
    assert.ok(err instanceof Anthropic.BadRequestError);
    assert.match(err.message, /prompt is too long/);
    return true;
  });
  await assert.rejects(client.messages.create({ model: 'nope', max_tokens: 10, messages: ask }), Anthropic.NotFoundError);
});

test('a cut stream raises in the client', async () => {
  sim.setFaults(MODEL, { failNext: ['cut'] });
  await assert.rejects(client.messages.stream({ model: MODEL, max_tokens: 300, messages: ask }).finalMessage());
});
