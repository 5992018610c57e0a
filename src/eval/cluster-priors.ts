import { createPromptClusters } from '../routing/prompt-clusters.js';
import type { PreparedRecord } from './prepare-records.js';
import { labelCentroids, trainClusters } from './train-clusters.js';

/** Pseudo-count pulling a small cluster's quality toward the model's overall mean. */
const PRIOR_STRENGTH = 5;

/** How prompts are grouped: k learned clusters, or one group per dataset task label (`tasks`). */
export type ClusterKind = number | 'tasks';

/** Task labels worth a group each: at least two, none of them tiny (the dataset's `task` field). */
export const usableTaskLabels = (train: readonly PreparedRecord[]): boolean => {
  const counts = new Map<string, number>();
  for (const r of train) counts.set(r.task, (counts.get(r.task) ?? 0) + 1);
  return counts.size >= 2 && counts.size <= 64 && [...counts.values()].every((n) => n >= 10);
};

export interface ClusterPriors {
  centroids: Float32Array[];
  /** With task-label groups: each centroid's label. */
  labels?: string[];
  /** Per model: smoothed mean quality per cluster. */
  byModel: Map<string, number[]>;
  assign(r: PreparedRecord): number;
}

/** Clusters of the training prompts and, per model, its mean quality in each (shrunk toward its overall mean). */
export const trainClusterPriors = (train: readonly PreparedRecord[], models: readonly string[], kind: ClusterKind): ClusterPriors => {
  const vectors = train.map((r) => r.vector);
  const { centroids, labels } = kind === 'tasks' ? labelCentroids(vectors, train.map((r) => r.task)) : { centroids: trainClusters(vectors, kind), labels: undefined };
  const clusters = createPromptClusters(centroids);
  const of = train.map((r) => clusters.assign(r.vector));
  const byModel = new Map<string, number[]>();
  for (const m of models) {
    const sum = new Array<number>(centroids.length).fill(0);
    const n = new Array<number>(centroids.length).fill(0);
    let all = 0;
    let count = 0;
    train.forEach((r, i) => {
      const q = r.quality.get(m);
      if (q === undefined) return;
      const c = of[i] ?? 0;
      sum[c] = (sum[c] ?? 0) + q;
      n[c] = (n[c] ?? 0) + 1;
      all += q;
      count += 1;
    });
    const mean = count > 0 ? all / count : 0.5;
    byModel.set(m, sum.map((s, c) => (s + PRIOR_STRENGTH * mean) / ((n[c] ?? 0) + PRIOR_STRENGTH)));
  }
  return { centroids, ...(labels ? { labels } : {}), byModel, assign: (r) => clusters.assign(r.vector) };
};
