import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSqliteLearningStore } from '../ledger/sqlite-learning-store.js';
import { openLedgerDatabase } from '../ledger/sqlite-ledger-store.js';
import { makeDecision, makeFeedback } from '../ledger/learning-store-conformance.js';
import { createPolicy, policyConfigSchema } from '../routing/policy-config.js';
import { fixtureInput, fixtureTarget } from '../routing/policy-fixtures.js';
import { createMemorySharedStats } from '../state/memory-shared-stats.js';
import { outcomesFromLog, retrainRoutes } from './drift-retrain.js';
import { learningConfig } from './learning-test-kit.js';
import { createPolicyVersions } from './policy-versions.js';

const T0 = 1_700_000_000_000;

test('the log becomes the outcomes the loop would have learned: declared metrics, source weights, served (or named) target, own tenant, in time', () => {
  const config = learningConfig();
  const decisions = [makeDecision({ decisionId: 'a', chosen: 'small', served: 'large' }), makeDecision({ decisionId: 'b' })];
  const feedback = [
    makeFeedback({ decisionId: 'a', metric: 'thumbs', value: 1, source: 'user' }),
    makeFeedback({ decisionId: 'b', metric: 'score', value: 0.25, source: 'judge' }),
    makeFeedback({ decisionId: 'b', metric: 'my-rubric', value: 1 }),
    makeFeedback({ decisionId: 'b', tenant: 'intruder' }),
    makeFeedback({ decisionId: 'b', ts: T0 + 30 * 86_400_000 }),
    makeFeedback({ decisionId: 'unknown' }),
    // A provider error on the first target, before the fallback served the answer.
    makeFeedback({ decisionId: 'a', metric: 'thumbs', value: 0, source: 'user', target: 'small' }),
  ];
  const outcomes = outcomesFromLog(config, decisions, feedback);
  assert.deepEqual(outcomes.map((o) => [o.decisionId, o.chosen, o.quality, o.weight, o.segment]), [['a', 'large', 1, 1, '*/code'], ['b', 'small', 0.25, 0.5, '*/code'], ['a', 'small', 0, 1, '*/code']]);
});

test('a persisting drift retrains the bandit on the evidence logged since it began; the state before stays a candidate version', async () => {
  const store = createSqliteLearningStore(openLedgerDatabase(':memory:'));
  const targets = [fixtureTarget('small', 0.2), fixtureTarget('large', 10)];
  const policy = createPolicy(policyConfigSchema.parse({ type: 'bandit', epsilon: 0 }), { bandit: { route: 'auto', stats: createMemorySharedStats(), lambdaFor: () => 10 } });
  const learner = policy.learner!;
  const learners = new Map([['auto', learner]]);
  let id = 0;
  const versions = createPolicyVersions({ store, learners, now: () => T0, newId: () => String(++id), snapshotEvery: 1e9, onError: (e) => { throw e; } });
  await versions.init();
  const input = fixtureInput('Translate into French: good morning', targets);
  const context = policy.plan(input).decision.context ?? [];
  const pSmall = (): number => policy.plan(input).decision.considered.find((c) => c.targetId === 'small')?.pQuality ?? NaN;
  // Before the drift (online): the small model failed on this kind of request.
  for (let i = 0; i < 200; i++) learner.learn({ decisionId: `old${i}`, tenant: 'acme', chosen: 'small', context, quality: 0, weight: 1, costMicroUsd: 1, segment: '' });
  assert.ok(pSmall() < 0.1);
  // Since the drift (logged, with user feedback): it answers well.
  const since = T0 + 1_000;
  await store.insertDecisions(Array.from({ length: 50 }, (_, i) => makeDecision({ decisionId: `new${i}`, ts: since + i, context, chosen: 'small', served: 'small' })));
  await store.insertFeedback(Array.from({ length: 50 }, (_, i) => makeFeedback({ decisionId: `new${i}`, ts: since + 100 + i, metric: 'thumbs', value: 1 })));
  const done = await retrainRoutes({ config: learningConfig(), store, learners, versions, flush: async () => undefined }, ['auto'], since);
  assert.deepEqual(done, [{ route: 'auto', observations: 50 }]);
  assert.ok(pSmall() > 0.8, `retrained on the new evidence alone: ${pSmall()}`);
  const [active, candidate] = await store.listPolicyVersions({ route: 'auto' });
  assert.equal(active?.kind, 'drift-retrain');
  assert.equal(policy.version, active?.id);
  assert.equal(candidate?.kind, 'retrain-requested');
  assert.equal(candidate?.status, 'candidate');
  // Undo: promoting the candidate restores the state from before the retrain.
  await versions.promote(candidate?.id ?? '');
  assert.ok(pSmall() < 0.1);
});
