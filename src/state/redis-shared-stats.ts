import type { SharedStats } from '../spec/state.js';

type Fields = Record<string, number>;

/** What the Redis statistics need from a connection: run the sync script. */
export interface StatsSyncer {
  /** Sends `deltas`, resolves with every statistic as stored in Redis after adding them. */
  sync(deltas: ReadonlyMap<string, Fields>): Promise<Map<string, Fields>>;
}

export interface RedisSharedStats extends SharedStats {
  /** One synchronisation (the store calls it every `syncIntervalMs`); resolves false when it failed. */
  syncNow(): Promise<boolean>;
  /** Deltas not yet known to be in Redis. */
  readonly pendingKeys: number;
}

const addInto = (target: Map<string, Fields>, key: string, deltas: Readonly<Fields>): void => {
  let t = target.get(key);
  if (!t) {
    t = {};
    target.set(key, t);
  }
  for (const f in deltas) t[f] = (t[f] ?? 0) + (deltas[f] ?? 0);
};

/**
 * Replica-summed statistics on Redis. Reads never wait: they come from a local view that is the
 * last snapshot read from Redis plus this replica's deltas not yet in it. Deltas are buffered and
 * sent with HINCRBYFLOAT in one script per sync, which also returns the new snapshot, so a read
 * lags the other replicas by at most one sync interval and never misses this replica's own adds.
 * A failed sync keeps its deltas for the next one (Redis down: nothing is lost, only delayed).
 */
export const createRedisSharedStats = (syncer: StatsSyncer): RedisSharedStats => {
  let view = new Map<string, Fields>();
  let pending = new Map<string, Fields>();
  let last: Promise<boolean> = Promise.resolve(true);
  let queued: Promise<boolean> | undefined;
  const run = async (): Promise<boolean> => {
    const inflight = pending;
    pending = new Map();
    try {
      const snapshot = await syncer.sync(inflight);
      // The snapshot holds every flushed delta (ours included); what was added meanwhile is on top.
      for (const [k, d] of pending) addInto(snapshot, k, d);
      view = snapshot;
      return true;
    } catch {
      for (const [k, d] of pending) addInto(inflight, k, d);
      pending = inflight;
      return false;
    }
  };
  return {
    add(key, deltas) {
      addInto(pending, key, deltas);
      addInto(view, key, deltas);
    },
    get: (key) => view.get(key),
    keys: (prefix) => [...view.keys()].filter((k) => k.startsWith(prefix)),
    syncNow() {
      // One sync at a time; a call during one queues (at most) one more, which carries every delta added until it starts.
      queued ??= last = last.then(() => {
        queued = undefined;
        return run();
      });
      return queued;
    },
    get pendingKeys() {
      return pending.size;
    },
  };
};
