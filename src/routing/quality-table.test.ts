import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mulberry32 } from './logistic-model.js';
import { clusterOf, predictQuality } from './predict-quality.js';
import { qualityTableOf } from './quality-table.js';
import { ARTIFACT_FORMAT, fromArtifactFile } from './router-artifact.js';
import type { SparseVector } from './text-vector.js';

const random = mulberry32(5);
const SIZE = 5_000;

/** Models weighing scattered features, of different sizes (one weighs nothing). */
const sparseModel = (size: number, count: number) => {
  const weights: Record<number, number> = {};
  for (let k = 0; k < count; k++) weights[Math.floor(random() * size)] = random() * 4 - 2;
  // Priors for the first clusters only: a cluster without one leaves the text model alone.
  return { quality: { size, weights }, costPerInputToken: 1e-6, costPerInputTokenByTask: {}, trainQuality: 0.5, clusterQuality: [0.2, 0.9, 0.6, 0.1, 0.4] };
};

/** `clusters` sparse centroids (0: none), each weighing a few n-gram buckets, some folded (≥ 4,096 in the vectors). */
const centroids = (n: number) => Array.from({ length: n }, (_, c) => ({ [c + 1]: 1, [4_000 + c]: c % 2 ? -1 : 0.5, [(7 * c) % 97]: 0.3 }));
const artifact = (clusters: number, blend = 0.3) => fromArtifactFile({
  format: ARTIFACT_FORMAT, kind: 'switchyard-router', version: 't', createdAt: '2026-01-01T00:00:00.000Z', trainedOn: { data: 't', prompts: 0 },
  models: { a: sparseModel(SIZE, 40), b: sparseModel(SIZE, 200), c: sparseModel(SIZE - 1_000, 5), d: sparseModel(SIZE, 0) },
  ...(clusters > 0 ? { clusters: { blend, centroids: centroids(clusters) } } : {}),
});

/** Sorted random indices, some past every model's weights; l2-normalised values. */
const vector = (): SparseVector => {
  const idx = [...new Set(Array.from({ length: 1 + Math.floor(random() * 300) }, () => Math.floor(random() * (SIZE + 500))))].sort((x, y) => x - y);
  return { indices: Uint32Array.from(idx), values: Float32Array.from(idx, () => random()) };
};

const cases: Array<[string, number, number?]> = [
  ['text model alone', 0],
  ['3 clusters, their centroids in the models\' rows', 3],
  ['13 clusters, too many to share a cache line: assigned apart', 13],
  ['3 clusters at blend 0 (priors alone)', 3, 0],
];
for (const [name, clusters, blend] of cases) {
  test(`the table's cluster and every model's P(quality) are exactly clusterOf and each model's own prediction (${name})`, () => {
    const a = artifact(clusters, blend);
    const table = qualityTableOf(a);
    const out = new Float64Array(table.models.length);
    const seen = new Set<number>();
    for (let n = 0; n < 500; n++) {
      const x = vector();
      const cluster = table.predictAll(x, out);
      seen.add(cluster);
      assert.equal(cluster, clusterOf(a, x), `the cluster of vector ${n}`);
      table.models.forEach((id, j) => {
        const m = a.models.get(id);
        assert.ok(m);
        assert.equal(out[j], predictQuality(a, m, x, cluster), `model ${id}, vector ${n}`);
      });
    }
    assert.ok(clusters === 0 ? seen.size === 1 && seen.has(-1) : seen.size >= Math.min(3, clusters), `clusters seen: ${[...seen].join(', ')}`);
  });
}
