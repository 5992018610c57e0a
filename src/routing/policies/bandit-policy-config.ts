import { z } from 'zod';

const floorSchema = z.strictObject({
  /** Applies to callers of these tiers (any tier when absent). */
  tier: z.array(z.string()).min(1).optional(),
  /** Applies when every one of these request tags matches (product lines configured as high-value). */
  tags: z.record(z.string(), z.string()).optional(),
  /** Candidates whose lower confidence bound of quality is below this are never explored. */
  floor: z.number().min(0).max(1),
});

/** `type: bandit` — an online contextual bandit (linear Thompson sampling or LinUCB, with ε-mixed propensities). */
export const banditSchema = z.strictObject({
  type: z.literal('bandit'),
  /**
   * The non-uniform pick among the plausible safe arms: `thompson` draws each arm's quality from its
   * posterior (N(q̂, (thompsonScale·width·√(q̂(1 − q̂)))²)) and serves the best draw; `ucb` serves the best
   * q̂ + alpha·width − λ·cost.
   */
  exploration: z.enum(['thompson', 'ucb']).default('thompson'),
  /** Thompson: posterior standard deviation of quality, in standard errors of a 0/1 quality (width·√(q̂(1 − q̂)), q̂(1 − q̂) ≥ 0.05). */
  thompsonScale: z.number().positive().default(1),
  /** UCB optimism: UCB = q̂ + alpha·width − λ·cost. */
  alpha: z.number().nonnegative().default(1),
  /**
   * Confidence (in widths) of the bounds that rule an arm out: an arm whose optimistic reward
   * min(1, q̂ + elimination·width) − λ·cost is below the best safe arm's pessimistic reward
   * (q̂ − elimination·width − λ·cost) cannot win and is neither explored nor chosen. One width is
   * about two standard errors of a 0/1 quality (σ ≤ ½).
   */
  elimination: z.number().nonnegative().default(1),
  /** Caution: a candidate is safe when q̂ − beta·width ≥ the segment's floor. */
  beta: z.number().nonnegative().default(0.5),
  /** Probability of a uniform pick among the safe candidates (gives every safe arm a known propensity). */
  epsilon: z.number().min(0).max(1).default(0.05),
  /** Weight of the prior, in observations. */
  priorStrength: z.number().positive().default(4),
  /** Prior P(quality) by model id; others are placed by price rank between 0.55 and 0.85. */
  prior: z.record(z.string(), z.number().min(0).max(1)).default({}),
  /** A tenant's own statistics replace the global ones once it has this many observations on an arm. */
  minTenantObservations: z.number().nonnegative().default(30),
  /** Reward = quality − lambda · USD; overrides learning.lambda (and the tenant's) when set. */
  lambda: z.number().nonnegative().optional(),
  floors: z.array(floorSchema).default([{ tier: ['premium'], floor: 0.8 }]),
  /** Exploration is multiplied by up to this when a segment's share of traffic grew (or drifted). */
  maxExplorationBoost: z.number().min(1).default(3),
  /** Decisions per volume snapshot (the growth of a segment is measured between two snapshots). */
  volumeWindow: z.number().int().positive().default(500),
  /**
   * On an outcome drift (reward, errors, latency), the evidence kept; the rest is forgotten so that
   * the policy re-learns quickly. A feature drift (a new task mix) forgets nothing: the arms' models
   * are conditioned on the task, so a covariate shift does not make their evidence stale.
   */
  driftDiscount: z.number().min(0).max(1).default(0.5),
});
export type BanditPolicyConfig = z.infer<typeof banditSchema>;
export type FloorConfig = z.infer<typeof floorSchema>;

/** The floor of the strictest matching rule, or 0. */
export const floorFor = (floors: readonly FloorConfig[], tier: string, tags: Readonly<Record<string, string>>): number => {
  let floor = 0;
  for (const f of floors) {
    if (f.tier && !f.tier.includes(tier)) continue;
    if (f.tags && !Object.entries(f.tags).every(([k, v]) => tags[k] === v)) continue;
    floor = Math.max(floor, f.floor);
  }
  return floor;
};
