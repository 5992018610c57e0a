import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChatChunk, FinishReason } from '../spec/chat.js';
import { extractFeatures } from '../routing/extract-features.js';
import { ownSignals } from '../learning/implicit-signals.js';
import { chatRequest, requestEnd } from '../learning/learning-test-kit.js';
import { createStreamAnswer } from './stream-answer.js';

const chunk = (content: string | null, finishReason: FinishReason | null = null, index = 0): ChatChunk => ({
  id: 'c1', created: 7, model: 'small', choices: [{ index, delta: content === null ? {} : { content }, finishReason }],
});

const assemble = (chunks: ChatChunk[], maxChars?: number) => {
  const answer = createStreamAnswer(maxChars);
  for (const c of chunks) answer.add(c);
  return answer.response();
};

test('a streamed answer is assembled into the response the learning sinks read', () => {
  const r = assemble([chunk('{"a":'), chunk(' 1'), chunk('}', 'stop'), { id: 'c1', created: 7, model: 'small', choices: [] }]);
  assert.deepEqual(r, { id: 'c1', created: 7, model: 'small', choices: [{ index: 0, message: { role: 'assistant', content: '{"a": 1}' }, finishReason: 'stop' }] });
  assert.equal(assemble([chunk('unfinished')]), undefined, 'a stream cut before any finish reason gives no answer');
  assert.equal(assemble([chunk('x'.repeat(10)), chunk(null, 'stop')], 5), undefined, 'too long to keep: no answer');
});

test('implicit signals on streams: invalid JSON in JSON mode and truncation by the target cap', () => {
  const json = chatRequest('give me json', { stream: true, responseFormat: { type: 'json_object' } });
  const broken = assemble([chunk('{"a": '), chunk('1', 'length')]);
  const signals = ownSignals(requestEnd('d1', { stream: true, request: json, features: extractFeatures(json), response: broken }));
  assert.deepEqual(signals.map((s) => [s.metric, s.value]), [['truncated', 1], ['json_valid', 0]]);
  const fine = assemble([chunk('{"a": 1}', 'stop')]);
  assert.deepEqual(ownSignals(requestEnd('d2', { stream: true, request: json, features: extractFeatures(json), response: fine })), []);
});
