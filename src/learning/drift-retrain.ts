import type { LearningConfig, MetricConfig } from '../config/config-schema.js';
import type { DecisionRecord, FeedbackRecord, LearningStore } from '../spec/learning.js';
import type { LearningOutcome, PolicyLearner } from '../spec/routing.js';
import { qualityOf } from './feedback-metrics.js';
import type { PolicyVersions } from './policy-versions.js';

/**
 * The evidence a route's logged decisions and their feedback hold, as the learning loop would have
 * fed it online: every piece of feedback on a declared metric, mapped to quality and weighted by its
 * source, credited to the feedback's own target when it names one (the arm a provider error is
 * about), else to the target that served the answer — as the learning loop credits it online.
 */
export const outcomesFromLog = (config: LearningConfig, decisions: readonly DecisionRecord[], feedback: readonly FeedbackRecord[]): LearningOutcome[] => {
  const metrics = new Map<string, MetricConfig>(config.metrics.map((m) => [m.name, m]));
  const byId = new Map(decisions.map((d) => [d.decisionId, d]));
  const out: LearningOutcome[] = [];
  for (const f of feedback) {
    const d = byId.get(f.decisionId);
    const metric = metrics.get(f.metric);
    const weight = config.sourceWeights[f.source];
    const arm = f.target ?? d?.served ?? d?.chosen ?? '';
    if (!d || !metric || d.tenant !== f.tenant || weight <= 0 || arm === '' || f.ts - d.ts > config.feedbackWindowMs) continue;
    out.push({
      decisionId: d.decisionId, tenant: d.tenant, chosen: arm, context: d.context, quality: qualityOf(metric, f.value),
      weight, costMicroUsd: d.costMicroUsd, segment: `*/${d.taskType}`,
    });
  }
  return out;
};

export interface DriftRetrainDeps {
  config: LearningConfig;
  store: LearningStore;
  /** Most decisions read per retrain (the oldest since the drift first, as the store lists them). */
  maxDecisions?: number;
}

/**
 * The full retrain a persisting drift calls for, run off the request path (two reads of the ledger
 * database, then a fit): the route's learning policy is re-fitted from its prior on the evidence
 * logged since the drift began, so what it learned about the traffic before the drift no longer
 * weighs on decisions about the traffic after it. Returns the number of observations used.
 */
export const retrainFromLog = async (deps: DriftRetrainDeps, route: string, since: number, retrain: (outcomes: LearningOutcome[]) => void): Promise<number> => {
  const limit = deps.maxDecisions ?? 100_000;
  const decisions = await deps.store.listDecisions({ route, from: since, limit });
  // Feedback arrives after its decision, so none of these decisions' feedback is older than `since`.
  const feedback = await deps.store.listFeedback({ from: since, limit: 4 * limit });
  const outcomes = outcomesFromLog(deps.config, decisions, feedback);
  retrain(outcomes);
  return outcomes.length;
};

export interface RetrainRoutesDeps extends DriftRetrainDeps {
  learners: ReadonlyMap<string, PolicyLearner>;
  versions: Pick<PolicyVersions, 'snapshot'>;
  /** Writes the decisions and feedback still batched in memory, so the retrain sees them. */
  flush(): Promise<void>;
}

/**
 * Per route, in order: the state before the retrain is kept as a `retrain-requested` candidate
 * version (promote it to undo), the policy is re-fitted on the evidence logged since the drift
 * began, and the result becomes the active `drift-retrain` version. Learners without a retrain
 * (none but the bandit today) only get the candidate version recorded.
 */
export const retrainRoutes = async (deps: RetrainRoutesDeps, routes: readonly string[], since: number): Promise<Array<{ route: string; observations: number | null }>> => {
  await deps.flush();
  const done: Array<{ route: string; observations: number | null }> = [];
  for (const route of routes) {
    const learner = deps.learners.get(route);
    await deps.versions.snapshot(route, 'retrain-requested', 'candidate');
    if (!learner?.retrain) {
      done.push({ route, observations: null });
      continue;
    }
    const observations = await retrainFromLog(deps, route, since, (o) => learner.retrain?.(o));
    await deps.versions.snapshot(route, 'drift-retrain', 'active');
    done.push({ route, observations });
  }
  return done;
};
