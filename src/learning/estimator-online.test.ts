import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractFeatures } from '../routing/extract-features.js';
import { createEstimatorTrainer } from './estimator-online.js';
import { estimatorVector } from './quality-estimator-features.js';
import { trainQualityEstimator, type LabelledAnswer } from './quality-estimator.js';

const qa = extractFeatures({ model: 'm', messages: [{ role: 'user', content: 'What is the capital of France?' }], stream: false, includeUsage: false });
const answer = (model: string) => ({ features: qa, responseText: 'The capital of France is Paris, a city on the Seine.', finishReason: 'stop' as const, model });
/** Trained when the small model's plain answers were accepted a quarter of the time, the big one's always. */
const examples: LabelledAnswer[] = Array.from({ length: 800 }, (_, i) => (i % 2 === 0 ? { input: answer('big'), label: 1 } : { input: answer('small'), label: i % 8 === 1 ? 1 : 0 }));

test('online retraining: later verdicts of people move the estimator toward them, one step per labelled answer', () => {
  const { estimator } = trainQualityEstimator(examples, 'synthetic');
  const x = estimatorVector(answer('small'));
  const before = estimator.scoreVector(x);
  assert.ok(before < 0.4, `trained: ${before}`);
  assert.ok(Math.abs(before - estimator.score(answer('small'))) < 1e-12);
  // The small model got better: people now accept its answers.
  const trainer = createEstimatorTrainer(estimator, { learningRate: 0.05 });
  for (let i = 0; i < 300; i++) trainer.scored(`d${i}`, x);
  for (let i = 0; i < 300; i++) assert.equal(trainer.labelled(`d${i}`, 1), true);
  assert.equal(trainer.updates, 300);
  const after = estimator.scoreVector(x);
  assert.ok(after > 0.8, `after 300 acceptances: ${after}`);
  // A label for an answer it never scored (or twice for one) teaches nothing.
  assert.equal(trainer.labelled('d0', 0), false);
  assert.equal(trainer.labelled('unknown', 0), false);
  assert.equal(estimator.scoreVector(x), after);
});

test('online retraining is bounded and can be turned off', () => {
  const { estimator } = trainQualityEstimator(examples, 'synthetic');
  const x = estimatorVector(answer('small'));
  const bounded = createEstimatorTrainer(estimator, { learningRate: 0.05, maxPending: 2 });
  for (const id of ['a', 'b', 'c']) bounded.scored(id, x);
  assert.equal(bounded.labelled('a', 1), false, 'the oldest was dropped');
  assert.equal(bounded.labelled('c', 1), true);
  const before = estimator.scoreVector(x);
  const off = createEstimatorTrainer(estimator, { learningRate: 0 });
  off.scored('z', x);
  assert.equal(off.labelled('z', 1), false);
  assert.equal(estimator.scoreVector(x), before);
});
