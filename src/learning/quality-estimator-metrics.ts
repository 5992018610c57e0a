/** Calibration and ranking metrics of probabilistic predictions against 0/1 (or [0,1]) labels. */
export interface CalibrationReport {
  n: number;
  /** Expected calibration error: Σ_bins (n_b / n)·|mean(p) − mean(y)| over equal-width bins. */
  ece: number;
  /** Area under the ROC curve (labels thresholded at 0.5); 0.5 = no better than chance. */
  auc: number;
  brier: number;
  /** Share of (p ≥ 0.5) == (y ≥ 0.5). */
  accuracy: number;
  meanPrediction: number;
  meanLabel: number;
}

export const expectedCalibrationError = (ps: readonly number[], ys: readonly number[], bins = 10): number => {
  const count = new Float64Array(bins);
  const sumP = new Float64Array(bins);
  const sumY = new Float64Array(bins);
  ps.forEach((p, i) => {
    const b = Math.min(bins - 1, Math.max(0, Math.floor(p * bins)));
    count[b] = (count[b] ?? 0) + 1;
    sumP[b] = (sumP[b] ?? 0) + p;
    sumY[b] = (sumY[b] ?? 0) + (ys[i] ?? 0);
  });
  let ece = 0;
  for (let b = 0; b < bins; b++) {
    const c = count[b] ?? 0;
    if (c > 0) ece += (c / ps.length) * Math.abs((sumP[b] ?? 0) / c - (sumY[b] ?? 0) / c);
  }
  return ece;
};

/** AUC by the rank-sum (Mann–Whitney) statistic, ties given half credit. */
export const areaUnderRoc = (ps: readonly number[], ys: readonly number[]): number => {
  const order = ps.map((p, i) => [p, (ys[i] ?? 0) >= 0.5 ? 1 : 0] as const).sort((a, b) => a[0] - b[0]);
  let rankSum = 0;
  let positives = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j < order.length && order[j]?.[0] === order[i]?.[0]) j++;
    const avgRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) if (order[k]?.[1] === 1) {
      rankSum += avgRank;
      positives += 1;
    }
    i = j;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return 0.5;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
};

export const calibrationReport = (ps: readonly number[], ys: readonly number[]): CalibrationReport => {
  const n = ps.length;
  let brier = 0;
  let correct = 0;
  let sp = 0;
  let sy = 0;
  ps.forEach((p, i) => {
    const y = ys[i] ?? 0;
    brier += (p - y) ** 2;
    if ((p >= 0.5) === (y >= 0.5)) correct += 1;
    sp += p;
    sy += y;
  });
  const d = Math.max(1, n);
  return { n, ece: expectedCalibrationError(ps, ys), auc: areaUnderRoc(ps, ys), brier: brier / d, accuracy: correct / d, meanPrediction: sp / d, meanLabel: sy / d };
};
