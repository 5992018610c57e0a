import { createHash } from 'node:crypto';
import { ESTIMATOR_VERSIONS_KEY } from '../spec/learning.js';
import { DEFAULT_TIER, OPEN_TENANT } from '../spec/routing.js';
import type { Target, TargetParams } from '../spec/catalog.js';
import { createCatalog, type Catalog } from '../catalog/create-catalog.js';
import type { LimitTable } from '../spec/state.js';
import type { Config, KeyConfig, RouteConfig } from './config-schema.js';
import { resolveLimits } from './resolve-limits.js';

export interface KeyIdentity {
  keyId: string;
  tenant: string;
  tier: string;
  tags: Readonly<Record<string, string>>;
}

export interface ResolvedRoute {
  name: string;
  targets: readonly Target[];
  fallbacks: readonly Target[];
  policy: Readonly<Record<string, unknown>>;
  allowModelOverride: boolean;
}

export interface ResolvedConfig {
  config: Readonly<Config>;
  /** Where the config came from (its file path), for errors found after loading. */
  source: string;
  /** Short hash of the config without secrets: stamped on every ledger row. */
  hash: string;
  catalog: Catalog;
  routes: ReadonlyMap<string, ResolvedRoute>;
  /** Every catalog model as a single-target route, for clients that name a model directly. */
  modelTargets: ReadonlyMap<string, Target>;
  /** sha256 hex of a key → who it belongs to. */
  keys: ReadonlyMap<string, KeyIdentity>;
  adminKeyHashes: ReadonlySet<string>;
  /** False when no tenant or admin key is configured: the gateway is open (loopback only). */
  authEnabled: boolean;
  /** Rate limits and budgets, indexed for the request path. */
  limits: LimitTable;
}

/**
 * The tenants and tiers a setting or a per-tenant policy may name: the configured ones, or, with
 * none configured, the open gateway's single tenant and its tier.
 */
export const tenantsAndTiers = (config: Config): { tenants: ReadonlySet<string>; tiers: ReadonlySet<string> } =>
  config.tenants.length > 0
    ? { tenants: new Set(config.tenants.map((t) => t.id)), tiers: new Set(config.tenants.map((t) => t.tier)) }
    : { tenants: new Set([OPEN_TENANT]), tiers: new Set([DEFAULT_TIER]) };

export const hashKey = (key: string): string => createHash('sha256').update(key).digest('hex');

const keyHash = (k: KeyConfig): string => (k.hash ? k.hash.slice('sha256:'.length) : hashKey(k.key ?? ''));

const SECRET_FIELDS = new Set(['apiKey', 'key']);
const withoutSecrets = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(withoutSecrets);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => !SECRET_FIELDS.has(k))
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, withoutSecrets(v)]),
    );
  }
  return value;
};

const makeTarget = (catalog: Catalog, ref: RouteConfig['targets'][number]): Target | string => {
  const model = typeof ref === 'string' ? ref : ref.model;
  const spec = catalog.get(model);
  if (!spec) return `unknown model '${model}'`;
  const params: TargetParams = typeof ref === 'string' ? {} : ref.params;
  const label = typeof ref === 'string' ? undefined : ref.label;
  return Object.freeze({ id: label ? `${model}@${label}` : model, model: spec, params: Object.freeze({ ...params }) });
};

/** Cross-checks references (providers, models, targets) and builds the frozen runtime view. */
export const resolveConfig = (config: Config, issues: string[], source = 'config'): ResolvedConfig => {
  if (config.models.length === 0) {
    issues.push('models: none configured (give providers and models, or start without a config file for the built-in simulator)');
  }
  const duplicate = <T>(items: readonly T[], idOf: (item: T) => string, at: (i: number) => string, what: string): void => {
    const seen = new Set<string>();
    items.forEach((item, i) => {
      const id = idOf(item);
      if (seen.has(id)) issues.push(`${at(i)}: duplicate ${what} '${id}'`);
      seen.add(id);
    });
  };
  duplicate(config.models, (m) => m.id, (i) => `models[${i}].id`, 'model');
  duplicate(config.tenants, (t) => t.id, (i) => `tenants[${i}].id`, 'tenant');
  // Key ids name the key in the ledger (tenant + apiKeyId): within a tenant, two keys under one id
  // could not be told apart (across tenants they may repeat).
  config.tenants.forEach((t, i) => duplicate(t.keys, (k) => k.id, (j) => `tenants[${i}].keys[${j}].id`, 'key id'));
  const { tenants } = tenantsAndTiers(config);
  for (const tenant of Object.keys(config.learning.lambdaByTenant)) {
    if (!tenants.has(tenant)) issues.push(`learning.lambdaByTenant.${tenant}: unknown tenant '${tenant}'`);
  }
  config.models.forEach((m, i) => {
    if (!config.providers[m.provider]) issues.push(`models[${i}].provider: unknown provider '${m.provider}'`);
  });
  const catalog = createCatalog(config.models);
  const routes = new Map<string, ResolvedRoute>();
  config.routes.forEach((r, i) => {
    if (routes.has(r.name)) issues.push(`routes[${i}].name: duplicate route '${r.name}'`);
    if (catalog.get(r.name)) issues.push(`routes[${i}].name: '${r.name}' is also a model id; route names must differ`);
    if (r.name === ESTIMATOR_VERSIONS_KEY) issues.push(`routes[${i}].name: '${r.name}' is reserved (the quality estimator's policy versions)`);
    const targets: Target[] = [];
    r.targets.forEach((ref, j) => {
      const t = makeTarget(catalog, ref);
      if (typeof t === 'string') issues.push(`routes[${i}].targets[${j}]: ${t}`);
      else if (targets.some((x) => x.id === t.id)) issues.push(`routes[${i}].targets[${j}]: duplicate target '${t.id}' (use label)`);
      else targets.push(t);
    });
    const fallbacks: Target[] = [];
    r.fallbacks.forEach((id, j) => {
      const t = targets.find((x) => x.id === id) ?? makeTarget(catalog, id);
      if (typeof t === 'string') issues.push(`routes[${i}].fallbacks[${j}]: ${t}`);
      else fallbacks.push(t);
    });
    routes.set(r.name, Object.freeze({ name: r.name, targets, fallbacks, policy: r.policy, allowModelOverride: r.allowModelOverride }));
  });
  const modelTargets = new Map<string, Target>();
  for (const spec of catalog.list()) modelTargets.set(spec.id, Object.freeze({ id: spec.id, model: spec, params: {} }));

  const keys = new Map<string, KeyIdentity>();
  config.tenants.forEach((t, i) => {
    t.keys.forEach((k, j) => {
      const h = keyHash(k);
      if (keys.has(h)) issues.push(`tenants[${i}].keys[${j}]: the same key is configured twice`);
      keys.set(h, Object.freeze({ keyId: k.id, tenant: t.id, tier: t.tier, tags: Object.freeze({ ...t.tags }) }));
    });
  });
  const adminKeyHashes = new Set(config.auth.adminKeys.map(keyHash));
  const hash = createHash('sha256').update(JSON.stringify(withoutSecrets(config))).digest('hex').slice(0, 12);
  return Object.freeze({
    config: Object.freeze(config),
    source,
    hash,
    catalog,
    routes,
    modelTargets,
    keys,
    adminKeyHashes,
    authEnabled: keys.size > 0 || adminKeyHashes.size > 0,
    limits: resolveLimits(config, issues),
  });
};
