import type { Prediction } from '../routing/choose-target.js';
import type { PreparedRecord } from './prepare-records.js';

/**
 * A reference, not a policy: the best a router could do knowing each prompt's dataset task label
 * (which the gateway never sees) and nothing else about it — every model's mean quality and cost on
 * that task in the train split. When the text carries no signal within a task, no prompt-only
 * router does better than this; it says how much of a target is reachable from the prompt alone.
 */
export const taskLabelPredictor = (train: readonly PreparedRecord[], models: readonly string[]): ((r: PreparedRecord) => Prediction[]) | undefined => {
  const sums = new Map<string, { q: number; c: number; n: number }>();
  for (const r of train) {
    for (const m of models) {
      const q = r.quality.get(m);
      const c = r.costUsd.get(m);
      if (q === undefined || c === undefined) continue;
      const key = `${r.task}\u0000${m}`;
      const s = sums.get(key) ?? { q: 0, c: 0, n: 0 };
      s.q += q;
      s.c += c;
      s.n += 1;
      sums.set(key, s);
    }
  }
  if (new Set(train.map((r) => r.task)).size < 2) return undefined;
  return (r) => models.flatMap((m) => {
    const s = sums.get(`${r.task}\u0000${m}`);
    return s ? [{ model: m, pQuality: s.q / s.n, costUsd: s.c / s.n }] : [];
  });
};
