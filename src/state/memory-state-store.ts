import type { Adjustments, AdmissionChecks, BucketCheck, StateStore } from '../spec/state.js';
import { createMemorySharedStats } from './memory-shared-stats.js';
import { bucketLevel, bucketTtlMs, decideAdmission, type BucketState } from './token-bucket.js';

interface Expiring {
  expiresAt: number;
}

/** Sweep expired entries every this many writes: keeps memory bounded without a timer. */
const SWEEP_EVERY = 4096;

export interface MemoryStateStore extends StateStore {
  readonly kind: 'memory';
  /** Budget spend (reserved + committed) under a key; for tests and the Redis fallback's resync. */
  budgetSpent(key: string): number;
}

/**
 * The embedded default, and the Redis store's local fallback: every step is synchronous (no
 * promise on the request path), exact within one process.
 */
export const createMemoryStateStore = (): MemoryStateStore => {
  const buckets = new Map<string, BucketState & Expiring>();
  const budgets = new Map<string, { spent: number } & Expiring>();
  let writes = 0;
  const sweep = (now: number): void => {
    if (++writes % SWEEP_EVERY !== 0) return;
    for (const [k, v] of buckets) if (v.expiresAt <= now) buckets.delete(k);
    for (const [k, v] of budgets) if (v.expiresAt <= now) budgets.delete(k);
  };
  const live = <T extends Expiring>(map: Map<string, T>, key: string, now: number): T | undefined => {
    const v = map.get(key);
    return v && v.expiresAt > now ? v : undefined;
  };
  const take = (c: BucketCheck, now: number): void => {
    // Giving tokens back (negative cost) never fills a bucket above its capacity.
    const tokens = Math.min(c.capacity, bucketLevel(live(buckets, c.key, now), c.capacity, c.refillPerMs, now) - c.cost);
    buckets.set(c.key, { tokens, ts: now, expiresAt: now + bucketTtlMs(c.capacity, c.refillPerMs) });
  };
  const addBudget = (key: string, delta: number, ttlMs: number, now: number): void => {
    const spent = (live(budgets, key, now)?.spent ?? 0) + delta;
    budgets.set(key, { spent, expiresAt: now + ttlMs });
  };
  return {
    kind: 'memory',
    admit(checks: AdmissionChecks, now: number) {
      const decision = decideAdmission(checks, { bucket: (k) => live(buckets, k, now), budget: (k) => live(budgets, k, now)?.spent ?? 0 }, now);
      if (!decision.allowed) return decision;
      for (const c of checks.buckets) take(c, now);
      for (const b of checks.budgets) addBudget(b.key, b.amount, b.ttlMs, now);
      for (const c of checks.choices[decision.choice] ?? []) take(c, now);
      sweep(now);
      return decision;
    },
    adjust(adjustments: Adjustments, now: number) {
      for (const a of adjustments.buckets) {
        if (a.delta !== 0) take({ key: a.key, capacity: a.capacity, refillPerMs: a.refillPerMs, cost: -a.delta }, now);
      }
      for (const b of adjustments.budgets) if (b.delta !== 0) addBudget(b.key, b.delta, b.ttlMs, now);
    },
    publishBreaker() {
      // One process: the breakers themselves are the only copy; nobody else to tell.
    },
    onBreaker() {
      // Nobody else ever changes a breaker here.
    },
    stats: createMemorySharedStats(),
    backendUp: () => true,
    budgetSpent: (key) => budgets.get(key)?.spent ?? 0,
    close: async () => undefined,
  };
};
