import { sigmoid } from './logistic-model.js';
import { predictQuality } from './predict-quality.js';
import type { RouterArtifact } from './router-artifact.js';
import type { SparseVector } from './text-vector.js';

/**
 * Every model's P(quality) for a prompt in one pass. The models' text weights are interleaved
 * (feature-major: the weights of all models for one feature sit side by side), so a prompt's ~150
 * features cost ~150 cache-line reads instead of ~150 per model: with eleven 1 MB weight arrays
 * the per-model layout was dominated by cache misses.
 */
export interface QualityTable {
  /** Model ids in table order. */
  readonly models: readonly string[];
  /** P(quality) per model (table order), written into `out`. */
  predictAll(x: SparseVector, cluster: number, out: Float64Array): Float64Array;
}

const tables = new WeakMap<RouterArtifact, QualityTable>();

const build = (artifact: RouterArtifact): QualityTable => {
  const entries = [...artifact.models];
  const models = entries.map(([id]) => id);
  const m = entries.length;
  const size = Math.max(0, ...entries.map(([, a]) => a.quality.weights.length));
  const w = new Float32Array(size * m);
  entries.forEach(([, a], j) => {
    const src = a.quality.weights;
    for (let i = 0; i < src.length; i++) if (src[i] !== 0) w[i * m + j] = src[i] ?? 0;
  });
  const blend = artifact.clusters?.blend ?? 1;
  return {
    models,
    predictAll(x, cluster, out) {
      if (cluster >= 0 && blend === 0) {
        entries.forEach(([, a], j) => (out[j] = predictQuality(artifact, a, x, cluster)));
        return out;
      }
      out.fill(0, 0, m);
      for (let k = 0; k < x.indices.length; k++) {
        const base = (x.indices[k] ?? 0) * m;
        if (base >= w.length) continue;
        const v = x.values[k] ?? 0;
        for (let j = 0; j < m; j++) out[j] = (out[j] ?? 0) + (w[base + j] ?? 0) * v;
      }
      for (let j = 0; j < m; j++) {
        const text = sigmoid(out[j] ?? 0);
        const prior = cluster >= 0 ? entries[j]?.[1].clusterQuality?.[cluster] : undefined;
        out[j] = prior === undefined || !artifact.clusters ? text : blend * text + (1 - blend) * prior;
      }
      return out;
    },
  };
};

/** The artefact's table, built once per artefact (routes sharing an artefact share it). */
export const qualityTableOf = (artifact: RouterArtifact): QualityTable => {
  let t = tables.get(artifact);
  if (!t) tables.set(artifact, (t = build(artifact)));
  return t;
};
