import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RoutingPolicy } from '../spec/routing.js';
import { createPolicy } from '../routing/policy-config.js';
import { fixtureInput, fixtureTarget } from '../routing/policy-fixtures.js';
import { createFailureMemory, cosine, failureMemoryListener, withFailureMemory } from './failure-memory.js';
import type { PendingDecision } from './pending-decisions.js';
import { makeDecision } from '../ledger/learning-store-conformance.js';

const targets = [fixtureTarget('small', 0.2), fixtureTarget('medium', 1), fixtureTarget('large', 10)];
const BAD = 'Write a haiku about the autumn moon over the quiet lake';
const SIMILAR = 'Write a haiku about the autumn moon over the quiet lake tonight';
const OTHER = 'What is the boiling point of water at sea level in Celsius?';
const vec = (text: string) => {
  const f = fixtureInput(text, targets).features;
  return { indices: f.hashedNgrams, values: f.hashedValues };
};
const pending = (text: string, served: string, tenant = 't'): PendingDecision => ({
  record: makeDecision({ tenant, served, chosen: served }), segment: 'standard/writing', ngrams: vec(text),
});

const setup = () => {
  const memory = createFailureMemory({ maxPerTenant: 4, similarity: 0.7, ttlMs: 1000 });
  const policy: RoutingPolicy = withFailureMemory(createPolicy({ type: 'fixed' }), memory, { lambdaFor: () => 100, priorWeight: 1 });
  const listener = failureMemoryListener(memory, () => 0);
  const first = (text: string, tenant = 't', now = 0): string => policy.plan({ ...fixtureInput(text, targets, { tenant }), now }).targets[0]?.id ?? '';
  return { memory, policy, listener, first };
};

test('cosine of hashed n-gram vectors: similar prompts are close, unrelated ones far', () => {
  assert.ok(Math.abs(cosine(vec(BAD), vec(BAD)) - 1) < 1e-5);
  assert.ok(cosine(vec(BAD), vec(SIMILAR)) > 0.7);
  assert.ok(cosine(vec(BAD), vec(OTHER)) < 0.2);
});

test('a bad answer sends similar queries of the same tenant to a stronger candidate, and only those', () => {
  const { listener, first, policy } = setup();
  assert.equal(first(SIMILAR), 'small');
  listener.onFeedback?.(pending(BAD, 'small'), 0, { decisionId: 'd1', tenant: 't', metric: 'thumbs', value: 0, source: 'user', ts: 0 });
  assert.equal(first(SIMILAR), 'medium');
  assert.match(policy.plan({ ...fixtureInput(SIMILAR, targets), now: 0 }).decision.reason, /^failure-memory:small>medium/);
  assert.equal(first(OTHER), 'small');
  assert.equal(first(SIMILAR, 'other-tenant'), 'small');
});

test("good feedback for the failed target on a similar query releases it (another target's does not); so does time", () => {
  const { listener, first } = setup();
  const bad = { decisionId: 'd1', tenant: 't', metric: 'thumbs', value: 0, source: 'user' as const, ts: 0 };
  listener.onFeedback?.(pending(BAD, 'small'), 0, bad);
  // The stronger target answering well says nothing about the one that failed.
  listener.onFeedback?.(pending(SIMILAR, 'medium'), 1, { ...bad, decisionId: 'd2', value: 1 });
  assert.equal(first(SIMILAR), 'medium');
  listener.onFeedback?.(pending(SIMILAR, 'small'), 1, { ...bad, decisionId: 'd3', value: 1 });
  assert.equal(first(SIMILAR), 'small');
  listener.onFeedback?.(pending(BAD, 'small'), 0, bad);
  assert.equal(first(SIMILAR, 't', 500), 'medium');
  assert.equal(first(SIMILAR, 't', 5000), 'small');
});

test('implicit signals and estimator guesses do not enter the memory; it stays bounded per tenant', () => {
  const { memory, listener, first } = setup();
  const base = { decisionId: 'd1', tenant: 't', metric: 'provider_error', value: 1, source: 'implicit' as const, ts: 0 };
  listener.onFeedback?.(pending(BAD, 'small'), 0, { ...base, target: 'small' });
  listener.onFeedback?.(pending(BAD, 'small'), 0, { ...base, metric: 'regenerated' });
  listener.onFeedback?.(pending(BAD, 'small'), 0, { ...base, metric: 'score', source: 'estimator' });
  assert.equal(first(SIMILAR), 'small');
  for (let i = 0; i < 10; i++) memory.remember('t', vec(`${OTHER} ${i}`), 'small', 0);
  assert.equal(memory.size('t'), 4);
});

/** A policy that predicts: small first, with P(quality) and expected cost per candidate. */
const predicting = (q: Record<string, number>, costMicroUsd: Record<string, number>): RoutingPolicy => ({
  name: 'stub', version: 'v1',
  plan: ({ candidates }) => ({
    targets: [...candidates],
    decision: {
      policy: 'stub', policyVersion: 'v1', reason: 'stub', propensity: 0.9,
      considered: candidates.map((c) => ({ targetId: c.id, pQuality: q[c.id] ?? 0, expectedCostMicroUsd: costMicroUsd[c.id] ?? 0 })),
    },
  }),
});

test('with predictions, it escalates only when the expected reward (quality − λ·cost) says so', () => {
  const memory = createFailureMemory({ maxPerTenant: 8, similarity: 0.7, ttlMs: 1000 });
  const stub = predicting({ small: 0.6, medium: 0.6, large: 0.95 }, { small: 100, medium: 150, large: 5000 });
  // λ = 1/150 µUSD: small's reward 0.6 − 0.67, medium's 0.6 − 1.0, large's 0.95 − 33.
  const policy = withFailureMemory(stub, memory, { lambdaFor: () => 1 / 150e-6, priorWeight: 1 });
  const first = (): string => policy.plan({ ...fixtureInput(SIMILAR, targets), now: 0 }).targets[0]?.id ?? '';
  memory.remember('t', vec(BAD), 'small', 0);
  // One failure: small is expected at 0.6/(1 + s) ≈ 0.31, reward −0.36 > medium's −0.40: not worth it.
  assert.equal(first(), 'small');
  memory.remember('t', vec(BAD), 'small', 0);
  // Two: ≈ 0.21, reward −0.46 < −0.40: medium, never the hopeless large.
  assert.equal(first(), 'medium');
  const plan = policy.plan({ ...fixtureInput(SIMILAR, targets), now: 0 });
  assert.match(plan.decision.reason, /^failure-memory:small>medium \(stub\)/);
  assert.equal(plan.decision.propensity, 1);
  // When cost does not matter, one failure suffices and the best stronger candidate (not the cheapest) is chosen.
  const m2 = createFailureMemory({ maxPerTenant: 8, similarity: 0.7, ttlMs: 1000 });
  m2.remember('t', vec(BAD), 'small', 0);
  assert.equal(withFailureMemory(stub, m2, { lambdaFor: () => 0, priorWeight: 1 }).plan({ ...fixtureInput(SIMILAR, targets), now: 0 }).targets[0]?.id, 'large');
});
