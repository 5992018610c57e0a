import { LRUCache } from 'lru-cache';
import type { DecisionRecord } from '../spec/learning.js';

export interface PendingDecision {
  record: DecisionRecord;
  /** The decision's segment (`tier/task`). */
  segment: string;
  /** The request's hashed n-grams (failure memory), kept only while pending. */
  ngrams?: { indices: Uint32Array; values: Float32Array };
}

/**
 * Recent decisions by id, so delayed feedback joins them without a database read. Bounded, the
 * oldest first out, in lru-cache: O(1) per insert. A Map evicted from its front (its first key is
 * the oldest) is not: a deleted entry stays a hole in the Map's table until the next rehash, and
 * every look for the first key walks over all of them — at 100,000 entries tens of µs per
 * insert, on every request once the map is full (`node dist/bench/learning/bounded-maps.js`).
 * Reads use peek (no reordering). Entries older than the TTL are dropped on access and swept,
 * oldest first, on insert.
 */
export const createPendingDecisions = (max: number, ttlMs: number) => {
  const entries = new LRUCache<string, PendingDecision>({ max });
  const expired = (p: PendingDecision, now: number): boolean => now - p.record.ts > ttlMs;
  // Expired entries are swept at most this often on insert (every request inserts; get() checks
  // expiry itself, so a late sweep never serves a stale decision).
  const sweepEveryMs = Math.min(1_000, ttlMs);
  let sweptAt = -Infinity;
  const sweep = (now: number): void => {
    for (;;) {
      const oldest = entries.rkeys().next();
      if (oldest.done) return;
      const p = entries.peek(oldest.value);
      if (p && !expired(p, now)) return;
      entries.delete(oldest.value);
    }
  };
  return {
    add(p: PendingDecision, now: number): void {
      entries.set(p.record.decisionId, p);
      if (now - sweptAt < sweepEveryMs) return;
      sweptAt = now;
      sweep(now);
    },
    get(decisionId: string, now: number): PendingDecision | undefined {
      const p = entries.peek(decisionId);
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
