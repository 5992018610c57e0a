import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChatRequest } from '../spec/chat.js';
import { createAnswerer } from './create-answerer.js';
import { createFaultPlan } from './create-fault-plan.js';
import { createPromptAccounting } from './create-prompt-accounting.js';
import { createTokenCounter } from './create-token-counter.js';
import { exampleFromSchema } from './example-from-schema.js';
import { splitPieces } from './write-paced.js';

const counter = createTokenCounter();
const req = (over: Partial<ChatRequest> = {}): ChatRequest => ({
  model: 'm',
  messages: [{ role: 'user', content: 'Tell me about the weather in Paris today please' }],
  stream: false,
  includeUsage: false,
  ...over,
});

test('fault plan: the queue first, then seeded dice at the configured rate', () => {
  const plan = createFaultPlan(7);
  plan.set('m', { failNext: ['cut', 'timeout'], rate5xx: 0.3, retryAfterSeconds: 3 });
  assert.equal(plan.pick('m'), 'cut');
  assert.equal(plan.pick('m'), 'timeout');
  let errors = 0;
  for (let i = 0; i < 2000; i++) if (plan.pick('m') === 'server_error') errors++;
  assert.ok(errors > 500 && errors < 700, `~30% of 2000, got ${errors}`);
  assert.equal(plan.retryAfterSeconds('m'), 3);
  assert.equal(plan.pick('other'), undefined);
  plan.set('*', { failNext: ['malformed'] });
  assert.equal(plan.pick('other'), 'malformed');
  const again = createFaultPlan(7);
  again.set('m', { rate5xx: 0.3 });
  const a = Array.from({ length: 50 }, () => again.pick('m'));
  const b = createFaultPlan(7);
  b.set('m', { rate5xx: 0.3 });
  assert.deepEqual(Array.from({ length: 50 }, () => b.pick('m')), a, 'same seed, same faults');
});

test('automatic caching: a repeated prefix of the same model is cached, not for another model', () => {
  const acc = createPromptAccounting(counter, 10);
  const long = 'context '.repeat(50);
  const first = req({ messages: [{ role: 'system', content: long }, { role: 'user', content: 'q1' }] });
  const u1 = acc.measure('a', first, 'automatic');
  assert.equal(u1.cachedInputTokens, 0);
  const u2 = acc.measure('a', first, 'automatic');
  assert.equal(u2.cachedInputTokens, u2.inputTokens);
  const next = req({ messages: [{ role: 'system', content: long }, { role: 'user', content: 'q2 is different' }] });
  const u3 = acc.measure('a', next, 'automatic');
  assert.ok(u3.cachedInputTokens > 50 && u3.cachedInputTokens < u3.inputTokens, JSON.stringify(u3));
  assert.equal(acc.measure('b', first, 'automatic').cachedInputTokens, 0);
});

test('explicit caching: cache_control writes first, reads after; small prefixes are not cached', () => {
  const acc = createPromptAccounting(counter, 10);
  const marked = req({
    messages: [
      { role: 'system', content: [{ type: 'text', text: 'rules '.repeat(40), cache_control: { type: 'ephemeral' } }] },
      { role: 'user', content: 'hello' },
    ],
  });
  const u1 = acc.measure('a', marked, 'explicit');
  assert.ok(u1.cacheWriteTokens > 40 && u1.cachedInputTokens === 0, JSON.stringify(u1));
  const u2 = acc.measure('a', marked, 'explicit');
  assert.equal(u2.cachedInputTokens, u1.cacheWriteTokens);
  assert.equal(u2.cacheWriteTokens, 0);
  assert.deepEqual(acc.measure('a', req(), 'explicit'), { inputTokens: acc.measure('a', req(), 'explicit').inputTokens, cachedInputTokens: 0, cacheWriteTokens: 0 });
  const strict = createPromptAccounting(counter, 100_000);
  assert.equal(strict.measure('a', marked, 'explicit').cacheWriteTokens, 0);
});

