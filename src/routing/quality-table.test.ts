import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mulberry32 } from './logistic-model.js';
import { predictQuality } from './predict-quality.js';
import { qualityTableOf } from './quality-table.js';
import { ARTIFACT_FORMAT, fromArtifactFile } from './router-artifact.js';
import type { SparseVector } from './text-vector.js';

const random = mulberry32(5);
const SIZE = 5_000;

/** Models weighing scattered features, of different sizes (one weighs nothing). */
const sparseModel = (size: number, count: number) => {
  const weights: Record<number, number> = {};
  for (let k = 0; k < count; k++) weights[Math.floor(random() * size)] = random() * 4 - 2;
  return { quality: { size, weights }, costPerInputToken: 1e-6, costPerInputTokenByTask: {}, trainQuality: 0.5, clusterQuality: [0.2, 0.9] };
};

const artifact = (clusters: boolean) => fromArtifactFile({
  format: ARTIFACT_FORMAT, kind: 'switchyard-router', version: 't', createdAt: '2026-01-01T00:00:00.000Z', trainedOn: { data: 't', prompts: 0 },
  models: { a: sparseModel(SIZE, 40), b: sparseModel(SIZE, 200), c: sparseModel(SIZE - 1_000, 5), d: sparseModel(SIZE, 0) },
  ...(clusters ? { clusters: { blend: 0.3, centroids: [{ 1: 1 }, { 2: 1 }] } } : {}),
});

/** Sorted random indices, some past every model's weights; l2-normalised values. */
const vector = (): SparseVector => {
  const idx = [...new Set(Array.from({ length: 1 + Math.floor(random() * 300) }, () => Math.floor(random() * (SIZE + 500))))].sort((x, y) => x - y);
  return { indices: Uint32Array.from(idx), values: Float32Array.from(idx, () => random()) };
};

for (const clusters of [false, true]) {
  test(`every model's P(quality) from the table is exactly its own prediction (${clusters ? 'blended with cluster priors' : 'text model alone'})`, () => {
    const a = artifact(clusters);
    const table = qualityTableOf(a);
    const out = new Float64Array(table.models.length);
    for (let n = 0; n < 500; n++) {
      const x = vector();
      const cluster = clusters ? n % 2 : -1;
      table.predictAll(x, cluster, out);
      table.models.forEach((id, j) => {
        const m = a.models.get(id);
        assert.ok(m);
        assert.equal(out[j], predictQuality(a, m, x, cluster), `model ${id}, vector ${n}`);
      });
    }
  });
}
