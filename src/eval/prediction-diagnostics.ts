import type { Prediction } from '../routing/choose-target.js';
import type { PreparedRecord } from './prepare-records.js';

/** Fewer prompts of a task than this (or one class only) and its within-task AUC is not counted. */
const MIN_TASK_PROMPTS = 20;

/** ROC AUC of scores against 0/1 outcomes (a score ≥ 0.5 counts as good); ties share ranks. Null without both classes. */
export const rocAuc = (scores: readonly number[], outcomes: readonly number[]): number | null => {
  const order = scores.map((_, i) => i).sort((a, b) => (scores[a] ?? 0) - (scores[b] ?? 0));
  const rank = new Array<number>(scores.length).fill(0);
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && scores[order[j + 1] ?? 0] === scores[order[i] ?? 0]) j++;
    for (let k = i; k <= j; k++) rank[order[k] ?? 0] = (i + j) / 2 + 1;
    i = j + 1;
  }
  let pos = 0;
  let sum = 0;
  outcomes.forEach((y, i) => {
    if (y >= 0.5) {
      pos += 1;
      sum += rank[i] ?? 0;
    }
  });
  const neg = outcomes.length - pos;
  return pos === 0 || neg === 0 ? null : (sum - (pos * (pos + 1)) / 2) / (pos * neg);
};

const mean = (xs: ReadonlyArray<number | null>): number | null => {
  const v = xs.filter((x): x is number => x !== null);
  return v.length === 0 ? null : Number((v.reduce((a, b) => a + b, 0) / v.length).toFixed(3));
};

export interface PredictionDiagnostics {
  /** Mean over models of the AUC of P(quality) on the test prompts. */
  qualityAuc: number | null;
  /** The same within each dataset task label, averaged: how well the router tells apart prompts of one kind. */
  qualityAucWithinTask: number | null;
  /** Mean |ln(predicted cost / real cost)| over every test prompt and model (0.1 ≈ 10% off). */
  costMeanAbsLogRatio: number | null;
}

/** How good the learned predictions are on the held-out prompts: what limits the routing curves. */
export const predictionDiagnostics = (test: readonly PreparedRecord[], preds: ReadonlyMap<string, readonly Prediction[]>, models: readonly string[]): PredictionDiagnostics => {
  const pairs = (rows: readonly PreparedRecord[], m: string): { p: number[]; y: number[] } => {
    const p: number[] = [];
    const y: number[] = [];
    for (const r of rows) {
      const q = r.quality.get(m);
      const pred = preds.get(r.id)?.find((x) => x.model === m);
      if (q === undefined || !pred) continue;
      p.push(pred.pQuality);
      y.push(q);
    }
    return { p, y };
  };
  const tasks = [...new Set(test.map((r) => r.task))].map((t) => test.filter((r) => r.task === t)).filter((rows) => rows.length >= MIN_TASK_PROMPTS);
  let logSum = 0;
  let n = 0;
  for (const r of test) {
    for (const pred of preds.get(r.id) ?? []) {
      const real = r.costUsd.get(pred.model);
      if (real === undefined || real <= 0 || pred.costUsd <= 0) continue;
      logSum += Math.abs(Math.log(pred.costUsd / real));
      n += 1;
    }
  }
  return {
    qualityAuc: mean(models.map((m) => { const { p, y } = pairs(test, m); return rocAuc(p, y); })),
    qualityAucWithinTask: mean(models.map((m) => mean(tasks.map((rows) => { const { p, y } = pairs(rows, m); return rocAuc(p, y); })))),
    costMeanAbsLogRatio: n === 0 ? null : Number((logSum / n).toFixed(3)),
  };
};
