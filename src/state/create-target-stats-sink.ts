import type { EventSink } from '../spec/events.js';
import type { SharedStats } from '../spec/state.js';

/** Prefix of the per-target statistics every replica adds to (read with GET /admin/stats). */
export const TARGET_STATS_PREFIX = 'target:';

/**
 * Per-target attempt counts, errors, cost and output tokens, summed over every replica through the
 * shared statistics: the fleet-wide view of what each target did (and the same channel the
 * bandit's statistics travel on).
 */
export const createTargetStatsSink = (stats: SharedStats): EventSink => (event) => {
  if (event.type !== 'attempt-end') return;
  const r = event.row;
  stats.add(TARGET_STATS_PREFIX + r.target, { attempts: 1, errors: r.outcome === 'ok' ? 0 : 1, costMicroUsd: r.costMicroUsd, outputTokens: r.outputTokens });
};
