import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DatasetRecord } from '../datasets/dataset-record.js';
import { fromArtifactFile } from '../routing/router-artifact.js';
import { BLENDS, CLUSTER_COUNTS } from './choose-blend.js';
import { trainClusterPriors, usableTaskLabels } from './cluster-priors.js';
import { labelCentroids } from './train-clusters.js';
import { CLUSTER_BUCKETS, centroidFromJSON, centroidToJSON, createPromptClusters, foldVector } from '../routing/prompt-clusters.js';
import { prepareRecords } from './prepare-records.js';
import { toArtifactFile } from './to-artifact-file.js';
import { predict, trainRouter } from './train-router.js';

/** Two kinds of prompt: `small` is right on the geography ones only; `large` on both. */
const records = (n: number): DatasetRecord[] => Array.from({ length: n }, (_, i) => {
  const geo = i % 2 === 0;
  const content = geo ? `Which river flows through city number ${i}? Name the river and the country.` : `def f${i}(xs): return sorted(xs)[${i % 7}]  # fix the bug in this python function`;
  return { id: `r${i}`, task: 'mixed', messages: [{ role: 'user', content }], scores: { small: geo ? 1 : 0, large: 1 }, costUsd: { small: 0.001, large: 0.01 } };
});

test('prompt clusters find the two kinds of prompt; per-cluster priors are each model\'s quality there', () => {
  const train = prepareRecords(records(200));
  const priors = trainClusterPriors(train, ['small', 'large'], 4);
  const geo = new Set(train.filter((_, i) => i % 2 === 0).map((r) => priors.assign(r)));
  const code = new Set(train.filter((_, i) => i % 2 === 1).map((r) => priors.assign(r)));
  assert.ok([...geo].every((c) => !code.has(c)), 'no cluster mixes the two kinds');
  for (const c of geo) assert.ok((priors.byModel.get('small')?.[c] ?? 0) > 0.5);
  for (const c of code) assert.ok((priors.byModel.get('small')?.[c] ?? 1) < 0.5);
});

test('training cross-validates the clusters and blend on train; eval predicts through the served artefact', () => {
  const train = prepareRecords(records(300));
  const router = trainRouter(train);
  assert.ok(router.clusters);
  // One task label ('mixed'): no label groups, so learned clusters.
  assert.ok(CLUSTER_COUNTS.includes(router.clusters.centroids.length));
  assert.ok(BLENDS.includes(router.clusters.blend));
  const served = fromArtifactFile(JSON.parse(JSON.stringify(toArtifactFile(router, 'x', train.length))));
  const held = prepareRecords(records(310).slice(300));
  for (const r of held) {
    const [a, b] = [predict(router, r), predict(served, r)];
    assert.deepEqual(a, b, 'offline predictions are the gateway\'s');
    const small = a.find((p) => p.model === 'small')?.pQuality ?? 0;
    assert.ok(r.quality.get('small') === 1 ? small > 0.7 : small < 0.3, `${r.id}: ${small}`);
  }
});

test('cost is learned per prompt cluster: long answers cost more than short ones at the same prompt length and task type', () => {
  // Both kinds read as the same regex task type ('chat'): only the learned clusters tell them apart.
  const priced = (n: number): DatasetRecord[] => Array.from({ length: n }, (_, i) => {
    const short = i % 2 === 0;
    const content = short ? `Tell me the river that flows through town number ${i} and its country` : `Draft release notes for version ${i} of our billing service covering every change`;
    return { id: `p${i}`, task: 'mixed', messages: [{ role: 'user', content }], scores: { small: 1, large: 1 }, costUsd: { small: 0.001, large: short ? 0.01 : 0.03 } };
  });
  const train = prepareRecords(priced(300));
  assert.equal(new Set(train.map((r) => r.taskType)).size, 1);
  const router = trainRouter(train);
  for (const [i, r] of prepareRecords(priced(310).slice(300)).entries()) {
    const large = predict(router, r).find((p) => p.model === 'large')?.costUsd ?? 0;
    const want = i % 2 === 0 ? 0.01 : 0.03;
    assert.ok(Math.abs(large - want) / want < 0.1, `${r.id}: predicted $${large}, costs $${want}`);
  }
});

test('task labels as groups: one centroid per label assigns a prompt by its text; labels too few or too small are not used', () => {
  // The same two kinds, labelled: `geo` and `code`.
  const labelled = records(200).map((r, i) => ({ ...r, task: i % 2 === 0 ? 'geo' : 'code' }));
  const train = prepareRecords(labelled);
  assert.equal(usableTaskLabels(train), true);
  const priors = trainClusterPriors(train, ['small', 'large'], 'tasks');
  assert.equal(priors.centroids.length, 2);
  assert.deepEqual(priors.labels, ['geo', 'code'], 'centroids in order of first appearance, with their labels');
  const held = prepareRecords(labelled.map((r) => ({ ...r, id: `h${r.id}`, messages: [{ role: 'user' as const, content: `${String(r.messages[0]?.content)} please` }] })));
  const of = (task: string): Set<number> => new Set(held.filter((r) => r.task === task).map((r) => priors.assign(r)));
  const [geo, code] = [of('geo'), of('code')];
  assert.equal(geo.size, 1);
  assert.equal(code.size, 1);
  assert.notDeepEqual([...geo], [...code]);
  assert.ok((priors.byModel.get('small')?.[[...geo][0] ?? 0] ?? 0) > 0.9);
  assert.ok((priors.byModel.get('small')?.[[...code][0] ?? 0] ?? 1) < 0.1);
  assert.equal(usableTaskLabels(prepareRecords(records(200))), false, 'one label');
  assert.equal(usableTaskLabels(prepareRecords(labelled.slice(0, 15))), false, 'labels of under 10 prompts');
});

test('task-label centroids are refined past the means: prompts of a label that read like another still land in their own', () => {
  // Label A: recipes, plus ten "apple" prompts worded like label B's engine guides.
  const rows = prepareRecords([
    ...Array.from({ length: 40 }, (_, i) => `apple pie recipe number ${i} with sugar and butter`).map((c, i) => ({ id: `a${i}`, task: 'A', c })),
    ...Array.from({ length: 10 }, (_, i) => `apple engine oil change guide ${i}`).map((c, i) => ({ id: `x${i}`, task: 'A', c })),
    ...Array.from({ length: 40 }, (_, i) => `engine oil change guide for car ${i} and truck`).map((c, i) => ({ id: `b${i}`, task: 'B', c })),
  ].map(({ id, task, c }): DatasetRecord => ({ id, task, messages: [{ role: 'user', content: c }], scores: { m: 1 } })));
  const inOwn = (centroids: Float32Array[], labels: readonly string[]): number => {
    const groups = createPromptClusters(centroids);
    return rows.filter((r) => labels[groups.assign(r.vector)] === r.task).length;
  };
  // The plain means put the ten A prompts worded like B into B.
  const sums = ['A', 'B'].map((label) => {
    const sum = new Float32Array(CLUSTER_BUCKETS);
    for (const r of rows.filter((x) => x.task === label)) for (const [i, v] of foldVector(r.vector)) sum[i] = (sum[i] ?? 0) + v;
    return centroidFromJSON(centroidToJSON(sum));
  });
  assert.equal(inOwn(sums, ['A', 'B']), 80);
  const refined = labelCentroids(rows.map((r) => r.vector), rows.map((r) => r.task));
  assert.equal(inOwn(refined.centroids, refined.labels), 90);
});