test('answers: dataset response, real output tokens and score; synthetic otherwise', () => {
  const answerer = createAnswerer(
    [
      { id: 'q1', task: 't', messages: [{ role: 'user', content: 'What is 2+2?' }], scores: { good: 1, bad: 0 }, outputTokens: { good: 120 }, responses: { good: '4' } },
    ],
    counter,
  );
  const q = req({ messages: [{ role: 'user', content: '  What is 2+2?  ' }] });
  assert.deepEqual(answerer.answer('good', q, 1000, 'call_'), { text: '4', finishReason: 'stop', outputTokens: 120, score: 1 });
  const bad = answerer.answer('bad', q, 1000, 'call_');
  assert.match(bad.text, /incorrect/);
  assert.equal(bad.score, 0);
  assert.equal(answerer.answer('good', q, 50, 'call_').finishReason, 'length');
  const s1 = answerer.answer('x', req(), 1000, 'call_');
  assert.deepEqual(answerer.answer('x', req(), 1000, 'call_'), s1, 'deterministic');
  assert.equal(s1.score, undefined);
  assert.match(s1.text, /weather in Paris/);
  assert.equal(s1.outputTokens, counter.count(s1.text));
});

test('synthetic answers honour max_tokens, stop, json modes and tools', () => {
  const answerer = createAnswerer([], counter);
  const capped = answerer.answer('x', req(), 5, 'call_');
  assert.equal(capped.finishReason, 'length');
  assert.equal(capped.outputTokens, 5);
  assert.ok(counter.count(capped.text) <= 5);
  const stopped = answerer.answer('x', req({ stop: ['Paris'] }), 1000, 'call_');
  assert.equal(stopped.text.includes('Paris'), false);
  assert.equal(stopped.finishReason, 'stop');
  const json = answerer.answer('x', req({ responseFormat: { type: 'json_object' } }), 1000, 'call_');
  assert.equal(typeof (JSON.parse(json.text) as { answer: string }).answer, 'string');
  const schema = { type: 'object', properties: { n: { type: 'integer' }, tags: { type: 'array', items: { type: 'string' } } }, required: ['n', 'tags'] };
  const shaped = answerer.answer('x', req({ responseFormat: { type: 'json_schema', json_schema: { name: 's', schema } } }), 1000, 'call_');
  assert.deepEqual(JSON.parse(shaped.text), { n: 1, tags: [] });
  const tools = [{ type: 'function' as const, function: { name: 'f', parameters: { type: 'object', properties: { unit: { enum: ['c', 'f'] } }, required: ['unit'] } } }];
  const called = answerer.answer('x', req({ tools }), 1000, 'call_');
  assert.equal(called.finishReason, 'tool_calls');
  assert.match(called.toolCalls?.[0]?.id ?? '', /^call_/);
  assert.deepEqual(JSON.parse(called.toolCalls?.[0]?.function.arguments ?? ''), { unit: 'c' });
  assert.equal(answerer.answer('x', req({ tools, toolChoice: 'none' }), 1000, 'call_').toolCalls, undefined);
  const afterTool = req({ tools, messages: [...req().messages, { role: 'assistant', content: null, toolCalls: called.toolCalls }, { role: 'tool', toolCallId: 'c', content: '{}' }] });
  assert.equal(answerer.answer('x', afterTool, 1000, 'call_').toolCalls, undefined, 'auto answers in text after a tool result');
});

test('schema examples and stream pieces', () => {
  assert.deepEqual(exampleFromSchema({ type: 'object', properties: { a: { type: 'boolean' }, b: { type: 'string' } }, required: ['a'] }), { a: true });
  assert.deepEqual(exampleFromSchema({ anyOf: [{ type: 'number', minimum: 3 }] }), 3);
  assert.equal(splitPieces('one two three four five six').join(''), 'one two three four five six');
  assert.equal(splitPieces('one two three four five six').length, 2);
  assert.deepEqual(splitPieces(''), []);
});
