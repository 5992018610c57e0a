import { Gauge, type Registry } from 'prom-client';
import type { LearningConfig } from '../config/config-schema.js';
import { createPeriodClock, type Period } from '../gateway/budget-period.js';
import type { LedgerStore } from '../spec/ledger.js';
import type { BudgetRule } from '../spec/state.js';

export type BudgetPacingOptions = LearningConfig['budgetPacing'];

/**
 * λ's multiplier for one budget: the share of the budget spent over the share of its period gone
 * (the pace), clamped to [minFactor, maxFactor]. Spending twice as fast as the budget allows doubles
 * λ (cheaper answers); half as fast halves it (the budget buys quality). During the first `warmup`
 * share of a period only overspending counts (measured against that share): an early burst raises
 * λ, but a quiet first hour is not read as "nothing spent" and does not drop λ to the floor.
 */
export const paceFactor = (spentMicroUsd: number, rule: Pick<BudgetRule, 'limitMicroUsd'>, period: Period, now: number, o: Pick<BudgetPacingOptions, 'minFactor' | 'maxFactor' | 'warmup'>): number => {
  const gone = (now - period.startsAt) / (period.endsAt - period.startsAt);
  const pace = rule.limitMicroUsd > 0 ? spentMicroUsd / rule.limitMicroUsd / Math.max(o.warmup, gone) : o.maxFactor;
  return Math.min(o.maxFactor, Math.max(o.minFactor, gone < o.warmup ? Math.max(1, pace) : pace));
};

export interface BudgetPacingDeps {
  /** Tenant budgets (limits.budgets.tenants): only these tenants are paced. */
  budgets: ReadonlyMap<string, readonly BudgetRule[]>;
  /** The ledger's spend report: the ledger is what every replica writes, so all of them read one pace. */
  spend: LedgerStore['spend'];
  now(): number;
  options: BudgetPacingOptions;
}

/**
 * λ set from the tenant's budget (the learning issue's "λ from the tenant's budget or cost target"):
 * for each tenant with a budget, `refresh()` (off the request path, every `refreshMs`) reads what the
 * ledger says it spent in each budget's current period and keeps the strictest pace factor; the
 * request path only reads a Map. A tenant with several budgets (a day and a month) follows the one it
 * is most ahead of.
 */
export const createBudgetPacing = (deps: BudgetPacingDeps) => {
  const factors = new Map<string, number>();
  const period = createPeriodClock();
  return {
    async refresh(): Promise<void> {
      const now = deps.now();
      const spentByPeriod = new Map<number, Map<string, number>>();
      const spentIn = async (p: Period): Promise<Map<string, number>> => {
        let spent = spentByPeriod.get(p.startsAt);
        if (!spent) {
          const rows = await deps.spend({ groupBy: ['tenant'], from: p.startsAt });
          spent = new Map(rows.map((r) => [r.group['tenant'] ?? '', r.costMicroUsd]));
          spentByPeriod.set(p.startsAt, spent);
        }
        return spent;
      };
      for (const [tenant, rules] of deps.budgets) {
        let factor = deps.options.minFactor;
        for (const rule of rules) {
          const p = period(rule.period, now);
          factor = Math.max(factor, paceFactor((await spentIn(p)).get(tenant) ?? 0, rule, p, now, deps.options));
        }
        factors.set(tenant, factor);
      }
    },
    /** λ's multiplier for a tenant: 1 until the first refresh, and for tenants without a budget. */
    factor: (tenant: string): number => factors.get(tenant) ?? 1,
    view: (): Record<string, number> => Object.fromEntries(factors),
  };
};
export type BudgetPacing = ReturnType<typeof createBudgetPacing>;

/** A tenant's λ: its own (`lambdaByTenant`) or the default, times its budget pace. */
export const tenantLambda = (learning: Pick<LearningConfig, 'lambda' | 'lambdaByTenant'>, factor: (tenant: string) => number = () => 1) =>
  (tenant: string): number => (learning.lambdaByTenant[tenant] ?? learning.lambda) * factor(tenant);

/** `switchyard_learning_lambda{tenant}`: the λ in force for each paced tenant. */
export const registerLambdaGauge = (registry: Registry, pacing: BudgetPacing, lambdaFor: (tenant: string) => number): void => {
  new Gauge({
    name: 'switchyard_learning_lambda',
    help: 'λ of the learning reward (quality − λ·USD) in force for a tenant, after its budget pace',
    labelNames: ['tenant'],
    registers: [registry],
    collect() {
      for (const tenant of Object.keys(pacing.view())) this.set({ tenant }, lambdaFor(tenant));
    },
  });
};
