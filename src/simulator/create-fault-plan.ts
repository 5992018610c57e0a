import type { FaultKind, Faults } from './simulator-options.js';

/** mulberry32: tiny, fast, good enough to draw fault dice reproducibly from a seed. */
export const createPrng = (seed: number): (() => number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

const RATE_KEYS: ReadonlyArray<[keyof Faults, FaultKind]> = [
  ['rate429', 'rate_limit'],
  ['rate5xx', 'server_error'],
  ['rateOverloaded', 'overloaded'],
  ['rateTimeout', 'timeout'],
  ['rateStall', 'stall'],
  ['rateCut', 'cut'],
  ['rateMalformed', 'malformed'],
  ['rateWrongContentType', 'wrong_content_type'],
];

export interface FaultPlan {
  /** Replaces the faults of `modelId` (`*` = every model without its own). */
  set(modelId: string, faults: Faults): void;
  /** The fault for this call of `modelId`, if any: the queue first, then the dice. */
  pick(modelId: string): FaultKind | undefined;
  retryAfterSeconds(modelId: string): number;
}

interface Entry {
  queue: FaultKind[];
  rates: Array<[number, FaultKind]>;
  retryAfterSeconds: number;
}

export const createFaultPlan = (seed = 1): FaultPlan => {
  const random = createPrng(seed);
  const entries = new Map<string, Entry>();
  const entryOf = (modelId: string): Entry | undefined => entries.get(modelId) ?? entries.get('*');

  return {
    set(modelId, faults) {
      const rates: Array<[number, FaultKind]> = [];
      for (const [key, kind] of RATE_KEYS) {
        const r = faults[key];
        if (typeof r === 'number' && r > 0) rates.push([r, kind]);
      }
      entries.set(modelId, { queue: [...(faults.failNext ?? [])], rates, retryAfterSeconds: faults.retryAfterSeconds ?? 1 });
    },
    pick(modelId) {
      const entry = entryOf(modelId);
      if (entry === undefined) return undefined;
      if (entry.queue.length > 0) return entry.queue.shift();
      if (entry.rates.length === 0) return undefined;
      let r = random();
      for (const [p, kind] of entry.rates) {
        if (r < p) return kind;
        r -= p;
      }
      return undefined;
    },
    retryAfterSeconds: (modelId) => entryOf(modelId)?.retryAfterSeconds ?? 1,
  };
};
