import type { ModelSpec } from '../spec/catalog.js';

/** Fields of a model entry as the config module hands them over (kept structural on purpose). */
export interface ModelEntry {
  id: string;
  provider: string;
  upstreamModel?: string;
  prices: { input: number; output: number; cachedInput?: number; cacheWrite?: number; perRequest: number };
  contextWindow: number;
  maxOutputTokens: number;
  capabilities: ModelSpec['capabilities'];
  latency: ModelSpec['latency'];
}

export interface Catalog {
  get(id: string): ModelSpec | undefined;
  list(): readonly ModelSpec[];
}

/** Builds the frozen model catalog: prices normalised, defaults for cached and cache-write rates applied. */
export const createCatalog = (entries: readonly ModelEntry[]): Catalog => {
  const byId = new Map<string, ModelSpec>();
  for (const e of entries) {
    const spec: ModelSpec = Object.freeze({
      id: e.id,
      provider: e.provider,
      upstreamModel: e.upstreamModel ?? e.id,
      prices: Object.freeze({
        inputPerMtok: e.prices.input,
        outputPerMtok: e.prices.output,
        cachedInputPerMtok: e.prices.cachedInput ?? e.prices.input,
        cacheWritePerMtok: e.prices.cacheWrite ?? e.prices.input,
        perRequest: e.prices.perRequest,
      }),
      contextWindow: e.contextWindow,
      maxOutputTokens: e.maxOutputTokens,
      capabilities: Object.freeze({ ...e.capabilities }),
      latency: Object.freeze({ ...e.latency }),
    });
    byId.set(e.id, spec);
  }
  const all = Object.freeze([...byId.values()]);
  return { get: (id) => byId.get(id), list: () => all };
};
