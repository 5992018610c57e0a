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
