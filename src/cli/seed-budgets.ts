import type { LedgerStore, SpendGroupKey, SpendRow } from '../spec/ledger.js';
import type { BudgetRule, LimitTable, StateStore } from '../spec/state.js';
import { BUDGET_MARGIN_MS, budgetKey } from '../gateway/admission.js';
import { createPeriodClock } from '../gateway/budget-period.js';
import { JUDGE_BUDGET_RULE, judgeBudgetKey } from '../learning/judge-budget.js';

type RuleScope = Pick<BudgetRule, 'scope' | 'id' | 'period'>;

const query = (rule: RuleScope): { groupBy: SpendGroupKey[]; matches(row: SpendRow): boolean } => {
  if (rule.scope === 'tenant') return { groupBy: ['tenant'], matches: (r) => r.group['tenant'] === rule.id };
  if (rule.scope === 'key') return { groupBy: ['tenant', 'api_key'], matches: (r) => `${r.group['tenant']}/${r.group['api_key']}` === rule.id };
  const [name = '', value = ''] = rule.id.split('=', 2);
  return { groupBy: [`tag:${name}`], matches: (r) => r.group[`tag:${name}`] === value };
};

/**
 * Memory state starts empty, so without this a restart would hand every budget back. Each budget
 * starts from what the ledger says was spent in its current period. (Redis keeps its counters across
 * gateway restarts: this is for the embedded default.) Returns the micro-USD seeded.
 */
const seed = async (state: Pick<StateStore, 'adjust'>, rules: ReadonlyArray<{ rule: RuleScope; key(periodLabel: string): string }>, ledger: Pick<LedgerStore, 'spend'>, now: number): Promise<number> => {
  const period = createPeriodClock();
  const budgets = await Promise.all(rules.map(async ({ rule, key }) => {
    const p = period(rule.period, now);
    const q = query(rule);
    const rows = await ledger.spend({ groupBy: q.groupBy, from: p.startsAt });
    const spent = rows.filter(q.matches).reduce((sum, r) => sum + r.costMicroUsd, 0);
    return { key: key(p.label), delta: spent, ttlMs: p.endsAt - now + BUDGET_MARGIN_MS };
  }));
  const spent = budgets.filter((b) => b.delta > 0);
  if (spent.length > 0) state.adjust({ buckets: [], budgets: spent }, now);
  return spent.reduce((sum, b) => sum + b.delta, 0);
};

export const seedBudgetsFromLedger = (state: StateStore, limits: LimitTable, ledger: Pick<LedgerStore, 'spend'>, now: number): Promise<number> => {
  const rules = [limits.budgets.tenants, limits.budgets.keys, limits.budgets.tags].flatMap((m) => [...m.values()].flat());
  return seed(state, rules.map((rule) => ({ rule, key: (label: string) => budgetKey(rule, label) })), ledger, now);
};

/**
 * The same for the judge's daily budget (learning/judge-budget.ts): today's `overhead=judge` rows,
 * so a restart does not hand the day's judge budget back. Returns the micro-USD seeded.
 */
export const seedJudgeBudget = (state: Pick<StateStore, 'adjust'>, ledger: Pick<LedgerStore, 'spend'>, now: number): Promise<number> =>
  seed(state, [{ rule: JUDGE_BUDGET_RULE, key: judgeBudgetKey }], ledger, now);
