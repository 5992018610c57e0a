import type { SparseVector } from './text-vector.js';
import { NGRAM_BUCKETS } from './hash-ngrams.js';

/**
 * Prompt groups: the "task type" learned from the training prompts (spherical k-means over hashed
 * n-grams folded into CLUSTER_BUCKETS dimensions), or one per dataset task label (its prompts'
 * mean, src/eval/train-clusters.ts), whichever cross-validation on train prefers. Either way a
 * served prompt is assigned by its text alone: one sparse dot product per centroid.
 */
export const CLUSTER_BUCKETS = 4_096;

/** The n-gram part of a text vector folded into the cluster space, l2-normalised. */
export const foldVector = (x: SparseVector): Map<number, number> => {
  const out = new Map<number, number>();
  for (let i = 0; i < x.indices.length; i++) {
    const idx = x.indices[i] ?? 0;
    if (idx >= NGRAM_BUCKETS) continue; // dense feature slots are not text
    const b = idx & (CLUSTER_BUCKETS - 1);
    out.set(b, (out.get(b) ?? 0) + (x.values[i] ?? 0));
  }
  let norm = 0;
  for (const v of out.values()) norm += v * v;
  norm = Math.sqrt(norm) || 1;
  for (const [k, v] of out) out.set(k, v / norm);
  return out;
};

export interface PromptClusters {
  readonly count: number;
  /** The centroids, CLUSTER_BUCKETS weights each (read-only by convention: the quality table lays them out beside the models' weights). */
  readonly centroids: ReadonlyArray<Float32Array>;
  /** Index of the nearest centroid (cosine). */
  assign(x: SparseVector): number;
}

/**
 * Request-path assignment without allocating: the folded vector's norm only scales every dot
 * product alike, so the nearest centroid is found on the unnormalised fold (same argmax).
 */
export const createPromptClusters = (centroids: ReadonlyArray<Float32Array>): PromptClusters => ({
  count: centroids.length,
  centroids,
  assign(x) {
    let best = 0;
    let bestDot = -Infinity;
    for (let c = 0; c < centroids.length; c++) {
      const centroid = centroids[c] as Float32Array;
      let dot = 0;
      for (let i = 0; i < x.indices.length; i++) {
        const idx = x.indices[i] ?? 0;
        if (idx < NGRAM_BUCKETS) dot += (centroid[idx & (CLUSTER_BUCKETS - 1)] ?? 0) * (x.values[i] ?? 0);
      }
      if (dot > bestDot) {
        best = c;
        bestDot = dot;
      }
    }
    return best;
  },
});

/** Centroids as stored in the artefact: their largest weights only (sparse), renormalised. */
export const centroidToJSON = (c: Float32Array, keep = 400): Record<string, number> => {
  const top = Array.from(c.entries()).filter(([, v]) => v !== 0).sort((a, b) => Math.abs(b[1]) - Math.abs(a[1])).slice(0, keep);
  return Object.fromEntries(top.map(([i, v]) => [i, Number(v.toPrecision(5))]));
};

export const centroidFromJSON = (json: Record<string, number>): Float32Array => {
  const c = new Float32Array(CLUSTER_BUCKETS);
  let norm = 0;
  for (const [i, v] of Object.entries(json)) {
    c[Number(i)] = v;
    norm += v * v;
  }
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < c.length; i++) c[i] = (c[i] ?? 0) / norm;
  return c;
};
