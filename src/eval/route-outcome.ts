import type { PreparedRecord } from './prepare-records.js';

export interface Outcome { quality: number; cost_usd: number }

/** Mean quality and total real cost of routing every prompt with `pick` (a prompt it skips scores 0, costs 0). */
export const routeOutcome = (rows: readonly PreparedRecord[], pick: (r: PreparedRecord) => string | undefined): Outcome => {
  let quality = 0;
  let cost = 0;
  for (const r of rows) {
    const m = pick(r);
    if (m === undefined) continue;
    quality += r.quality.get(m) ?? 0;
    cost += r.costUsd.get(m) ?? 0;
  }
  return { quality: quality / Math.max(1, rows.length), cost_usd: cost };
};
