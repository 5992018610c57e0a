import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractFeatures } from '../routing/extract-features.js';
import { calibrationReport } from './quality-estimator-metrics.js';
import { fitPlatt, loadQualityEstimator, saveQualityEstimator, trainQualityEstimator, type LabelledAnswer } from './quality-estimator.js';
import { createEstimatorScorer } from './quality-estimator-scorer.js';

const features = (text: string) => extractFeatures({ model: 'm', messages: [{ role: 'user', content: text }], stream: false, includeUsage: false });
const codeQ = features('Write a python function to reverse a list.');
const qaQ = features('What is the capital of France?');

/** Code answers with a code block are accepted, refusals and truncated answers are not; the big model is better. */
const synthetic = (n: number): LabelledAnswer[] => Array.from({ length: n }, (_, i) => {
  const kind = i % 4;
  const model = i % 3 === 0 ? 'big' : 'small';
  if (kind === 0) return { input: { features: codeQ, responseText: 'Here:\n```python\ndef rev(xs):\n    return xs[::-1]\n```', finishReason: 'stop', model }, label: 1 };
  if (kind === 1) return { input: { features: codeQ, responseText: "I'm sorry, I cannot help with that request.", finishReason: 'stop', model }, label: 0 };
  if (kind === 2) return { input: { features: qaQ, responseText: 'The capital of France is Paris, a city on the Seine.', finishReason: 'stop', model }, label: model === 'big' || i % 2 === 0 ? 1 : 0 };
  return { input: { features: qaQ, responseText: 'The capital of France is', finishReason: 'length', model }, label: 0 };
});

test('the estimator learns response features: code blocks beat refusals, truncation is penalised', () => {
  const { estimator } = trainQualityEstimator(synthetic(800), 'synthetic');
  const [good, refusal, , truncated] = synthetic(4);
  assert.ok(estimator.score(good!.input) > 0.8, 'code answer accepted');
  assert.ok(estimator.score(refusal!.input) < 0.2, 'refusal rejected');
  assert.ok(estimator.score(truncated!.input) < 0.3, 'truncated answer rejected');
  const held = synthetic(400);
  const r = calibrationReport(held.map((e) => estimator.score(e.input)), held.map((e) => e.label));
  assert.ok(r.auc > 0.9, `AUC ${r.auc}`);
  assert.ok(r.ece < 0.1, `ECE ${r.ece}`);
});

test('the estimator round-trips through its file and serves as a cascade scorer', async () => {
  const { estimator, file } = trainQualityEstimator(synthetic(200), 'synthetic');
  const path = join(mkdtempSync(join(tmpdir(), 'sy-est-')), 'estimator.json');
  await saveQualityEstimator(path, file);
  const loaded = await loadQualityEstimator(path);
  const x = synthetic(1)[0]!.input;
  assert.ok(Math.abs(loaded.score(x) - estimator.score(x)) < 1e-5);
  const scorer = createEstimatorScorer(loaded);
  const response = { id: 'r', created: 0, model: 'big', choices: [{ index: 0, message: { role: 'assistant' as const, content: x.responseText }, finishReason: 'stop' as const }] };
  const request = { model: 'auto', messages: [{ role: 'user' as const, content: 'q' }], stream: false, includeUsage: false };
  assert.ok(Math.abs(scorer.score({ request, features: x.features, response }).quality - estimator.score(x)) < 1e-6);
  await assert.rejects(loadQualityEstimator(join(path, 'missing')), /cannot read quality estimator/);
});

test('Platt scaling fixes over-confident probabilities', () => {
  // True acceptance is 0.6 wherever the raw model says 0.95, and 0.2 where it says 0.05.
  const ps = Array.from({ length: 1000 }, (_, i) => (i % 2 === 0 ? 0.95 : 0.05));
  const ys = ps.map((p, i) => (p > 0.5 ? (i % 10 < 6 ? 1 : 0) : i % 10 < 2 ? 1 : 0));
  const { a, b } = fitPlatt(ps, ys);
  const fixed = ps.map((p) => 1 / (1 + Math.exp(-(a * Math.log(p / (1 - p)) + b))));
  assert.ok(calibrationReport(fixed, ys).ece < 0.01);
  assert.ok(calibrationReport(ps, ys).ece > 0.2);
});
