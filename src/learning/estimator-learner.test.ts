import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSqliteLearningStore } from '../ledger/sqlite-learning-store.js';
import { openLedgerDatabase } from '../ledger/sqlite-ledger-store.js';
import { extractFeatures } from '../routing/extract-features.js';
import { ESTIMATOR_VERSIONS_KEY } from '../spec/learning.js';
import { createEstimatorLearner } from './estimator-learner.js';
import { createEstimatorTrainer } from './estimator-online.js';
import { estimatorVector } from './quality-estimator-features.js';
import { estimatorFromFile, trainQualityEstimator, type LabelledAnswer } from './quality-estimator.js';
import { createPolicyVersions } from './policy-versions.js';

const qa = extractFeatures({ model: 'm', messages: [{ role: 'user', content: 'What is the capital of France?' }], stream: false, includeUsage: false });
const answer = (model: string) => ({ features: qa, responseText: 'The capital of France is Paris.', finishReason: 'stop' as const, model });
const examples: LabelledAnswer[] = Array.from({ length: 400 }, (_, i) => (i % 2 === 0 ? { input: answer('big'), label: 1 } : { input: answer('small'), label: i % 8 === 1 ? 1 : 0 }));
const { file } = trainQualityEstimator(examples, 'synthetic');
const x = estimatorVector(answer('small'));

/** One gateway process: the estimator loaded from the same file, its trainer, and policy versions on a shared store. */
const start = async (store: ReturnType<typeof createSqliteLearningStore>, errors: string[] = []) => {
  const estimator = estimatorFromFile(file);
  const trainer = createEstimatorTrainer(estimator, { learningRate: 0.05 });
  const learners = new Map([[ESTIMATOR_VERSIONS_KEY, createEstimatorLearner(estimator, () => trainer.updates)]]);
  let id = 0;
  const versions = createPolicyVersions({ store, learners, now: () => 1_000, newId: () => `v${++id}-${Math.random()}`, snapshotEvery: 50, onError: (_e, what) => errors.push(what) });
  await versions.init();
  return { estimator, trainer, versions };
};

const learnAccepted = (p: Awaited<ReturnType<typeof start>>, n: number): void => {
  for (let i = 0; i < n; i++) {
    p.trainer.scored(`d${i}`, x);
    if (p.trainer.labelled(`d${i}`, 1)) p.versions.updated(ESTIMATOR_VERSIONS_KEY);
  }
};

test('the estimator\'s online learning survives a restart: snapshots every N updates and at shutdown, restored at start', async () => {
  const store = createSqliteLearningStore(openLedgerDatabase(':memory:'));
  const first = await start(store);
  const trained = first.estimator.scoreVector(x);
  learnAccepted(first, 120); // 2 snapshots at 50 and 100, 20 updates after the last
  const learned = first.estimator.scoreVector(x);
  assert.ok(learned > trained + 0.2, `${trained} → ${learned}`);
  await first.versions.flushUpdates(); // what a graceful stop does
  const kinds = (await store.listPolicyVersions({ route: ESTIMATOR_VERSIONS_KEY })).map((v) => v.kind).sort();
  assert.deepEqual(kinds, ['initial', 'online-update', 'online-update', 'online-update']);

  const second = await start(store);
  assert.ok(Math.abs(second.estimator.scoreVector(x) - learned) < 1e-4, 'restored to what was learned, not the file');
  // Rollback goes back one snapshot: the state after 100 updates.
  await second.versions.rollback(ESTIMATOR_VERSIONS_KEY);
  const back = second.estimator.scoreVector(x);
  assert.ok(back > trained && back < learned, `${trained} < ${back} < ${learned}`);
});

test('a snapshot from another estimator file is refused; the new file starts over with a version of its own', async () => {
  const store = createSqliteLearningStore(openLedgerDatabase(':memory:'));
  const first = await start(store);
  learnAccepted(first, 60);
  await first.versions.flushUpdates();
  const other = trainQualityEstimator(examples.slice(0, 200), 'other').file;
  const estimator = estimatorFromFile(other);
  const before = estimator.scoreVector(x);
  const learner = createEstimatorLearner(estimator, () => 0);
  const [active] = await store.listPolicyVersions({ route: ESTIMATOR_VERSIONS_KEY, status: 'active' });
  assert.throws(() => learner.restore(active?.blob ?? '', 'x'), /learned from estimator .* the loaded estimator file is/);
  assert.throws(() => learner.restore('{"kind":"quality-estimator"}', 'x'), /not a quality-estimator snapshot/);
  assert.throws(() => learner.restore(JSON.stringify({ kind: 'quality-estimator', base: other.version, model: { size: 3, weights: {} } }), 'x'), /expected size/);
  assert.equal(estimator.scoreVector(x), before, 'refused snapshots change nothing');
  // At start-up the unusable active version is reported and replaced by a fresh initial one.
  const errors: string[] = [];
  const versions = createPolicyVersions({
    store, learners: new Map([[ESTIMATOR_VERSIONS_KEY, learner]]), now: () => 2_000, newId: () => `n${Math.random()}`, snapshotEvery: 50, onError: (_e, what) => errors.push(what),
  });
  await versions.init();
  assert.equal(errors.length, 1);
  assert.match(errors[0] ?? '', /cannot be restored; starting from a new initial version/);
  const [now] = await store.listPolicyVersions({ route: ESTIMATOR_VERSIONS_KEY, status: 'active' });
  assert.equal(now?.kind, 'initial');
  assert.equal(now?.parent, active?.id, 'the refused version is the new one\'s parent: rollback reaches it');
  assert.equal(estimator.scoreVector(x), before);
});

test('any other failure to restore the active version stops start-up instead of discarding the state', async () => {
  const store = createSqliteLearningStore(openLedgerDatabase(':memory:'));
  await (await start(store)).versions.flushUpdates();
  const broken = { ...createEstimatorLearner(estimatorFromFile(file), () => 0), restore: () => { throw new Error('disk on fire'); } };
  const versions = createPolicyVersions({ store, learners: new Map([[ESTIMATOR_VERSIONS_KEY, broken]]), now: () => 3_000, newId: () => `b${Math.random()}`, snapshotEvery: 50, onError: () => undefined });
  await assert.rejects(versions.init(), /disk on fire/);
});
