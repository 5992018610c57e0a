import { createHash } from 'node:crypto';
import type { LogisticModel } from '../routing/logistic-model.js';
import { trainClusterPriors, usableTaskLabels, type ClusterKind } from './cluster-priors.js';
import type { PreparedRecord } from './prepare-records.js';

export const CLUSTER_COUNTS = [4, 8, 16, 32];
export const BLENDS = [0, 0.2, 0.4, 0.6, 0.8, 1];
export const FOLDS = 3;

/** The cross-validation fold of a train prompt (by a hash of its id: deterministic, order-free). */
export const foldOf = (id: string): number => createHash('sha1').update(`fold:${id}`).digest().readUInt32BE(0) % FOLDS;

export interface BlendChoice { clusters: ClusterKind; blend: number; brier: number }

/**
 * Chooses the prompt clusters — k learned ones, or one per dataset task label when the train
 * prompts carry usable labels (a served prompt is then assigned by its text to the task it reads
 * most like) — and the weight of the text model against the cluster priors by k-fold
 * cross-validation INSIDE the train split (Brier score of P(quality) over every model's held-out
 * prompts). The test split is never seen here.
 */
export const chooseBlend = (
  train: readonly PreparedRecord[],
  models: readonly string[],
  fitText: (rows: readonly PreparedRecord[], model: string) => LogisticModel,
): BlendChoice => {
  const err = new Map<string, { sum: number; n: number }>();
  const kinds: ClusterKind[] = [...CLUSTER_COUNTS, ...(usableTaskLabels(train) ? (['tasks'] as const) : [])];
  for (let f = 0; f < FOLDS; f++) {
    const inner = train.filter((r) => foldOf(r.id) !== f);
    const held = train.filter((r) => foldOf(r.id) === f);
    const text = new Map(models.map((m) => [m, fitText(inner, m)]));
    for (const k of kinds) {
      const priors = trainClusterPriors(inner, models, k);
      for (const r of held) {
        const c = priors.assign(r);
        for (const m of models) {
          const y = r.quality.get(m);
          if (y === undefined) continue;
          const pText = text.get(m)?.predict(r.vector) ?? 0.5;
          const pPrior = priors.byModel.get(m)?.[c] ?? 0.5;
          for (const b of BLENDS) {
            const key = `${k}:${b}`;
            const e = err.get(key) ?? { sum: 0, n: 0 };
            const p = b * pText + (1 - b) * pPrior;
            e.sum += (p - y) ** 2;
            e.n += 1;
            err.set(key, e);
          }
        }
      }
    }
  }
  let best: BlendChoice = { clusters: CLUSTER_COUNTS[0] ?? 4, blend: 1, brier: Infinity };
  for (const [key, e] of err) {
    const [k = '4', b = '1'] = key.split(':');
    const brier = e.sum / Math.max(1, e.n);
    if (brier < best.brier) best = { clusters: k === 'tasks' ? 'tasks' : Number(k), blend: Number(b), brier };
  }
  return best;
};
