import type { DecisionRecord, FeedbackRecord, FeedbackSource } from '../spec/learning.js';
import type { LoggedDecision } from './ope.js';

/** Stronger evidence first: a person's verdict over a judge's over an implicit signal over the estimator. */
const PRIORITY: readonly FeedbackSource[] = ['user', 'judge', 'implicit', 'estimator'];

export interface JoinOptions {
  /** Only feedback on this metric counts (default: any). */
  metric?: string;
  /** Maps a feedback value to quality in [0,1] (the metric's declared range and direction). */
  qualityOf?: (f: FeedbackRecord) => number;
}

/**
 * The OPE input from the decision log: each decision's chosen arm, propensity and context, its
 * ledger cost, and its quality from the strongest source of feedback it received (the mean when
 * that source said several things).
 */
export const joinDecisions = (decisions: readonly DecisionRecord[], feedback: readonly FeedbackRecord[], options: JoinOptions = {}): LoggedDecision[] => {
  const qualityOf = options.qualityOf ?? ((f: FeedbackRecord) => Math.min(1, Math.max(0, f.value)));
  const byDecision = new Map<string, FeedbackRecord[]>();
  for (const f of feedback) {
    if (options.metric !== undefined && f.metric !== options.metric) continue;
    byDecision.set(f.decisionId, [...(byDecision.get(f.decisionId) ?? []), f]);
  }
  return decisions.map((d) => {
    const fs = byDecision.get(d.decisionId) ?? [];
    const source = PRIORITY.find((s) => fs.some((f) => f.source === s));
    const chosen = fs.filter((f) => f.source === source);
    return {
      arm: d.chosen,
      propensity: d.propensity,
      context: d.context,
      quality: chosen.length === 0 ? null : chosen.reduce((a, f) => a + qualityOf(f), 0) / chosen.length,
      costUsd: d.costMicroUsd / 1e6,
    };
  });
};
