import { NGRAM_BUCKETS } from './hash-ngrams.js';
import { sigmoid } from './logistic-model.js';
import { CLUSTER_BUCKETS } from './prompt-clusters.js';
import { predictQuality } from './predict-quality.js';
import type { RouterArtifact } from './router-artifact.js';
import type { SparseVector } from './text-vector.js';

/**
 * Every model's P(quality) and the prompt's cluster in one pass over the prompt's features. Per
 * feature, one row holds every model's text weight side by side (feature-major): a prompt's ~250
 * features cost ~250 row reads for every model at once, where one weight array per model (eleven
 * of 1 MB) was dominated by cache misses. When the models and the cluster centroids fit in 16
 * floats (RouterBench: 11 models, 3 prompt groups), the centroids' weights share the row and rows are
 * padded to 16 floats: one 64-byte read per feature instead of a second pass for the cluster and
 * 44-byte rows straddling lines (the table then takes 16 MB instead of 11.5). With more, rows
 * hold the models only, unpadded, and the cluster is assigned apart (prompt-clusters.ts).
 */
export interface QualityTable {
  /** Model ids in table order. */
  readonly models: readonly string[];
  /**
   * P(quality) per model (table order) written into `out`; returns the prompt's cluster (-1: the
   * artefact has none) — exactly clusterOf and predictQuality (src/routing/predict-quality.ts).
   */
  predictAll(x: SparseVector, out: Float64Array): number;
}

const tables = new WeakMap<RouterArtifact, QualityTable>();
/** Floats per 64-byte cache line. */
const LINE = 16;

const build = (artifact: RouterArtifact): QualityTable => {
  const entries = [...artifact.models];
  const models = entries.map(([id]) => id);
  const m = entries.length;
  const clusters = artifact.clusters;
  const fused = clusters !== undefined && m + clusters.count <= LINE;
  const centroids = fused ? clusters.centroids : [];
  const k = centroids.length;
  const stride = fused ? LINE : m;
  const rows = Math.max(0, ...entries.map(([, a]) => a.quality.weights.length));
  const w = new Float32Array(rows * stride);
  entries.forEach(([, a], j) => {
    const src = a.quality.weights;
    for (let i = 0; i < src.length; i++) if (src[i] !== 0) w[i * stride + j] = src[i] ?? 0;
  });
  // A centroid weighs the n-gram buckets only, folded into CLUSTER_BUCKETS (prompt-clusters.ts).
  centroids.forEach((centroid, c) => {
    for (let i = 0; i < Math.min(rows, NGRAM_BUCKETS); i++) w[i * stride + m + c] = centroid[i & (CLUSTER_BUCKETS - 1)] ?? 0;
  });
  const blend = artifact.clusters?.blend ?? 1;
  // Dot products per column, models then centroids (plans are synchronous: one scratch array).
  const dots = new Float64Array(m + k);
  return {
    models,
    predictAll(x, out) {
      dots.fill(0);
      for (let f = 0; f < x.indices.length; f++) {
        const idx = x.indices[f] ?? 0;
        const v = x.values[f] ?? 0;
        if (idx >= rows) {
          // Past every model's weights: only a centroid can weigh it (never, with NGRAM_BUCKETS rows or more).
          if (idx < NGRAM_BUCKETS) for (let c = 0; c < k; c++) dots[m + c] = (dots[m + c] ?? 0) + (centroids[c]?.[idx & (CLUSTER_BUCKETS - 1)] ?? 0) * v;
          continue;
        }
        const base = idx * stride;
        for (let j = 0; j < m + k; j++) dots[j] = (dots[j] ?? 0) + (w[base + j] ?? 0) * v;
      }
      let cluster = fused || !clusters ? -1 : clusters.assign(x);
      let best = -Infinity;
      for (let c = 0; c < k; c++) {
        const d = dots[m + c] ?? 0;
        if (d > best) {
          cluster = c;
          best = d;
        }
      }
      if (cluster >= 0 && blend === 0) {
        entries.forEach(([, a], j) => (out[j] = predictQuality(artifact, a, x, cluster)));
        return cluster;
      }
      for (let j = 0; j < m; j++) {
        const text = sigmoid(dots[j] ?? 0);
        const prior = cluster >= 0 ? entries[j]?.[1].clusterQuality?.[cluster] : undefined;
        out[j] = prior === undefined ? text : blend * text + (1 - blend) * prior;
      }
      return cluster;
    },
  };
};

/** The artefact's table, built once per artefact (routes sharing an artefact share it). */
export const qualityTableOf = (artifact: RouterArtifact): QualityTable => {
  let t = tables.get(artifact);
  if (!t) tables.set(artifact, (t = build(artifact)));
  return t;
};
