import type { FeedbackSource } from '../spec/learning.js';
import { GatewayError } from '../errors/index.js';
import { metricValue } from './feedback-metrics.js';
import type { LearningLoop } from './create-learning-loop.js';

/** Feedback as the API received it (already shape-checked by the http layer). */
export interface FeedbackInput {
  decisionId: string;
  metric: string;
  value: unknown;
  comment?: string;
  label?: string;
  idempotencyKey?: string;
}

export type FeedbackStatus = 'accepted' | 'duplicate' | 'too_late';

/**
 * Feedback from a caller: the metric must be declared and the value fit it; the decision must exist
 * and belong to the caller's tenant (else `decision_not_found`, the same answer as for an unknown id,
 * so one tenant cannot probe another's decision ids); late and duplicate feedback is acknowledged
 * but not learned from twice.
 */
export const createSubmitFeedback = (loop: LearningLoop, windowMs: number, now: () => number, source: FeedbackSource = 'user') =>
  async (tenant: string, input: FeedbackInput): Promise<FeedbackStatus> => {
    const metric = loop.metric(input.metric);
    if (!metric) throw new GatewayError('invalid_request', `metric: '${input.metric}' is not a declared metric (config learning.metrics)`, { param: 'metric' });
    const value = metricValue(metric, input.value);
    const decision = await loop.findDecision(input.decisionId);
    if (!decision || decision.record.tenant !== tenant) {
      throw new GatewayError('decision_not_found', `decision_id: no decision '${input.decisionId}' for this API key`, { param: 'decision_id' });
    }
    const ts = now();
    if (ts - decision.record.ts > windowMs) return 'too_late';
    const key = { decisionId: input.decisionId, metric: metric.name, source, idempotencyKey: input.idempotencyKey };
    if (await loop.isDuplicate(key)) return 'duplicate';
    // isDuplicate awaited the database: a concurrent twin may have been recorded since; record()
    // checks again synchronously, so exactly one of them is accepted.
    const fresh = loop.record({
      ...key, tenant, value, ts,
      ...(input.comment !== undefined ? { comment: input.comment } : {}),
      ...(input.label !== undefined ? { label: input.label } : {}),
    });
    return fresh ? 'accepted' : 'duplicate';
  };
export type SubmitFeedback = ReturnType<typeof createSubmitFeedback>;
