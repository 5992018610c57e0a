import { Redis } from 'ioredis';
import type { Adjustments, Admission, AdmissionChecks, BreakerSnapshot, StateStore } from '../spec/state.js';
import { createMemoryStateStore } from './memory-state-store.js';
import { createRedisSharedStats, type RedisSharedStats } from './redis-shared-stats.js';
import { ADJUST_LUA, ADMIT_LUA, SYNC_STATS_LUA, adjustArgs, admitArgs } from './redis-scripts.js';
import { scriptRunner } from './redis-scripts-client.js';
import { createAdjustmentBatch } from './adjustment-batch.js';
import { parseStatsReply, statsArgs } from './stats-wire.js';

/** What the gateway hears about the shared backend (logs and metrics). */
export interface StateEvents {
  /** The backend became reachable or unreachable (called once per change). */
  backendChange?(up: boolean, reason?: string): void;
  /** A request was served on local state (fail-open) or refused (fail-closed) because Redis was away. */
  fallback?(): void;
  /** Another replica announced a different config hash. */
  foreignConfig?(hash: string, replica: string): void;
}

export interface RedisStateOptions {
  url: string;
  keyPrefix: string;
  failMode: 'open' | 'closed';
  syncIntervalMs: number;
  replicaId: string;
  /** Tests inject time; production leaves this off and the scripts read Redis's clock. */
  callerClock?: boolean;
  /** A command slower than this counts as an outage for that request (a hung Redis). Default 1 s: long enough that an overloaded machine does not turn slow answers into local (leaky) limits. */
  commandTimeoutMs?: number;
  /** How long start-up waits for Redis before starting on local state. Default 3 s. */
  connectTimeoutMs?: number;
  /** Statistics keys expire this long after their last write. Default 30 days. */
  statsTtlMs?: number;
  events?: StateEvents;
}

export interface RedisStateStore extends StateStore {
  readonly kind: 'redis';
  readonly stats: RedisSharedStats;
  /** Publishes this replica's config hash; replicas with another one report it through foreignConfig. */
  announceConfig(hash: string): void;
}

type Message =
  | { type: 'breaker'; replica: string; target: string; snapshot: BreakerSnapshot }
  | { type: 'config'; replica: string; hash: string };

const UNAVAILABLE: Admission = { allowed: false, refused: { kind: 'unavailable', index: 0 }, retryAfterMs: 1_000, choice: -1 };

const toAdmission = (reply: unknown): Admission => {
  const [allowed, kind, index, wait, choice] = reply as number[];
  if (allowed === 1) return { allowed: true, retryAfterMs: 0, choice: choice ?? -1 };
  const kinds = ['bucket', 'budget', 'choices'] as const;
  return { allowed: false, refused: { kind: kinds[(kind ?? 1) - 1] ?? 'bucket', index: index ?? 0 }, retryAfterMs: wait ?? 0, choice: -1 };
};

const connect = (url: string, timeoutMs: number): Redis =>
  new Redis(url, {
    // Fail fast while disconnected: a request must fall back at once, not queue behind a dead socket.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: timeoutMs,
    enableAutoPipelining: true,
    retryStrategy: (times) => Math.min(100 * times, 2_000),
    lazyConnect: true,
  });

/**
 * Limits, budgets, breakers and statistics shared by every replica through one Redis. When Redis
 * is unreachable the store keeps serving on a local memory store (fail-open) or refuses limited
 * requests (fail-closed); spend recorded locally meanwhile is added to Redis when it returns.
 */
