import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSqliteLearningStore } from '../ledger/sqlite-learning-store.js';
import { openLedgerDatabase } from '../ledger/sqlite-ledger-store.js';
import { GatewayError } from '../errors/index.js';
import { createLearningLoop } from './create-learning-loop.js';
import { createSubmitFeedback } from './submit-feedback.js';
import { learningConfig, recordingLearner, requestEnd } from './learning-test-kit.js';

const setup = (over: Record<string, unknown> = {}) => {
  let clock = 1_000_000;
  const store = createSqliteLearningStore(openLedgerDatabase(':memory:'));
  const learner = recordingLearner();
  const config = learningConfig(over);
  const loop = createLearningLoop({ config, store, learnerFor: (r) => (r === 'auto' ? learner : undefined), now: () => clock, onError: (e) => { throw e; } });
  const submit = createSubmitFeedback(loop, config.feedbackWindowMs, () => clock);
  return { loop, store, learner, submit, advance: (ms: number) => { clock += ms; } };
};

test('delayed feedback joins its decision and reaches the route learner with quality, weight and context', async () => {
  const { loop, learner, submit, advance } = setup();
  loop.sink(requestEnd('d1', { costMicroUsd: 250 }));
  advance(3_600_000);
  assert.equal(await submit('acme', { decisionId: 'd1', metric: 'thumbs', value: false }), 'accepted');
  loop.recordFeedback({ decisionId: 'd1', tenant: 'acme', metric: 'score', value: 0.75, source: 'judge', ts: 1_000_000 + 3_600_000 });
  assert.deepEqual(learner.outcomes.map((o) => [o.quality, o.weight, o.costMicroUsd, o.chosen]), [[0, 1, 250, 'small'], [0.75, 0.5, 250, 'small']]);
  assert.equal(learner.outcomes[0]?.context.length, 16);
  assert.equal(learner.outcomes[0]?.segment, 'standard/code');
});

test('duplicate feedback is learned from once, and answered duplicate', async () => {
  const { loop, learner, submit } = setup();
  loop.sink(requestEnd('d1'));
  const input = { decisionId: 'd1', metric: 'thumbs', value: true };
  assert.equal(await submit('acme', input), 'accepted');
  assert.equal(await submit('acme', input), 'duplicate');
  loop.recordFeedback({ decisionId: 'd1', tenant: 'acme', metric: 'thumbs', value: 1, source: 'user', ts: 1 });
  assert.equal(learner.outcomes.length, 1);
  assert.equal(await submit('acme', { ...input, idempotencyKey: 'again' }), 'accepted');
  assert.equal(learner.outcomes.length, 2);
});

test('feedback after the window is too_late and not learned from', async () => {
  const { loop, learner, submit, advance } = setup({ feedbackWindowMs: 60_000 });
  loop.sink(requestEnd('d1'));
  advance(61_000);
  assert.equal(await submit('acme', { decisionId: 'd1', metric: 'thumbs', value: true }), 'too_late');
  loop.recordFeedback({ decisionId: 'd1', tenant: 'acme', metric: 'thumbs', value: 1, source: 'judge', ts: 1_000_000 + 61_000 });
  assert.equal(learner.outcomes.length, 0);
});

test('a decision evicted from memory is found in the database (delayed beyond the pending TTL)', async () => {
  const { loop, learner, submit, advance } = setup({ pendingTtlMs: 1000 });
  loop.sink(requestEnd('d1'));
  await loop.flush();
  advance(5_000);
  assert.equal(await submit('acme', { decisionId: 'd1', metric: 'thumbs', value: true }), 'accepted');
  await new Promise((r) => setImmediate(r));
  assert.equal(learner.outcomes.length, 1);
  assert.equal(learner.outcomes[0]?.quality, 1);
});

test("tenant isolation: another tenant's decision is decision_not_found, and internal feedback across tenants is ignored", async () => {
  const { loop, learner, submit } = setup();
  loop.sink(requestEnd('d1', { tenant: 'acme' }));
  await assert.rejects(submit('globex', { decisionId: 'd1', metric: 'thumbs', value: true }), (e: unknown) => e instanceof GatewayError && e.code === 'decision_not_found');
  loop.recordFeedback({ decisionId: 'd1', tenant: 'globex', metric: 'thumbs', value: 1, source: 'implicit', ts: 1 });
  assert.equal(learner.outcomes.length, 0);
});

test('lower-is-better metrics and float ranges map onto quality', async () => {
  const { loop, learner } = setup({ metrics: [{ name: 'latency_complaint', kind: 'boolean', higherIsBetter: false }, { name: 'rating', kind: 'float', range: [1, 5] }] });
  loop.sink(requestEnd('d1'));
  loop.recordFeedback({ decisionId: 'd1', tenant: 'acme', metric: 'latency_complaint', value: 1, source: 'user', ts: 1 });
  loop.recordFeedback({ decisionId: 'd1', tenant: 'acme', metric: 'rating', value: 4, source: 'user', ts: 1 });
  loop.recordFeedback({ decisionId: 'd1', tenant: 'acme', metric: 'undeclared', value: 4, source: 'judge', ts: 1 });
  assert.deepEqual(learner.outcomes.map((o) => o.quality), [0, 0.75]);
  await loop.flush();
});
