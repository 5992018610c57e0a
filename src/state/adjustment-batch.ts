import type { Adjustments } from '../spec/state.js';

type Bucket = Adjustments['buckets'][number];
type Budget = Adjustments['budgets'][number];

/**
 * Corrections of many requests merged into one (per key, deltas summed): the Redis store sends one
 * script per event-loop turn instead of one per request.
 */
export const createAdjustmentBatch = () => {
  let buckets = new Map<string, Bucket>();
  let budgets = new Map<string, Budget>();
  let latest = 0;
  return {
    add(a: Adjustments, now: number): void {
      latest = Math.max(latest, now);
      for (const b of a.buckets) {
        const prev = buckets.get(b.key);
        buckets.set(b.key, prev ? { ...b, delta: prev.delta + b.delta } : b);
      }
      for (const b of a.budgets) {
        const prev = budgets.get(b.key);
        budgets.set(b.key, prev ? { key: b.key, delta: prev.delta + b.delta, ttlMs: Math.max(prev.ttlMs, b.ttlMs) } : b);
      }
    },
    get empty(): boolean {
      return buckets.size === 0 && budgets.size === 0;
    },
    /** Everything added so far (and the latest `now` seen), leaving the batch empty. */
    take(): { adjustments: Adjustments; now: number } {
      const out = { adjustments: { buckets: [...buckets.values()], budgets: [...budgets.values()] }, now: latest };
      buckets = new Map();
      budgets = new Map();
      return out;
    },
  };
};
