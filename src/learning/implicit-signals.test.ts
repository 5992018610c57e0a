import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChatResponse } from '../spec/chat.js';
import type { FeedbackRecord } from '../spec/learning.js';
import { extractFeatures } from '../routing/extract-features.js';
import { conversationKey, createImplicitSignalsSink } from './implicit-signals.js';
import { chatRequest, requestEnd } from './learning-test-kit.js';

const response = (content: string, finishReason: 'stop' | 'length' = 'stop'): ChatResponse => ({
  id: 'x', created: 0, model: 'small', choices: [{ index: 0, message: { role: 'assistant', content }, finishReason }],
});

const setup = (retryWindowMs = 60_000) => {
  let clock = 0;
  const got: FeedbackRecord[] = [];
  const sink = createImplicitSignalsSink({ recordFeedback: (r) => got.push(r), now: () => clock, retryWindowMs, defer: (fn) => fn() });
  return { sink, got, advance: (ms: number) => { clock += ms; } };
};
const summary = (got: FeedbackRecord[]) => got.map((f) => [f.decisionId, f.metric, f.value, f.source]);

test('a regenerate of the same conversation within the window is negative feedback on the earlier decision', () => {
  const { sink, got, advance } = setup();
  sink(requestEnd('d1', {}, 'tell me a joke'));
  advance(10_000);
  sink(requestEnd('d2', {}, 'tell me a joke'));
  assert.deepEqual(summary(got), [['d1', 'regenerated', 1, 'implicit']]);
  advance(120_000);
  sink(requestEnd('d3', {}, 'tell me a joke'));
  assert.equal(got.length, 1, 'outside the window: no signal');
});

test('a repeat sooner than the minimum gap is a machine retry, not a regenerate', () => {
  let clock = 0;
  const got: FeedbackRecord[] = [];
  const sink = createImplicitSignalsSink({ recordFeedback: (r) => got.push(r), now: () => clock, retryWindowMs: 60_000, retryMinGapMs: 1_000, defer: (fn) => fn() });
  sink(requestEnd('d1', {}, 'same prompt'));
  clock += 5;
  sink(requestEnd('d2', {}, 'same prompt'));
  assert.deepEqual(got, [], 'back-to-back identical requests (a batch client, a load test) say nothing about the answer');
  clock += 3_000;
  sink(requestEnd('d3', {}, 'same prompt'));
  assert.deepEqual(summary(got), [['d2', 'regenerated', 1, 'implicit']]);
});

test('the conversation key ignores a trailing assistant turn and is per tenant', () => {
  const base = chatRequest('hi').messages;
  const withAnswer = [...base, { role: 'assistant' as const, content: 'hello!' }];
  assert.equal(conversationKey('a', base), conversationKey('a', withAnswer));
  assert.notEqual(conversationKey('a', base), conversationKey('b', base));
  assert.notEqual(conversationKey('a', base), conversationKey('a', [...withAnswer, { role: 'user', content: 'more' }]));
  const { sink, got } = setup();
  sink(requestEnd('d1', { tenant: 'a' }, 'same words'));
  sink(requestEnd('d2', { tenant: 'b' }, 'same words'));
  assert.deepEqual(got, []);
});

test('invalid JSON in JSON mode, truncation by max tokens and a failed first choice are signals on the decision', () => {
  const { sink, got } = setup();
  const json = (text: string) => chatRequest(text, { responseFormat: { type: 'json_object' } });
  const [j1, j2] = [json('give me json'), json('give me other json')];
  sink(requestEnd('d1', { request: j1, features: extractFeatures(j1), response: response('{"a": 1') }));
  sink(requestEnd('d2', { request: j2, features: extractFeatures(j2), response: response('{"a": 1}') }));
  sink(requestEnd('d3', { response: response('once upon a', 'length') }, 'story please'));
  sink(requestEnd('d4', { chosen: 'small', target: 'large', fallbacks: 1 }, 'q4'));
  sink(requestEnd('d5', { chosen: 'small', target: null, status: 502 }, 'q5'));
  const capped = chatRequest('story with a cap', { maxTokens: 5 });
  sink(requestEnd('d6', { request: capped, features: extractFeatures(capped), response: response('once upon', 'length') }));
  assert.deepEqual(got.map((f) => [f.decisionId, f.metric, f.value, f.target]), [
    ['d1', 'json_valid', 0, undefined], ['d3', 'truncated', 1, undefined], ['d4', 'provider_error', 1, 'small'], ['d5', 'provider_error', 1, 'small'],
  ]);
});

test('work is deferred off the request path', () => {
  const queued: Array<() => void> = [];
  const got: FeedbackRecord[] = [];
  const sink = createImplicitSignalsSink({ recordFeedback: (r) => got.push(r), now: () => 0, retryWindowMs: 1000, defer: (fn) => queued.push(fn) });
  sink(requestEnd('d1', { response: response('x', 'length') }));
  assert.equal(got.length, 0);
  queued.forEach((fn) => fn());
  assert.equal(got.length, 1);
});

test('long conversations are keyed by a hash: equal ones match, different ones do not', () => {
  const long = 'x'.repeat(1_000);
  const a = chatRequest(long).messages;
  assert.equal(conversationKey('a', a), conversationKey('a', chatRequest(long).messages));
  assert.notEqual(conversationKey('a', a), conversationKey('a', chatRequest(`${long}y`).messages));
  assert.ok(conversationKey('a', a).length < 64);
});

test('by default the work of every request finished in one turn runs in one later turn', async () => {
  const got: FeedbackRecord[] = [];
  const sink = createImplicitSignalsSink({ recordFeedback: (r) => got.push(r), now: () => 0, retryWindowMs: 1000 });
  sink(requestEnd('d1', { response: response('x', 'length') }, 'one'));
  sink(requestEnd('d2', { response: response('y', 'length') }, 'two'));
  assert.equal(got.length, 0);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(got.map((f) => f.decisionId), ['d1', 'd2']);
});

test('a window of 0 turns the regenerate signal off (a replay drawing prompts with replacement); the others stay', () => {
  const { sink, got, advance } = setup(0);
  sink(requestEnd('d1', { response: response('x', 'length') }, 'tell me a joke'));
  advance(10_000);
  sink(requestEnd('d2', {}, 'tell me a joke'));
  assert.deepEqual(summary(got), [['d1', 'truncated', 1, 'implicit']]);
});
