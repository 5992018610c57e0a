import type { RequestEndEvent } from '../spec/events.js';
import type { DecisionRecord } from '../spec/learning.js';
import { contextVector, segmentOf } from '../routing/policies/bandit-policy-context.js';
import type { PendingDecision } from './pending-decisions.js';

/**
 * The decision log's row for a finished request. Policies that learn put their own context vector
 * on the decision; for the others the compact default one is recorded, so every logged decision
 * can be replayed and evaluated off-policy the same way.
 */
export const toPendingDecision = (e: RequestEndEvent, now: number): PendingDecision => {
  const d = e.decision;
  const record: DecisionRecord = {
    decisionId: e.decisionId, requestId: e.requestId, ts: Math.round(now - e.latencyMs), tenant: e.tenant, route: e.route,
    policy: d.policy, policyVersion: d.policyVersion, chosen: e.chosen ?? e.target ?? '', served: e.target,
    propensity: d.propensity, considered: d.considered, context: d.context ?? contextVector(e.features),
    taskType: e.features.taskType, costMicroUsd: e.costMicroUsd, latencyMs: Math.round(e.latencyMs), status: e.status,
  };
  return {
    record,
    segment: d.segment ?? segmentOf(e.tier ?? 'standard', e.features),
    ngrams: { indices: e.features.hashedNgrams, values: e.features.hashedValues },
  };
};

/** Why a decision cannot be stored (it would fail its whole batch), or null. */
export const invalidDecision = (d: DecisionRecord): string | null => {
  if (d.decisionId === '') return 'decisionId is empty';
  for (const [name, v] of [['ts', d.ts], ['propensity', d.propensity], ['costMicroUsd', d.costMicroUsd], ['latencyMs', d.latencyMs]] as const) {
    if (!Number.isFinite(v)) return `${name} is not a finite number`;
  }
  return d.context.every(Number.isFinite) ? null : 'context has a non-finite entry';
};
