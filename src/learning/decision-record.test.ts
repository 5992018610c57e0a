import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Features } from '../spec/routing.js';
import { extractFeatures } from '../routing/extract-features.js';
import { LAZY_NGRAM_MAX_CHARS, toPendingDecision } from './decision-record.js';
import { createPolicy } from '../routing/policy-config.js';
import { fixtureInput, fixtureTarget } from '../routing/policy-fixtures.js';
import { createFailureMemory, failureMemoryListener, withFailureMemory } from './failure-memory.js';
import { chatRequest, requestEnd } from './learning-test-kit.js';

/** Features whose n-gram getters count how often they are read. */
const counting = (text: string): { features: Features; reads: () => number } => {
  const real = extractFeatures(chatRequest(text));
  let reads = 0;
  const features = Object.create(real, {
    hashedNgrams: { get: () => ((reads += 1), real.hashedNgrams) },
    hashedValues: { get: () => ((reads += 1), real.hashedValues) },
  }) as Features;
  return { features, reads: () => reads };
};

test('a decision does not hash its n-grams until they are read, then hashes them once', () => {
  const text = 'Write a haiku about the autumn moon over the quiet lake';
  const { features, reads } = counting(text);
  const p = toPendingDecision(requestEnd('d1', { features, request: chatRequest(text) }, text), 1_000);
  assert.equal(reads(), 0);
  const expected = extractFeatures(chatRequest(text));
  assert.deepEqual(p.ngrams?.indices, expected.hashedNgrams);
  assert.deepEqual(p.ngrams?.values, expected.hashedValues);
  assert.equal(p.ngrams, p.ngrams);
  assert.equal(reads(), 2);
});

test('a prompt longer than the lazy bound is hashed at once (its text is not held)', () => {
  const text = 'word '.repeat(LAZY_NGRAM_MAX_CHARS);
  const { features, reads } = counting(text);
  const p = toPendingDecision(requestEnd('d2', { features, request: chatRequest(text) }, text), 1_000);
  assert.equal(reads(), 2);
  assert.ok((p.ngrams?.indices.length ?? 0) > 0);
  assert.equal(reads(), 2);
});

test('lazily hashed n-grams still feed failure memory when user feedback arrives', () => {
  const bad = 'Write a haiku about the autumn moon over the quiet lake';
  const memory = createFailureMemory({ maxPerTenant: 4, similarity: 0.7, ttlMs: 60_000 });
  const listener = failureMemoryListener(memory, () => 0);
  const p = toPendingDecision(requestEnd('d3', { target: 'small', chosen: 'small' }, bad), 0);
  listener.onFeedback?.(p, 0, { decisionId: 'd3', tenant: 'acme', metric: 'thumbs', value: 0, source: 'user', ts: 0 });
  const similar = extractFeatures(chatRequest(`${bad} tonight`));
  assert.deepEqual([...memory.failures('acme', { indices: similar.hashedNgrams, values: similar.hashedValues }, 0).keys()], ['small']);
});

test("failure memory's routing does not hash a prompt for a tenant with nothing remembered", () => {
  const memory = createFailureMemory({ maxPerTenant: 4, similarity: 0.7, ttlMs: 60_000 });
  const policy = withFailureMemory(createPolicy({ type: 'fixed' }), memory, { lambdaFor: () => 100, priorWeight: 1 });
  const input = fixtureInput('Write a haiku about the autumn moon', [fixtureTarget('small', 0.2), fixtureTarget('large', 10)]);
  const { features, reads } = counting('Write a haiku about the autumn moon');
  policy.plan({ ...input, features, now: 0 });
  assert.equal(reads(), 0);
});
