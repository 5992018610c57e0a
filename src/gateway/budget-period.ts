import type { BudgetRule } from '../spec/state.js';

export interface Period {
  /** `2026-11-23` or `2026-11`: part of the budget's key, so a new period starts from zero. */
  label: string;
  startsAt: number;
  /** ms since epoch when the period ends (UTC). */
  endsAt: number;
}

const DAY_MS = 86_400_000;

const dayOf = (now: number): Period => {
  const start = Math.floor(now / DAY_MS) * DAY_MS;
  return { label: new Date(start).toISOString().slice(0, 10), startsAt: start, endsAt: start + DAY_MS };
};

const monthOf = (now: number): Period => {
  const d = new Date(now);
  const start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  return { label: d.toISOString().slice(0, 7), startsAt: start, endsAt: Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) };
};

/** The current UTC day and month, recomputed only when one ends (no Date on the request path otherwise). */
export const createPeriodClock = (): ((period: BudgetRule['period'], now: number) => Period) => {
  let day: Period = { label: '', startsAt: 0, endsAt: 0 };
  let month: Period = { label: '', startsAt: 0, endsAt: 0 };
  return (period, now) => {
    if (period === 'day') {
      if (now < day.startsAt || now >= day.endsAt) day = dayOf(now);
      return day;
    }
    if (now < month.startsAt || now >= month.endsAt) month = monthOf(now);
    return month;
  };
};