export const createRedisStateStore = async (options: RedisStateOptions): Promise<RedisStateStore> => {
  const { keyPrefix: prefix, events = {} } = options;
  const redis = connect(options.url, options.commandTimeoutMs ?? 1_000);
  const sub = redis.duplicate({ commandTimeout: undefined });
  redis.on('error', () => undefined); // reported through backendChange; reconnects on its own
  sub.on('error', () => undefined);
  const admitScript = scriptRunner(redis, ADMIT_LUA);
  const adjustScript = scriptRunner(redis, ADJUST_LUA);
  const syncScript = scriptRunner(redis, SYNC_STATS_LUA);
  const clock = (now: number): number | undefined => (options.callerClock ? now : undefined);
  const local = createMemoryStateStore();
  const channel = `${prefix}events`;
  const breakersKey = `${prefix}breakers`;
  const breakerListeners: Array<(id: string, s: BreakerSnapshot) => void> = [];
  /** Budget spend recorded locally while Redis was away: added to Redis when it is back. */
  const owed = new Map<string, { delta: number; ttlMs: number }>();
  let up = false;
  let reported: boolean | undefined;
  let configHash: string | undefined;
  let closing = false;

  const owe = (key: string, delta: number, ttlMs: number): void => {
    const o = owed.get(key);
    owed.set(key, { delta: (o?.delta ?? 0) + delta, ttlMs: Math.max(ttlMs, o?.ttlMs ?? 0) });
  };
  const setUp = (next: boolean, reason?: string): void => {
    up = next;
    if (reported === next) return;
    reported = next;
    events.backendChange?.(next, reason);
  };
  const fallback = (checks: AdmissionChecks, now: number): Admission => {
    events.fallback?.();
    if (options.failMode === 'closed') return UNAVAILABLE;
    const decision = local.admit(checks, now) as Admission;
    if (decision.allowed) for (const b of checks.budgets) owe(b.key, b.amount, b.ttlMs);
    return decision;
  };
  const batch = createAdjustmentBatch();
  /** Sends the batched corrections (one script); if that fails, the budget part is owed for the resync. */
  const sendAdjustments = (): void => {
    if (batch.empty) return;
    const { adjustments, now } = batch.take();
    const { keys, args } = adjustArgs(adjustments, prefix, clock(now));
    adjustScript(keys, args).catch(() => {
      for (const b of adjustments.budgets) owe(b.key, b.delta, b.ttlMs);
    });
  };
  const stats = createRedisSharedStats({
    sync: async (deltas) => parseStatsReply(await syncScript([`${prefix}stats-index`], statsArgs(`${prefix}stats:`, options.statsTtlMs ?? 30 * 86_400_000, deltas))),
  });
  const deliverBreaker = (target: string, snapshot: BreakerSnapshot): void => {
    for (const l of breakerListeners) l(target, snapshot);
  };
  const refreshBreakers = async (): Promise<void> => {
    const all = await redis.hgetall(breakersKey);
    for (const [target, json] of Object.entries(all)) deliverBreaker(target, JSON.parse(json) as BreakerSnapshot);
  };
  const payOwed = async (): Promise<void> => {
    if (owed.size === 0) return;
    const budgets = [...owed].map(([key, o]) => ({ key, delta: o.delta, ttlMs: o.ttlMs }));
    owed.clear();
    const { keys, args } = adjustArgs({ buckets: [], budgets }, prefix, undefined);
    await adjustScript(keys, args).catch(() => {
      for (const b of budgets) owe(b.key, b.delta, b.ttlMs);
    });
  };
  const publish = (m: Message): void => {
    if (up) redis.publish(channel, JSON.stringify(m)).catch(() => undefined);
  };
  const announce = (): void => {
    if (configHash === undefined || !up) return;
    const hash = configHash;
    // SET … GET: the hash the previous replica announced, to notice a mix even with no one publishing now.
    redis.set(`${prefix}config-hash`, hash, 'GET').then((prev) => {
      if (prev !== null && prev !== hash) events.foreignConfig?.(prev, 'unknown');
    }, () => undefined);
    publish({ type: 'config', replica: options.replicaId, hash });
  };
  // Back from an outage: settle what was spent locally, catch up on breakers, announce the config.
  const resync = async (): Promise<void> => {
    await payOwed();
    await refreshBreakers().catch(() => undefined);
    announce();
    await stats.syncNow();
  };
  redis.on('ready', () => {
    setUp(true);
    void resync();
  });
  redis.on('close', () => {
    // Our own quit at shutdown is not an outage.
    if (!closing) setUp(false, 'connection to Redis closed');
  });
  sub.on('message', (_channel: string, text: string) => {
    let m: Message;
    try {
      m = JSON.parse(text) as Message;
    } catch {
      return;
    }
    if (m.replica === options.replicaId) return;
    if (m.type === 'breaker') deliverBreaker(m.target, m.snapshot);
    else if (m.type === 'config' && configHash !== undefined && m.hash !== configHash) events.foreignConfig?.(m.hash, m.replica);
  });

  await startConnections(redis, sub, channel, options.connectTimeoutMs ?? 3_000).catch((err: Error) => setUp(false, err.message));
  const timer = setInterval(() => {
    if (up) void stats.syncNow();
  }, options.syncIntervalMs);
  timer.unref();

  return {
    kind: 'redis',
    admit(checks, now) {
      if (!up) return fallback(checks, now);
      // Corrections still batched go first: a replica always sees its own earlier refunds.
      sendAdjustments();
      const { keys, args } = admitArgs(checks, prefix, clock(now));
      return admitScript(keys, args).then(toAdmission, () => fallback(checks, now));
    },
    adjust(a: Adjustments, now) {
      if (!up) {
        local.adjust(a, now);
        for (const b of a.budgets) owe(b.key, b.delta, b.ttlMs);
        return;
      }
      if (batch.empty) setImmediate(sendAdjustments);
      batch.add(a, now);
    },
    publishBreaker(target, snapshot) {
      if (!up) return;
      const write = snapshot.state === 'open' ? redis.hset(breakersKey, target, JSON.stringify(snapshot)) : redis.hdel(breakersKey, target);
      write.catch(() => undefined);
      publish({ type: 'breaker', replica: options.replicaId, target, snapshot });
    },
    onBreaker(listener) {
      breakerListeners.push(listener);
      if (up) void refreshBreakers().catch(() => undefined);
    },
    stats,
    backendUp: () => up,
    announceConfig(hash) {
      configHash = hash;
      announce();
    },
    async close() {
      clearInterval(timer);
      sendAdjustments();
      if (up) await stats.syncNow();
      closing = true;
      await Promise.all([redis, sub].map((c) => (c.status === 'ready' ? c.quit().then(() => undefined, () => c.disconnect()) : c.disconnect())));
    },
  };
};

/** Connects both clients (commands and pub/sub), or rejects after `timeoutMs`; they keep retrying either way. */
const startConnections = async (redis: Redis, sub: Redis, channel: string, timeoutMs: number): Promise<void> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([Promise.all([redis.connect(), sub.connect().then(() => sub.subscribe(channel))]), timeout]);
  } finally {
    clearTimeout(timer);
  }
};
