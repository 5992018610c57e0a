import type { LedgerStore } from '../spec/ledger.js';
import type { StateStore } from '../spec/state.js';
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

const keyOf = (label: string): string => `budget:judge:_:${label}`;

export const createJudgeBudget = (state: Pick<StateStore, 'admit' | 'adjust'>, limitMicroUsd: number): JudgeBudget => {
  const period = createPeriodClock();
  const today = (now: number): { key: string; ttlMs: number } => {
    const p = period('day', now);
    return { key: keyOf(p.label), ttlMs: p.endsAt - now + BUDGET_MARGIN_MS };
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

/**
 * Memory state starts empty: at start-up today's judge spend is read back from the ledger (its
 * `overhead=judge` rows), so a restart does not hand the day's budget back. Returns the micro-USD seeded.
 */
export const seedJudgeBudget = async (state: Pick<StateStore, 'adjust'>, ledger: Pick<LedgerStore, 'spend'>, now: number): Promise<number> => {
  const p = createPeriodClock()('day', now);
  const rows = await ledger.spend({ groupBy: ['tag:overhead'], from: p.startsAt });
  const spent = rows.filter((r) => r.group['tag:overhead'] === 'judge').reduce((sum, r) => sum + r.costMicroUsd, 0);
  if (spent > 0) state.adjust({ buckets: [], budgets: [{ key: keyOf(p.label), delta: spent, ttlMs: p.endsAt - now + BUDGET_MARGIN_MS }] }, now);
  return spent;
};
