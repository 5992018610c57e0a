import type { OpePolicy } from './ope-policy.js';
import { fitRewardModel, type RewardModel } from './ope-reward-model.js';

/** One logged decision with what was learned about it: the arm, its propensity, the outcome. */
export interface LoggedDecision {
  arm: string;
  /** Probability the logging policy gave `arm` (must be > 0). */
  propensity: number;
  context: readonly number[];
  /** Quality in [0,1] from feedback, or null when none arrived. */
  quality: number | null;
  costUsd: number;
}

export interface OpeEstimate {
  /** Inverse propensity scoring: mean of (π/μ)·r. Unbiased, high variance. */
  ips: number;
  /** Self-normalised IPS: Σ(π/μ)·r / Σ(π/μ). Slightly biased, much lower variance. */
  snips: number;
  /** Doubly robust: the reward model's value plus the IPS-weighted residuals. */
  dr: number;
}

export interface OpeReport {
  decisions: number;
  withFeedback: number;
  quality: OpeEstimate | null;
  costUsd: OpeEstimate;
  /** What the logging policy got, for comparison. */
  logged: { quality: number | null; costUsd: number };
  /** (Σw)² / Σw² over all decisions: how many logged decisions the estimate is really worth. */
  effectiveSampleSize: number;
  /** Mean π(logged arm | x): how often the candidate agrees with the log. */
  matchRate: number;
  /** Mean candidate probability on arms the log never chose (IPS is blind there; DR extrapolates). */
  unsupportedMass: number;
  warnings: string[];
}

const estimate = (rows: ReadonlyArray<{ d: LoggedDecision; r: number; probs: Map<string, number> }>, model: RewardModel): OpeEstimate => {
  let ips = 0;
  let wsum = 0;
  let dr = 0;
  for (const { d, r, probs } of rows) {
    const w = (probs.get(d.arm) ?? 0) / d.propensity;
    ips += w * r;
    wsum += w;
    let direct = 0;
    for (const [arm, p] of probs) if (p > 0) direct += p * model.predict(arm, d.context);
    dr += direct + w * (r - model.predict(d.arm, d.context));
  }
  const n = Math.max(1, rows.length);
  return { ips: ips / n, snips: wsum > 0 ? ips / wsum : 0, dr: dr / n };
};

/**
 * Off-policy evaluation of `policy` on a decision log: its expected quality and cost per request
 * had it served the logged traffic, with IPS, self-normalised IPS and doubly robust estimators,
 * and the diagnostics that say whether to believe them.
 */
export const evaluateOffPolicy = (log: readonly LoggedDecision[], policy: OpePolicy, options: { minEss?: number } = {}): OpeReport => {
  const warnings: string[] = [];
  const valid = log.filter((d) => d.propensity > 0 && d.propensity <= 1 && d.context.every(Number.isFinite));
  if (valid.length < log.length) warnings.push(`${log.length - valid.length} decisions skipped: propensity outside (0, 1] or a non-finite context`);
  const loggedArms = new Set(valid.map((d) => d.arm));
  const arms = [...loggedArms].sort();
  const rows = valid.map((d) => {
    const probs = policy.probabilities(d.context, arms);
    return { d, probs };
  });
  let w1 = 0;
  let w2 = 0;
  let match = 0;
  let unsupported = 0;
  for (const { d, probs } of rows) {
    const w = (probs.get(d.arm) ?? 0) / d.propensity;
    w1 += w;
    w2 += w * w;
    match += probs.get(d.arm) ?? 0;
    for (const [arm, p] of probs) if (!loggedArms.has(arm)) unsupported += p;
  }
  const n = Math.max(1, rows.length);
  const ess = w2 > 0 ? (w1 * w1) / w2 : 0;
  const minEss = options.minEss ?? Math.max(30, 0.1 * rows.length);
  if (ess < minEss) warnings.push(`poor support: effective sample size ${ess.toFixed(1)} of ${rows.length} decisions (below ${minEss.toFixed(0)}); the estimates are unreliable`);
  if (unsupported / n > 0.05) warnings.push(`the candidate puts ${((100 * unsupported) / n).toFixed(1)}% of its probability on arms the log never chose: IPS cannot see them and DR extrapolates`);
  const costRows = rows.map((r) => ({ ...r, r: r.d.costUsd }));
  const costModel = fitRewardModel(costRows.map(({ d, r }) => ({ arm: d.arm, x: d.context, r })));
  const qualityRows = rows.flatMap((r) => (r.d.quality === null ? [] : [{ ...r, r: r.d.quality }]));
  if (qualityRows.length < rows.length) warnings.push(`${rows.length - qualityRows.length} of ${rows.length} decisions have no feedback: quality is estimated on the rest`);
  const qualityModel = fitRewardModel(qualityRows.map(({ d, r }) => ({ arm: d.arm, x: d.context, r })));
  return {
    decisions: rows.length,
    withFeedback: qualityRows.length,
    quality: qualityRows.length > 0 ? estimate(qualityRows, qualityModel) : null,
    costUsd: estimate(costRows, costModel),
    logged: {
      quality: qualityRows.length > 0 ? qualityRows.reduce((a, r) => a + r.r, 0) / qualityRows.length : null,
      costUsd: costRows.reduce((a, r) => a + r.r, 0) / n,
    },
    effectiveSampleSize: ess,
    matchRate: match / n,
    unsupportedMass: unsupported / n,
    warnings,
  };
};
