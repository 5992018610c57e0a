import { CLUSTER_BUCKETS, centroidFromJSON, centroidToJSON, foldVector } from '../routing/prompt-clusters.js';
import type { SparseVector } from '../routing/text-vector.js';
import { mulberry32 } from '../routing/logistic-model.js';

const ITERATIONS = 12;

/**
 * Spherical k-means (cosine) over the training prompts, k-means++ seeding with a fixed seed so the
 * same data gives the same clusters. Returns the centroids as the gateway will see them (sparse,
 * top weights only), so training and serving assign prompts the same way.
 */
export const trainClusters = (vectors: readonly SparseVector[], k: number, seed = 3): Float32Array[] => {
  const points = vectors.map(foldVector);
  const random = mulberry32(seed);
  const dot = (p: Map<number, number>, c: Float32Array): number => {
    let s = 0;
    for (const [i, v] of p) s += (c[i] ?? 0) * v;
    return s;
  };
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
      let best = 0;
      let bestDot = -Infinity;
      centroids.forEach((c, j) => {
        const s = dot(p, c);
        if (s > bestDot) [best, bestDot] = [j, s];
      });
      const sum = sums[best];
      if (sum) for (const [i, v] of p) sum[i] = (sum[i] ?? 0) + v;
    }
    centroids = sums.map((s, j) => (s.some((v) => v !== 0) ? centroidFromJSON(centroidToJSON(s, CLUSTER_BUCKETS)) : (centroids[j] ?? s)));
  }
  return centroids.map((c) => centroidFromJSON(centroidToJSON(c)));
};

/**
 * One centroid per label: the mean of its prompts' folded vectors, as the gateway will see it. For
 * a training set whose prompts carry a task label, the labels' centroids assign a served prompt
 * (text only) to the task it reads most like.
 */
export const labelCentroids = (vectors: readonly SparseVector[], labels: readonly string[]): { labels: string[]; centroids: Float32Array[] } => {
  const sums = new Map<string, Float32Array>();
  vectors.forEach((x, n) => {
    const label = labels[n] ?? '';
    let sum = sums.get(label);
    if (!sum) sums.set(label, (sum = new Float32Array(CLUSTER_BUCKETS)));
    for (const [i, v] of foldVector(x)) sum[i] = (sum[i] ?? 0) + v;
  });
  return { labels: [...sums.keys()], centroids: [...sums.values()].map((s) => centroidFromJSON(centroidToJSON(s))) };
};
