import type { BudgetRule, StateStore } from '../spec/state.js';
import { BUDGET_MARGIN_MS } from '../gateway/admission.js';
import { createPeriodClock } from '../gateway/budget-period.js';

/**
 * The judge's daily budget as a budget of the state store, like a tenant's: in memory for one
 * process, in Redis for every replica at once — so N replicas spend one budget, not N. A call
 * reserves its worst case, then the difference to its real cost is adjusted (a failed call gives
 * it all back).
 */
export interface JudgeBudget {
  /** True when `amount` micro-USD still fits today's budget (and is then reserved). */
  reserve(amount: number, now: number): boolean | Promise<boolean>;
  /** Moves today's spend by `delta` micro-USD (off the request path, never throws). */
  adjust(delta: number, now: number): void;
}

/** Which ledger rows the judge's spend is (its overhead rows), per UTC day: what a restart seeds from (cli/seed-budgets.ts). */
export const JUDGE_BUDGET_RULE: Pick<BudgetRule, 'scope' | 'id' | 'period'> = { scope: 'tag', id: 'overhead=judge', period: 'day' };
/** Its own key, apart from a configured `overhead=judge` tag budget. */
export const judgeBudgetKey = (periodLabel: string): string => `budget:judge:_:${periodLabel}`;

export const createJudgeBudget = (state: Pick<StateStore, 'admit' | 'adjust'>, limitMicroUsd: number): JudgeBudget => {
  const period = createPeriodClock();
  const today = (now: number): { key: string; ttlMs: number } => {
    const p = period('day', now);
    return { key: judgeBudgetKey(p.label), ttlMs: p.endsAt - now + BUDGET_MARGIN_MS };
  };
  return {
    reserve(amount, now) {
      const { key, ttlMs } = today(now);
      const admission = state.admit({ buckets: [], budgets: [{ key, limit: limitMicroUsd, amount, ttlMs }], choices: [] }, now);
      return admission instanceof Promise ? admission.then((a) => a.allowed) : admission.allowed;
    },
    adjust(delta, now) {
      if (delta === 0) return;
      const { key, ttlMs } = today(now);
      state.adjust({ buckets: [], budgets: [{ key, delta, ttlMs }] }, now);
    },
  };
};
