import type { SharedStats } from '../spec/state.js';

/**
 * SharedStats whose backend is chosen after the routes are built: routes come first at start-up (a
 * bad policy fails before anything is opened) but the state store, which owns the statistics, opens
 * later. Until bound, reads see nothing and writes are kept in memory and replayed on bind.
 */
export const createLateBoundStats = (): SharedStats & { bind(target: SharedStats): void } => {
  let target: SharedStats | undefined;
  const early: Array<[string, Readonly<Record<string, number>>]> = [];
  return {
    bind(t) {
      target = t;
      for (const [key, deltas] of early.splice(0)) t.add(key, deltas);
    },
    add(key, deltas) {
      if (target) target.add(key, deltas);
      else early.push([key, deltas]);
    },
    get: (key) => target?.get(key),
    keys: (prefix) => target?.keys(prefix) ?? [],
  };
};
