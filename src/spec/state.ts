/**
 * Shared mutable state: rate-limit buckets, spend budgets, circuit breakers and learning
 * statistics. In memory by default, Redis when replicas must agree. Every step is atomic in its
 * implementation (one Lua script in Redis), and one request needs one call: `admit` evaluates all
 * of its limits and budgets at once.
 */

/** A token bucket: `capacity` tokens, refilled continuously at `refillPerMs`; `cost` is taken on admission. */
export interface BucketCheck {
  key: string;
  capacity: number;
  refillPerMs: number;
  cost: number;
}

/** A spend budget over one period: `amount` (integer micro-USD) is reserved if spent + reserved stays within `limit`. */
export interface BudgetCheck {
  key: string;
  limit: number;
  amount: number;
  /** The key lives until its period is over (plus a margin). */
  ttlMs: number;
}

export interface AdmissionChecks {
  /** All must have room (per key and tenant limits). */
  buckets: readonly BucketCheck[];
  /** All must have room. */
  budgets: readonly BudgetCheck[];
  /**
   * Alternatives in preference order (the plan's targets, each with its own limits): the first
   * whose buckets all have room is taken. Empty when no target is limited.
   */
  choices: readonly (readonly BucketCheck[])[];
}

export interface Admission {
  allowed: boolean;
  /** Which check refused (index into its list; `choices` means every alternative was at its limit). */
  refused?: { kind: 'bucket' | 'budget' | 'choices' | 'unavailable'; index: number };
  /** ms until a refused request could be admitted (0 when allowed). */
  retryAfterMs: number;
  /** Index of the alternative taken (-1 when there were no choices). */
  choice: number;
}

/** Corrections once the real usage is known: bucket tokens given back (or taken), budget spend moved. */
export interface Adjustments {
  buckets: ReadonlyArray<{ key: string; capacity: number; refillPerMs: number; delta: number }>;
  budgets: ReadonlyArray<{ key: string; delta: number; ttlMs: number }>;
}

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerSnapshot {
  state: BreakerState;
  /** ms since epoch when an open breaker may move to half-open. */
  openUntil: number;
  consecutiveFailures: number;
}

export interface StateStore {
  readonly kind: 'memory' | 'redis';
  /**
   * All-or-nothing: either every bucket and budget is charged (and one choice taken) or nothing is.
   * The memory store answers synchronously; Redis answers in one round trip.
   */
  admit(checks: AdmissionChecks, now: number): Admission | Promise<Admission>;
  /** Applies corrections off the request path (never throws, never awaited). */
  adjust(adjustments: Adjustments, now: number): void;
  /** Tells the other replicas that a breaker opened or closed. */
  publishBreaker(targetId: string, snapshot: BreakerSnapshot): void;
  /** Breaker changes made by other replicas (and, at start, the ones already open). */
  onBreaker(listener: (targetId: string, snapshot: BreakerSnapshot) => void): void;
  readonly stats: SharedStats;
  /** False while the shared backend is unreachable (the store then runs on local state). */
  backendUp(): boolean;
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

/** Requests and tokens per minute (either may be absent). */
export interface RateLimit {
  rpm?: number;
  tpm?: number;
}

export interface BudgetRule {
  scope: 'tenant' | 'key' | 'tag';
  /** Tenant id, `tenant/key` id, or `name=value`. */
  id: string;
  limitMicroUsd: number;
  period: 'day' | 'month';
}

/** Every limit and budget in the config, indexed for the request path (built once at start-up). */
export interface LimitTable {
  /** By `tenant/keyId`; keys without their own get `defaultKey`. */
  keys: ReadonlyMap<string, RateLimit>;
  defaultKey: RateLimit | undefined;
  tenants: ReadonlyMap<string, RateLimit>;
  defaultTenant: RateLimit | undefined;
  /** By model id: the provider's quota, shared by every target of the model. */
  models: ReadonlyMap<string, RateLimit>;
  budgets: {
    tenants: ReadonlyMap<string, readonly BudgetRule[]>;
    keys: ReadonlyMap<string, readonly BudgetRule[]>;
    /** By `name=value`. */
    tags: ReadonlyMap<string, readonly BudgetRule[]>;
  };
  /** False when nothing is limited or budgeted: the request path skips admission entirely. */
  any: boolean;
}
