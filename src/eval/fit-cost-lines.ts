import type { CostLine } from '../routing/predict-cost.js';
import { MIN_TASK_ROWS } from './mean-by-task.js';

/**
 * Least-squares USD = perPrompt + perInputToken × tokens over one group of train prompts. A
 * negative slope (longer prompts cheaper: noise) becomes a flat line at the mean; a negative
 * intercept becomes the group's plain per-token rate. Null below MIN_TASK_ROWS prompts.
 */
export const fitCostLine = (points: ReadonlyArray<{ tokens: number; usd: number }>): CostLine | null => {
  const n = points.length;
  if (n < MIN_TASK_ROWS) return null;
  const mx = points.reduce((a, p) => a + p.tokens, 0) / n;
  const my = points.reduce((a, p) => a + p.usd, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (const p of points) {
    sxy += (p.tokens - mx) * (p.usd - my);
    sxx += (p.tokens - mx) ** 2;
  }
  const slope = sxx > 0 ? Math.max(0, sxy / sxx) : 0;
  const intercept = my - slope * mx;
  return intercept >= 0 ? { perPrompt: intercept, perInputToken: slope } : { perPrompt: 0, perInputToken: mx > 0 ? my / mx : 0 };
};

/** One cost line per cluster (index = cluster id) from each train prompt's cluster, tokens and USD. */
export const fitCostLines = (clusters: number, points: ReadonlyArray<{ cluster: number; tokens: number; usd: number }>): Array<CostLine | null> =>
  Array.from({ length: clusters }, (_, c) => fitCostLine(points.filter((p) => p.cluster === c)));
