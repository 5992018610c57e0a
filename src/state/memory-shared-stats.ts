import type { SharedStats } from '../spec/state.js';

/** One process: the sum over replicas is this replica's sum, exact and immediate. */
export const createMemorySharedStats = (): SharedStats => {
  const stats = new Map<string, Record<string, number>>();
  return {
    add(key, deltas) {
      let s = stats.get(key);
      if (!s) {
        s = {};
        stats.set(key, s);
      }
      for (const f in deltas) s[f] = (s[f] ?? 0) + (deltas[f] ?? 0);
    },
    get: (key) => stats.get(key),
    keys: (prefix) => [...stats.keys()].filter((k) => k.startsWith(prefix)),
  };
};
