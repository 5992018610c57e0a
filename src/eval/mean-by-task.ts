import type { PreparedRecord } from './prepare-records.js';

/** Fewer train prompts of a task than this and the per-task figure falls back to the model's overall one. */
export const MIN_TASK_ROWS = 30;

/**
 * Ratio of sums per detected task type (num/den summed over the rows), for tasks with enough rows:
 * e.g. USD per input token, or output tokens per prompt (den = 1).
 */
export const ratioByTask = (rows: readonly PreparedRecord[], num: (r: PreparedRecord) => number, den: (r: PreparedRecord) => number): Map<string, number> => {
  const byTask = new Map<string, { num: number; den: number; n: number }>();
  for (const r of rows) {
    const agg = byTask.get(r.taskType) ?? { num: 0, den: 0, n: 0 };
    agg.num += num(r);
    agg.den += den(r);
    agg.n += 1;
    byTask.set(r.taskType, agg);
  }
  const out = new Map<string, number>();
  for (const [task, agg] of byTask) if (agg.n >= MIN_TASK_ROWS && agg.den > 0) out.set(task, agg.num / agg.den);
  return out;
};
