import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DatasetRecord } from '../datasets/dataset-record.js';
import { chooseUtilityLambdas } from './choose-operating-point.js';
import { prepareRecords } from './prepare-records.js';
import { trainRouter } from './train-router.js';

/** Geography prompts: small is right; code prompts: only large is. */
const records = (n: number): DatasetRecord[] => Array.from({ length: n }, (_, i) => {
  const geo = i % 2 === 0;
  const content = geo ? `Which river flows through city number ${i}? Name the river and the country.` : `def f${i}(xs): return sorted(xs)[${i % 7}]  # fix the bug in this python function`;
  return { id: `r${i}`, task: 'mixed', messages: [{ role: 'user', content }], scores: { small: geo ? 1 : 0, large: 1 }, costUsd: { small: 0.001, large: 0.01 } };
});

test('the utility λ is chosen on train folds: the best model\'s quality at the least cost', () => {
  const train = prepareRecords(records(240));
  const router = trainRouter(train);
  const lambdas = [0, 1, 10, 30, 100, 1_000, 10_000];
  const op = chooseUtilityLambdas(train, router, lambdas, 0.3);
  assert.ok(op?.reachBest);
  assert.equal(op.target, 'large');
  assert.equal(op.reachBest.trainCv.quality, 1, 'out of fold, every prompt still goes to a model that gets it right');
  // Small on half the prompts: (0.001 + 0.01) / 2 of large's 0.01.
  assert.ok(Math.abs(op.reachBest.trainCv.costRatio - 0.55) < 0.01, `${op.reachBest.trainCv.costRatio}`);
  assert.ok(op.reachBest.lambda > 0, 'λ = 0 (large everywhere) costs more for the same quality');
  // Within 30% of large's cost only small everywhere fits: half right.
  assert.ok(op.withinShare && op.withinShare.trainCv.costRatio <= 0.3 && Math.abs(op.withinShare.trainCv.quality - 0.5) < 0.01);
  assert.equal(chooseUtilityLambdas(train, trainRouter(train, { clusters: false }), lambdas, 0.3), null, 'nothing to fold without the cross-validated structure');
});
