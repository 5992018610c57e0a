/**
 * Shared mutable state: counters, token buckets, breakers. In-memory by default,
 * Redis when replicas must agree. Every step is atomic in its implementation.
 */
export interface TokenBucketResult {
  allowed: boolean;
  remaining: number;
  /** ms until enough tokens are available again. */
  retryAfterMs: number;
}

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerSnapshot {
  state: BreakerState;
  /** ms since epoch when an open breaker may move to half-open. */
  openUntil: number;
  consecutiveFailures: number;
}

export interface StateStore {
  /** Take `cost` tokens from a bucket of `capacity` refilled at `refillPerSec`. */
  takeTokens(key: string, cost: number, capacity: number, refillPerSec: number, now: number): Promise<TokenBucketResult>;
  /** Add `delta` to a counter that expires `ttlMs` after its first write; returns the new value. */
  incr(key: string, delta: number, ttlMs: number): Promise<number>;
  getBreaker(key: string): BreakerSnapshot | undefined;
  setBreaker(key: string, snapshot: BreakerSnapshot): void;
  close(): Promise<void>;
}

/**
 * Additive statistics shared by every replica: bandit sufficient statistics (LinUCB's A and b),
 * per-segment volumes, drift windows. Each replica adds deltas; a read returns the sum over all
 * replicas as last synchronised. Reads are synchronous (policies run on the request path and never
 * wait on the network): the memory implementation is exact, the Redis one flushes deltas and
 * refreshes its local mirror in the background, so a read may lag other replicas by one sync
 * interval.
 */
export interface SharedStats {
  /** Add `deltas` (field → amount) to the statistics stored under `key`. Never throws. */
  add(key: string, deltas: Readonly<Record<string, number>>): void;
  /** The summed statistics under `key`, or undefined when nothing was ever added. */
  get(key: string): Readonly<Record<string, number>> | undefined;
  /** Keys added under `prefix` (for snapshots and admin views). */
  keys(prefix: string): string[];
}
