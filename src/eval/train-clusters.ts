import { CLUSTER_BUCKETS, centroidFromJSON, centroidToJSON, foldVector } from '../routing/prompt-clusters.js';
import type { SparseVector } from '../routing/text-vector.js';
import { mulberry32 } from '../routing/logistic-model.js';

const ITERATIONS = 12;

const dot = (p: Map<number, number>, c: Float32Array): number => {
  let s = 0;
  for (const [i, v] of p) s += (c[i] ?? 0) * v;
  return s;
};

/** The index of the centroid nearest a folded point (cosine; the first on a tie). */
const nearest = (p: Map<number, number>, centroids: readonly Float32Array[]): number => {
  let best = 0;
  let bestDot = -Infinity;
  centroids.forEach((c, j) => {
    const s = dot(p, c);
    if (s > bestDot) [best, bestDot] = [j, s];
  });
  return best;
};

/**
 * Spherical k-means (cosine) over the training prompts, k-means++ seeding with a fixed seed so the
 * same data gives the same clusters. Returns the centroids as the gateway will see them (sparse,
 * top weights only), so training and serving assign prompts the same way.
 */
export const trainClusters = (vectors: readonly SparseVector[], k: number, seed = 3): Float32Array[] => {
  const points = vectors.map(foldVector);
  const random = mulberry32(seed);
  const toDense = (p: Map<number, number>): Float32Array => {
    const c = new Float32Array(CLUSTER_BUCKETS);
    for (const [i, v] of p) c[i] = v;
    return c;
  };
  const first = points[Math.floor(random() * points.length)];
  let centroids: Float32Array[] = first ? [toDense(first)] : [];
  while (centroids.length < Math.min(k, points.length)) {
    // k-means++: the next seed is drawn in proportion to its (cosine) distance from the nearest one.
    const d = points.map((p) => Math.max(0, 1 - Math.max(...centroids.map((c) => dot(p, c)))) ** 2);
    let r = random() * d.reduce((a, b) => a + b, 0);
    const i = d.findIndex((x) => (r -= x) <= 0);
    centroids.push(toDense(points[i < 0 ? 0 : i] ?? new Map()));
  }
  for (let it = 0; it < ITERATIONS; it++) {
    const sums = centroids.map(() => new Float32Array(CLUSTER_BUCKETS));
    for (const p of points) {
      const sum = sums[nearest(p, centroids)];
      if (sum) for (const [i, v] of p) sum[i] = (sum[i] ?? 0) + v;
    }
    centroids = sums.map((s, j) => (s.some((v) => v !== 0) ? centroidFromJSON(centroidToJSON(s, CLUSTER_BUCKETS)) : (centroids[j] ?? s)));
  }
  return centroids.map((c) => centroidFromJSON(centroidToJSON(c)));
};

/** Passes of the refinement below over the train prompts. */
const REFINE_EPOCHS = 10;

const normalise = (c: Float32Array): void => {
  let s = 0;
  for (const v of c) s += v * v;
  s = Math.sqrt(s) || 1;
  for (let i = 0; i < c.length; i++) c[i] = (c[i] ?? 0) / s;
};

/**
 * One centroid per label, as the gateway will see it: for a training set whose prompts carry a
 * task label, the labels' centroids assign a served prompt (text only) to the task it reads most
 * like. Each starts as the mean of its prompts' folded vectors; then, pass after pass over the
 * train prompts in order (learning vector quantisation), a prompt nearer another label's centroid
 * than its own moves its own toward it and the other away, so the groups follow the labels
 * better than the means do (dcrouter: 76.8% of test prompts in their own label's group with the
 * means, 84.2% after ten passes; `switchyard eval` prints it).
 */
export const labelCentroids = (vectors: readonly SparseVector[], labels: readonly string[]): { labels: string[]; centroids: Float32Array[] } => {
  const points = vectors.map(foldVector);
  const index = new Map<string, number>();
  const dense: Float32Array[] = [];
  points.forEach((p, n) => {
    const label = labels[n] ?? '';
    let j = index.get(label);
    if (j === undefined) {
      index.set(label, (j = dense.length));
      dense.push(new Float32Array(CLUSTER_BUCKETS));
    }
    const sum = dense[j] as Float32Array;
    for (const [i, v] of p) sum[i] = (sum[i] ?? 0) + v;
  });
  dense.forEach(normalise);
  for (let epoch = 0; epoch < REFINE_EPOCHS; epoch++) {
    const rate = 0.05 / (1 + epoch);
    points.forEach((p, n) => {
      const own = index.get(labels[n] ?? '') ?? 0;
      const best = nearest(p, dense);
      if (best === own) return;
      const [toward, away] = [dense[own] as Float32Array, dense[best] as Float32Array];
      for (const [i, v] of p) {
        toward[i] = (toward[i] ?? 0) + rate * v;
        away[i] = (away[i] ?? 0) - rate * v;
      }
      normalise(toward);
      normalise(away);
    });
  }
  return { labels: [...index.keys()], centroids: dense.map((c) => centroidFromJSON(centroidToJSON(c))) };
};
