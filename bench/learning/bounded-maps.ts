/**
 * The bounded maps the learning loop keeps per request (pending decisions, recent feedback keys,
 * recent conversations), once full: every insert evicts the oldest entry. Side by side in one
 * run, ns per insert at capacity, for
 * - a Map evicted from its front (`map.keys().next()`, the way these were written before): each
 *   deleted entry stays a hole in the table until the next rehash, and finding the first key
 *   walks over all of them;
 * - lru-cache (what src/learning/pending-decisions.ts, bounded-set.ts and implicit-signals.ts use);
 * - a Map that is never full (no eviction at all): the floor.
 *
 *   npm run build && node dist/bench/learning/bounded-maps.js        (BENCH_CAPACITY=100000 by default)
 */
import { LRUCache } from 'lru-cache';
import { createPendingDecisions } from '../../src/learning/pending-decisions.js';
import { timeOrderedId } from '../../src/ledger/time-ordered-id.js';

const CAPACITY = Number(process.env['BENCH_CAPACITY'] ?? 100_000);
const INSERTS = 3 * CAPACITY;

interface Bounded { set(key: string, value: object): void }

const frontEvictedMap = (max: number): Bounded => {
  const m = new Map<string, object>();
  return {
    set(key, value) {
      m.set(key, value);
      if (m.size > max) m.delete(m.keys().next().value as string);
    },
  };
};

const lru = (max: number): Bounded => {
  const c = new LRUCache<string, object>({ max });
  return { set: (key, value) => void c.set(key, value) };
};

const unbounded = (): Bounded => {
  const m = new Map<string, object>();
  return { set: (key, value) => void m.set(key, value) };
};

const pendingDecisions = (max: number): Bounded => {
  const p = createPendingDecisions(max, 24 * 3_600_000);
  let now = 0;
  return { set: (key, value) => p.add({ record: { decisionId: key, ts: now } as never, segment: 's', ...value }, now++) };
};

/** ns per insert over the inserts after the structure is full (the first CAPACITY fill it). */
const measure = (make: (max: number) => Bounded, keys: readonly string[]): number => {
  const b = make(CAPACITY);
  for (let i = 0; i < CAPACITY; i++) b.set(keys[i] as string, {});
  const t0 = process.hrtime.bigint();
  for (let i = CAPACITY; i < INSERTS; i++) b.set(keys[i] as string, {});
  return Number(process.hrtime.bigint() - t0) / (INSERTS - CAPACITY);
};

const keys = Array.from({ length: INSERTS }, () => timeOrderedId());
const rows: Array<[string, number]> = [
  ['Map, never full (no eviction): the floor', measure(unbounded, keys)],
  ['lru-cache at capacity', measure(lru, keys)],
  ['pending decisions (lru-cache + TTL sweep) at capacity', measure(pendingDecisions, keys)],
  ['Map evicted from its front at capacity', measure(frontEvictedMap, keys)],
];
const floor = rows[0]?.[1] ?? NaN;
console.log(`\nBounded maps at capacity ${CAPACITY}: ${INSERTS - CAPACITY} inserts, each evicting the oldest entry\n`);
console.log('| structure | ns per insert | vs the floor |');
console.log('|---|---:|---:|');
for (const [name, ns] of rows) console.log(`| ${name} | ${ns.toFixed(0)} | ${(ns / floor).toFixed(1)}× |`);
