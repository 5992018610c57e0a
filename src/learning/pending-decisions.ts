import type { DecisionRecord } from '../spec/learning.js';

export interface PendingDecision {
  record: DecisionRecord;
  /** The decision's segment (`tier/task`). */
  segment: string;
  /** The request's hashed n-grams (failure memory), kept only while pending. */
  ngrams?: { indices: Uint32Array; values: Float32Array };
}

/**
 * Recent decisions by id, so delayed feedback joins them without a database read. Bounded: a Map
 * keeps insertion order, so the oldest entry is the first key and eviction is O(1); entries older
 * than the TTL are dropped lazily on access and on insert.
 */
export const createPendingDecisions = (max: number, ttlMs: number) => {
  const entries = new Map<string, PendingDecision>();
  const expired = (p: PendingDecision, now: number): boolean => now - p.record.ts > ttlMs;
  // Expired entries are swept at most this often on insert (every request inserts; get() checks
  // expiry itself, so a late sweep never serves a stale decision).
  const sweepEveryMs = Math.min(1_000, ttlMs);
  let sweptAt = -Infinity;
  return {
    add(p: PendingDecision, now: number): void {
      entries.set(p.record.decisionId, p);
      if (entries.size <= max && now - sweptAt < sweepEveryMs) return;
      sweptAt = now;
      for (const [id, oldest] of entries) {
        if (entries.size <= max && !expired(oldest, now)) break;
        entries.delete(id);
      }
    },
    get(decisionId: string, now: number): PendingDecision | undefined {
      const p = entries.get(decisionId);
      if (p && expired(p, now)) {
        entries.delete(decisionId);
        return undefined;
      }
      return p;
    },
    get size(): number {
      return entries.size;
    },
  };
};
export type PendingDecisions = ReturnType<typeof createPendingDecisions>;
