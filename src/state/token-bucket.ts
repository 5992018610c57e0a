import type { Admission, AdmissionChecks, BucketCheck } from '../spec/state.js';

/** A bucket's stored state: its level at `ts`. */
export interface BucketState {
  tokens: number;
  ts: number;
}

/** Level now: refilled since the last write, never above capacity (a fresh bucket is full). */
export const bucketLevel = (state: BucketState | undefined, capacity: number, refillPerMs: number, now: number): number =>
  state === undefined ? capacity : Math.min(capacity, state.tokens + Math.max(0, now - state.ts) * refillPerMs);

/** ms until the bucket holds `cost` tokens (0 when it already does). */
export const waitFor = (level: number, check: BucketCheck): number =>
  level >= check.cost ? 0 : check.refillPerMs > 0 ? Math.ceil((check.cost - level) / check.refillPerMs) : Number.MAX_SAFE_INTEGER;

/** ms after which an untouched bucket is full again, i.e. indistinguishable from a missing one. */
export const bucketTtlMs = (capacity: number, refillPerMs: number): number =>
  (refillPerMs > 0 ? Math.ceil(capacity / refillPerMs) : 86_400_000) + 1_000;

export interface BucketReader {
  bucket(key: string): BucketState | undefined;
  budget(key: string): number;
}

/** The bucket that keeps the request waiting longest (how long until all have room), or undefined when all have room now. */
const worstWait = (checks: readonly BucketCheck[], read: BucketReader, now: number): { index: number; wait: number } | undefined => {
  let worst: { index: number; wait: number } | undefined;
  for (let i = 0; i < checks.length; i++) {
    const c = checks[i] as BucketCheck;
    const wait = waitFor(bucketLevel(read.bucket(c.key), c.capacity, c.refillPerMs, now), c);
    if (wait > 0 && (!worst || wait > worst.wait)) worst = { index: i, wait };
  }
  return worst;
};

/**
 * The admission decision, without side effects: the memory store applies it and the Redis Lua
 * script (src/state/redis-scripts.ts) computes the same thing server-side.
 */
export const decideAdmission = (checks: AdmissionChecks, read: BucketReader, now: number): Admission => {
  const refusedBucket = worstWait(checks.buckets, read, now);
  if (refusedBucket) return { allowed: false, refused: { kind: 'bucket', index: refusedBucket.index }, retryAfterMs: refusedBucket.wait, choice: -1 };
  for (let i = 0; i < checks.budgets.length; i++) {
    const b = checks.budgets[i];
    if (b && read.budget(b.key) + b.amount > b.limit) return { allowed: false, refused: { kind: 'budget', index: i }, retryAfterMs: 0, choice: -1 };
  }
  if (checks.choices.length === 0) return { allowed: true, retryAfterMs: 0, choice: -1 };
  let soonest = Number.MAX_SAFE_INTEGER;
  for (let i = 0; i < checks.choices.length; i++) {
    const refused = worstWait(checks.choices[i] ?? [], read, now);
    if (!refused) return { allowed: true, retryAfterMs: 0, choice: i };
    soonest = Math.min(soonest, refused.wait);
  }
  return { allowed: false, refused: { kind: 'choices', index: checks.choices.length - 1 }, retryAfterMs: soonest, choice: -1 };
};
