import { OPEN_TENANT } from '../spec/routing.js';
import type { BudgetRule, LimitTable, RateLimit } from '../spec/state.js';
import type { BudgetConfig, Config } from './config-schema.js';

const push = <T>(map: Map<string, T[]>, key: string, value: T): void => {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
};

const rule = (scope: BudgetRule['scope'], id: string, b: { usd: number; period: BudgetRule['period'] }): BudgetRule => ({
  scope, id, limitMicroUsd: Math.round(b.usd * 1_000_000), period: b.period,
});

/** Finds `tenant/key` for a top-level budget naming a key id; key ids may repeat across tenants. */
const keyOwner = (config: Config, keyId: string): string[] =>
  config.tenants.flatMap((t) => t.keys.filter((k) => k.id === keyId).map(() => `${t.id}/${keyId}`));

const topLevelBudget = (config: Config, b: BudgetConfig, i: number, budgets: LimitTable['budgets'], issues: string[]): void => {
  const tenants = budgets.tenants as Map<string, BudgetRule[]>;
  const keys = budgets.keys as Map<string, BudgetRule[]>;
  const tags = budgets.tags as Map<string, BudgetRule[]>;
  if (b.tenant !== undefined) {
    if (!config.tenants.some((t) => t.id === b.tenant) && b.tenant !== OPEN_TENANT) issues.push(`budgets[${i}].tenant: unknown tenant '${b.tenant}'`);
    push(tenants, b.tenant, rule('tenant', b.tenant, b));
  } else if (b.key !== undefined) {
    const owners = keyOwner(config, b.key);
    if (owners.length !== 1) issues.push(`budgets[${i}].key: ${owners.length === 0 ? 'unknown' : 'ambiguous (several tenants use)'} key id '${b.key}'`);
    else push(keys, owners[0] as string, rule('key', owners[0] as string, b));
  } else if (b.tag !== undefined) {
    push(tags, b.tag, rule('tag', b.tag, b));
  }
};

/** Indexes every limit and budget of the config for the request path. */
export const resolveLimits = (config: Config, issues: string[]): LimitTable => {
  const keys = new Map<string, RateLimit>();
  const tenants = new Map<string, RateLimit>();
  const models = new Map<string, RateLimit>();
  const budgets = { tenants: new Map<string, BudgetRule[]>(), keys: new Map<string, BudgetRule[]>(), tags: new Map<string, BudgetRule[]>() };
  for (const t of config.tenants) {
    if (t.limits) tenants.set(t.id, t.limits);
    if (t.budget) push(budgets.tenants, t.id, rule('tenant', t.id, t.budget));
    for (const k of t.keys) {
      const id = `${t.id}/${k.id}`;
      if (k.limits) keys.set(id, k.limits);
      if (k.budget) push(budgets.keys, id, rule('key', id, k.budget));
    }
  }
  for (const m of config.models) if (m.limits) models.set(m.id, m.limits);
  config.budgets.forEach((b, i) => topLevelBudget(config, b, i, budgets, issues));
  const { perKey, perTenant } = config.limits;
  const any = keys.size + tenants.size + models.size + budgets.tenants.size + budgets.keys.size + budgets.tags.size > 0 || perKey !== undefined || perTenant !== undefined;
  return { keys, defaultKey: perKey, tenants, defaultTenant: perTenant, models, budgets, any };
};
