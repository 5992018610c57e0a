import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DatasetRecord } from '../datasets/dataset-record.js';
import { prepareRecords } from './prepare-records.js';
import { predictionDiagnostics, rocAuc } from './prediction-diagnostics.js';

test('ROC AUC: perfect, reversed, ties and one class', () => {
  assert.equal(rocAuc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1]), 1);
  assert.equal(rocAuc([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1]), 0);
  assert.equal(rocAuc([0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1]), 0.5);
  assert.equal(rocAuc([0.1, 0.2], [1, 1]), null);
});

test('a predictor that only knows the task separates tasks but not prompts within one', () => {
  // Task a: model m right on even prompts; task b: always wrong. Prediction: the task's mean.
  const records: DatasetRecord[] = Array.from({ length: 80 }, (_, i) => ({
    id: `r${i}`, task: i < 40 ? 'a' : 'b', messages: [{ role: 'user', content: `q${i}` }],
    scores: { m: i < 40 && i % 2 === 0 ? 1 : 0 }, costUsd: { m: 0.002 },
  }));
  const test = prepareRecords(records);
  const preds = new Map(test.map((r) => [r.id, [{ model: 'm', pQuality: r.task === 'a' ? 0.5 : 0.01, costUsd: 0.002 * Math.E }]]));
  const d = predictionDiagnostics(test, preds, ['m']);
  assert.equal(d.qualityAuc, 0.833, '(20 × 40 wins + 20 × 20 ties / 2) / (20 × 60)');
  assert.equal(d.qualityAucWithinTask, 0.5, 'task b has one class and is left out; within a, no signal');
  assert.equal(d.costMeanAbsLogRatio, 1);
});
