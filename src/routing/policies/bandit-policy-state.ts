import type { SharedStats } from '../../spec/state.js';
import { CONTEXT_DIM } from './bandit-policy-context.js';
import { buildArm, observationDeltas, updateArm, type ArmModel } from './bandit-policy-arm.js';

/**
 * The bandit's statistics in SharedStats (so replicas pool their evidence) and a local cache of each
 * arm's model. Keys: `bandit:<route>:global:<target>` and `bandit:<route>:t:<tenant>:<target>`.
 */
export const createBanditState = (stats: SharedStats, route: string, priorStrength: number) => {
  const prefix = `bandit:${route}:`;
  const cache = new Map<string, { model: ArmModel; priorQuality: number }>();
  // The prior a target was planned with, so that an update builds a not-yet-cached arm with the same one.
  const priors = new Map<string, number>();
  // Keys are memoised per (scope, target): a decision looks up two per candidate, and a reused
  // string keeps its hash, where a freshly concatenated one would be hashed again on every request.
  const keys = new Map<string, Map<string, string>>();
  const keyOf = (scope: string, target: string): string => {
    let byTarget = keys.get(scope);
    if (!byTarget) keys.set(scope, (byTarget = new Map()));
    let key = byTarget.get(target);
    if (key === undefined) byTarget.set(target, (key = `${prefix}${scope}:${target}`));
    return key;
  };
  const tenantScope = new Map<string, string>();
  const scopeOf = (tenant: string): string => {
    let scope = tenantScope.get(tenant);
    if (scope === undefined) tenantScope.set(tenant, (scope = `t:${tenant}`));
    return scope;
  };
  const arm = (scope: string, target: string, priorQuality: number): ArmModel => {
    const key = keyOf(scope, target);
    let entry = cache.get(key);
    if (!entry) {
      entry = { model: buildArm(CONTEXT_DIM, stats.get(key), priorStrength, priorQuality), priorQuality };
      cache.set(key, entry);
    }
    return entry.model;
  };
  /** Rebuilds every cached arm from the summed statistics (off the request path: a few µs each). */
  const rebuildAll = (): void => {
    for (const [key, entry] of cache) entry.model = buildArm(CONTEXT_DIM, stats.get(key), priorStrength, entry.priorQuality);
  };
  /** Makes the shared statistics equal a snapshot's (by adding the differences: replicas agree). */
  const restore = (blob: string): void => {
    const parsed = JSON.parse(blob) as { format?: string; stats?: Record<string, Record<string, number>> };
    if (parsed.format !== 'bandit-stats/1' || !parsed.stats) throw new Error('not a bandit statistics snapshot');
    const target = parsed.stats;
    const keys = new Set([...stats.keys(prefix).map((k) => k.slice(prefix.length)), ...Object.keys(target)]);
    for (const k of keys) {
      const now = stats.get(prefix + k) ?? {};
      const want = target[k] ?? {};
      const deltas: Record<string, number> = {};
      for (const f of new Set([...Object.keys(now), ...Object.keys(want)])) {
        const diff = (want[f] ?? 0) - (now[f] ?? 0);
        if (diff !== 0) deltas[f] = diff;
      }
      if (Object.keys(deltas).length > 0) stats.add(prefix + k, deltas);
    }
    rebuildAll();
  };
  return {
    /** The tenant's arm once it has enough evidence, else the global one (cold start backs off). */
    armFor(tenant: string, target: string, priorQuality: number, minTenant: number): ArmModel {
      if (priors.get(target) !== priorQuality) priors.set(target, priorQuality);
      // The count is read from the statistics, so a tenant without enough evidence costs no cache entry.
      const scope = scopeOf(tenant);
      const n = stats.get(keyOf(scope, target))?.['n'] ?? 0;
      return n >= minTenant && n > 0 ? arm(scope, target, priorQuality) : arm('global', target, priorQuality);
    },
    /** One weighted observation: shared statistics (global and tenant) and the local caches. */
    observe(tenant: string, target: string, x: readonly number[], quality: number, weight: number, defaultPrior: number): void {
      const deltas = observationDeltas(x, quality, weight);
      const priorQuality = priors.get(target) ?? defaultPrior;
      for (const scope of ['global', scopeOf(tenant)]) {
        stats.add(keyOf(scope, target), deltas);
        // Only cached arms are updated in place (O(d²)); the others are built from the statistics when first used.
        const cached = cache.get(keyOf(scope, target));
        if (cached) updateArm(cached.model, x, quality, weight);
        else if (scope === 'global') arm(scope, target, priorQuality);
      }
    },
    /** Forgets part of the evidence (drift): every statistic is scaled by `keep`, replica-consistently. */
    discount(keep: number): void {
      for (const key of stats.keys(prefix)) {
        const s = stats.get(key);
        if (!s) continue;
        const deltas: Record<string, number> = {};
        for (const [f, v] of Object.entries(s)) deltas[f] = -(1 - keep) * v;
        stats.add(key, deltas);
      }
      rebuildAll();
    },
    /** Statistics equal to a fit from the prior on these observations alone (a full retrain), replica-consistently. */
    refit(observations: ReadonlyArray<{ tenant: string; chosen: string; context: readonly number[]; quality: number; weight: number }>): void {
      const fresh: Record<string, Record<string, number>> = {};
      for (const o of observations) {
        const deltas = observationDeltas(o.context, o.quality, o.weight);
        for (const scope of ['global', scopeOf(o.tenant)]) {
          const sum = (fresh[`${scope}:${o.chosen}`] ??= {});
          for (const [f, v] of Object.entries(deltas)) sum[f] = (sum[f] ?? 0) + v;
        }
      }
      restore(JSON.stringify({ format: 'bandit-stats/1', stats: fresh }));
    },
    /** Every statistic of this route, as JSON text (a policy version's blob). */
    snapshot(): string {
      const out: Record<string, Readonly<Record<string, number>>> = {};
      for (const key of stats.keys(prefix).sort()) {
        const s = stats.get(key);
        if (s) out[key.slice(prefix.length)] = s;
      }
      return JSON.stringify({ format: 'bandit-stats/1', stats: out });
    },
    restore,
    /** Picks up other replicas' evidence (the learning loop calls it periodically). */
    refresh: rebuildAll,
  };
};
export type BanditState = ReturnType<typeof createBanditState>;
