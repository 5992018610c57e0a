/**
 * The doubly robust estimator's reward model: one ridge regression per arm, r̂(x, a) = w_a · x,
 * fitted on the logged rewards of that arm. Solved exactly by Cholesky on the d × d normal
 * equations: d is the decision log's compact context (tens of entries), so a hand-written solve
 * is a few lines and avoids pulling a linear-algebra package in for one call.
 */
export interface RewardModel {
  predict(arm: string, x: readonly number[]): number;
}

/** Solves (A) w = b for a symmetric positive definite A (row-major d × d), in place of nothing. */
export const solveSpd = (a: readonly number[][], b: readonly number[]): number[] => {
  const d = b.length;
  const l = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i]?.[j] ?? 0;
      for (let k = 0; k < j; k++) s -= (l[i]?.[k] ?? 0) * (l[j]?.[k] ?? 0);
      if (i === j) l[i]![i] = Math.sqrt(Math.max(s, 1e-12));
      else l[i]![j] = s / (l[j]?.[j] ?? 1);
    }
  }
  const y = new Array<number>(d).fill(0);
  for (let i = 0; i < d; i++) {
    let s = b[i] ?? 0;
    for (let k = 0; k < i; k++) s -= (l[i]?.[k] ?? 0) * (y[k] ?? 0);
    y[i] = s / (l[i]?.[i] ?? 1);
  }
  const w = new Array<number>(d).fill(0);
  for (let i = d - 1; i >= 0; i--) {
    let s = y[i] ?? 0;
    for (let k = i + 1; k < d; k++) s -= (l[k]?.[i] ?? 0) * (w[k] ?? 0);
    w[i] = s / (l[i]?.[i] ?? 1);
  }
  return w;
};

const dot = (w: readonly number[], x: readonly number[]): number => {
  let s = 0;
  for (let i = 0; i < w.length; i++) s += (w[i] ?? 0) * (x[i] ?? 0);
  return s;
};

/** Per-arm ridge fits; an arm never logged predicts the mean logged reward (no information). */
export const fitRewardModel = (rows: ReadonlyArray<{ arm: string; x: readonly number[]; r: number }>, alpha = 1): RewardModel => {
  const d = rows[0]?.x.length ?? 0;
  const byArm = new Map<string, { xtx: number[][]; xty: number[] }>();
  let mean = 0;
  for (const row of rows) {
    let acc = byArm.get(row.arm);
    if (!acc) byArm.set(row.arm, (acc = { xtx: Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => (i === j ? alpha : 0))), xty: new Array<number>(d).fill(0) }));
    for (let i = 0; i < d; i++) {
      const xi = row.x[i] ?? 0;
      acc.xty[i] = (acc.xty[i] ?? 0) + xi * row.r;
      for (let j = 0; j < d; j++) acc.xtx[i]![j] = (acc.xtx[i]?.[j] ?? 0) + xi * (row.x[j] ?? 0);
    }
    mean += row.r / rows.length;
  }
  const weights = new Map([...byArm].map(([arm, acc]) => [arm, solveSpd(acc.xtx, acc.xty)]));
  return { predict: (arm, x) => (weights.has(arm) ? dot(weights.get(arm) ?? [], x) : mean) };
};
